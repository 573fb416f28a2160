"""`zhbridge evaluate`: score translations with sacrebleu and write a report."""

from __future__ import annotations

from pathlib import Path

import typer


def evaluate(
    hyp: list[Path] = typer.Option(
        ...,
        "--hyp",
        help="Hypothesis file, one segment per line; repeat for several systems (the first is the baseline of the paired test).",
    ),
    ref: list[Path] | None = typer.Option(None, "--ref", help="Reference file; repeat for several references."),
    src: Path | None = typer.Option(
        None, "--src", help="Chinese source (enables the number check and, with --glossary, term accuracy)."
    ),
    glossary: Path | None = typer.Option(None, "--glossary", help="Glossary TSV for term accuracy (needs --src)."),
    docs: Path | None = typer.Option(None, "--docs", help="Document id of each line, one per line: adds per-document scores."),
    dataset_split: str | None = typer.Option(
        None, "--dataset-split", help="Take reference, source and doc ids from this split of the built dataset (e.g. test)."
    ),
    metrics: str = typer.Option(
        "BLEU,chrF,chrF++,TER", "--metrics", help="Comma-separated metrics (TER is slow on long segments)."
    ),
    significance: str = typer.Option(
        "bs",
        "--significance",
        help="Paired test against the first --hyp: bs (bootstrap), ar (approximate randomization) or none.",
    ),
    samples: int = typer.Option(0, "--samples", help="Resamples (bs) or trials (ar); 0 = sacrebleu's defaults (1000 / 10000)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of the table."),
    report: Path | None = typer.Option(
        None, "--report", help="Write report.md, evaluation.png and scores.json into this directory."
    ),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing report's files."),
    worst: int = typer.Option(5, "--worst", min=0, help="Worst segments (sentence chrF) to list per system."),
) -> None:
    """Corpus BLEU, chrF, chrF++ and TER (sacrebleu, with signatures), significance, terms, numbers."""
    import json

    from zhbridge.evaluate.report import REPORT_FILES, render_table, to_json, write_report
    from zhbridge.evaluate.suite import evaluate_files
    from zhbridge.io import InputError, check_writable

    test = significance.strip().lower()
    if test not in ("bs", "ar", "none"):
        raise InputError(f"--significance: expected bs, ar or none, got {significance!r}")
    if report is not None:  # refuse before minutes of scoring, not after
        for name in REPORT_FILES:
            check_writable(report / name, overwrite=overwrite)
    ev = evaluate_files(
        hyp,
        ref or [],
        src_path=src,
        glossary_path=glossary,
        docs_path=docs,
        dataset_split=dataset_split,
        metrics=[m for m in metrics.split(",") if m.strip()],
        significance=None if test == "none" else test,
        n_samples=samples,
        progress=not as_json,
    )
    if as_json:
        typer.echo(json.dumps(to_json(ev, worst=worst), ensure_ascii=False, indent=2))
    else:
        render_table(ev)
    if report is not None:
        written = write_report(ev, report, overwrite=overwrite, worst=worst)
        if not as_json:
            typer.echo(f"report written: {', '.join(str(p) for p in written)}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the top-level app."""
    app.command(name="evaluate")(evaluate)
