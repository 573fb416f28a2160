"""The ``zhbridge`` command: one module per command group, each a thin layer over the library.

Each module in this package exposes ``register(app)``; errors a user can fix
(:class:`zhbridge.io.InputError`) become one line on stderr and exit status 2.
"""

from __future__ import annotations

import os
import shutil
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
    from zhbridge.version import __version__

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
    rich_utils._make_rich_text = folding
    # Option names are never wrapped, only cut: rich's 80-column default for a pipe cut
    # --general-sample-size to "--general-samp…". The terminal's width (COLUMNS, the tty, else 120), at
    # least 100, leaves every name whole; a narrower terminal wraps the lines instead of losing text.
    if not os.environ.get("TERMINAL_WIDTH"):
        rich_utils.MAX_WIDTH = max(shutil.get_terminal_size((120, 24)).columns, 100)


_fold_long_words()

for _module in (corpus, align, glossary, train, translate, tm, model, evaluate, serve):
    _module.register(app)


def main(argv: list[str] | None = None) -> None:
    from zhbridge.io import InputError

    args = sys.argv[1:] if argv is None else argv
    try:
        for k, arg in enumerate(args, start=1):
            if any("\udc80" <= ch <= "\udcff" for ch in arg):  # bytes that are not UTF-8 (surrogateescape)
                raise InputError(f"argument {k} ({arg.encode('utf-8', 'surrogateescape')!r}) is not UTF-8 text")
        try:
            app(args=args, prog_name="zhbridge", standalone_mode=True)
        finally:
            sys.stdout.flush()  # a full disk or closed pipe on stdout fails here, inside the handlers below
    except InputError as exc:
        _fail(str(exc))
    except BrokenPipeError:
        os._exit(2)  # the reader went away (| head); nothing more to say
    except OSError as exc:  # a full disk (/dev/full), a read-only --out folder, a vanished file …
        where = f"{exc.filename}: " if exc.filename else ""
        _fail(f"{where}{exc.strerror or exc}")
    except (UnicodeError, RecursionError, MemoryError) as exc:
        _fail(f"input zhbridge cannot use ({type(exc).__name__}: {str(exc)[:200]})")


def _fail(message: str) -> None:
    """One line on stderr and exit status 2: the README's promise for input a user can fix."""
    print(f"zhbridge: error: {' '.join(message.split())}", file=sys.stderr)
    try:
        sys.stdout.flush()
    except OSError:  # stdout itself is what failed: exit now, or Python's own flush at exit prints a traceback
        sys.stderr.flush()
        os._exit(2)
    sys.exit(2)
