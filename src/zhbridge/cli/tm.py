"""`zhbridge tm …`: the post-edit translation memory that `zhbridge translate` consults before MT."""

from __future__ import annotations

from pathlib import Path

import typer

tm_app = typer.Typer(help="Translation memory: bring post-edited work (TMX, XLIFF) back in.", no_args_is_help=True)


@tm_app.command("import")
def import_cmd(
    files: list[Path] = typer.Argument(..., help="OmegaT project_save.tmx or any TMX, or XLIFF 1.2 with translated targets."),
    memory: Path | None = typer.Option(
        None, "--memory", help="Post-edit memory TMX to add to (default corpus/tm/postedits.tmx)."
    ),
) -> None:
    """Add or update post-edited segments (origin=post-edit, date, file) in the post-edit memory."""
    from zhbridge.mt.postedits import DEFAULT_STORE, import_files

    counts = import_files(files, memory)
    typer.echo(
        f"imported {len(files)} file{'' if len(files) == 1 else 's'} into {memory or DEFAULT_STORE}: "
        f"{counts['added']} added, {counts['updated']} updated, {counts['unchanged']} unchanged; "
        f"{counts['total']} units in the memory"
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the top-level app."""
    app.add_typer(tm_app, name="tm")
