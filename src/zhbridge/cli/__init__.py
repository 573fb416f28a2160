"""The ``zhbridge`` command: one module per command group, each a thin layer over the library.

Each module in this package exposes ``register(app)``; errors a user can fix
(:class:`zhbridge.io.InputError`) become one line on stderr and exit status 2.
"""

from __future__ import annotations

import sys

import typer

from zhbridge.cli import align, corpus, evaluate, glossary, model, serve, tm, train, translate

app = typer.Typer(
    name="zhbridge",
    help="Chinese–English corpus, glossary and translation toolkit for the micro-short-drama domain.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Chinese–English corpus, glossary and translation toolkit for the micro-short-drama domain."""


@app.command()
def version() -> None:
    """Print the zhbridge version."""
    from zhbridge import __version__

    typer.echo(__version__)


for _module in (corpus, align, glossary, train, translate, tm, model, evaluate, serve):
    _module.register(app)


def main(argv: list[str] | None = None) -> None:
    from zhbridge.io import InputError

    try:
        app(args=argv, prog_name="zhbridge", standalone_mode=True)
    except InputError as exc:
        print(f"zhbridge: error: {exc}", file=sys.stderr)
        sys.exit(2)
