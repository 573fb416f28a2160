"""The ``zhbridge`` command: one module per command group, each a thin layer over the library.

Each module in this package exposes ``register(app)``; errors a user can fix
(:class:`zhbridge.io.InputError`) become one line on stderr and exit status 2.
"""

from __future__ import annotations

import os
import shutil
import sys

import typer

from zhbridge.cli import align, corpus, evaluate, glossary, model, tm, train, translate

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


def _fold_long_words() -> None:
    """Help text folds a word too long for its column onto the next line instead of cutting it with "…".

    Typer's rich help wraps at spaces only, so a path such as corpus/glossary/glossary.tsv in an
    80-column table cell lost its end; rich's "fold" overflow keeps every character.
    """
    from rich.text import Text
    from typer import rich_utils

    make = rich_utils._make_rich_text
    if getattr(make, "folds", False):
        return

    def folding(*args, **kwargs):
        text = make(*args, **kwargs)
        if isinstance(text, Text):
            text.overflow = "fold"
        return text

    folding.folds = True  # type: ignore[attr-defined]
    rich_utils._make_rich_text = folding  # type: ignore[assignment]
    # Option names are never wrapped, only cut: rich's 80-column default for a pipe cut
    # --general-sample-size to "--general-samp…". The terminal's width (COLUMNS, the tty, else 120), at
    # least 100, leaves every name whole; a narrower terminal wraps the lines instead of losing text.
    if not os.environ.get("TERMINAL_WIDTH"):
        rich_utils.MAX_WIDTH = max(shutil.get_terminal_size((120, 24)).columns, 100)


_fold_long_words()

for _module in (corpus, align, glossary, train, translate, tm, model, evaluate):
    _module.register(app)


def main(argv: list[str] | None = None) -> None:
    from zhbridge.io import InputError

    try:
        app(args=argv, prog_name="zhbridge", standalone_mode=True)
    except InputError as exc:
        print(f"zhbridge: error: {exc}", file=sys.stderr)
        sys.exit(2)
