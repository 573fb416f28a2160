"""`zhbridge model`: model utilities (CTranslate2 export for fast CPU inference)."""

from __future__ import annotations

from pathlib import Path

import typer

model_app = typer.Typer(help="Model utilities.", no_args_is_help=True)


@model_app.command("export")
def export(
    ct2: Path = typer.Option(..., "--ct2", help="Output folder for the CTranslate2 model."),
    model: str | None = typer.Option(None, "--model", help="HF seq2seq model dir or hub id; default models/zhbridge-default."),
    quantization: str = typer.Option("int8", "--quantization", help="int8, int8_float16, float16 or none."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing export."),
) -> None:
    """Convert a Hugging Face seq2seq model to CTranslate2 (use with `translate --backend ct2 --model DIR`)."""
    from zhbridge.mt.export import export_ct2

    out = export_ct2(model, ct2, quantization=None if quantization == "none" else quantization, overwrite=overwrite)
    typer.echo(f"exported {model or 'default model'} → {out} (quantization {quantization})")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the top-level app."""
    app.add_typer(model_app, name="model")
