"""`zhbridge align` (sentence alignment of a document pair, or of every pair in a manifest) and `zhbridge align-eval`."""

from __future__ import annotations

from pathlib import Path

import typer


def align(
    zh: Path | None = typer.Argument(None, help="Chinese document (raw text, or one sentence per line with --presplit)"),
    en: Path | None = typer.Argument(None, help="English document"),
    manifest: Path | None = typer.Option(
        None, "--manifest", help="TSV of pairs (header id<TAB>zh<TAB>en, paths relative to it) to align into the --out folder"
    ),
    presplit: bool = typer.Option(False, "--presplit", help="inputs are already one sentence per line"),
    out: Path | None = typer.Option(
        None, "--out", help="write beads ([0,1]:[2] per line) here instead of stdout; with --manifest, the output folder"
    ),
    tsv: Path | None = typer.Option(None, "--tsv", help="also write zh<TAB>en<TAB>bead<TAB>score for each bead"),
    features: str = typer.Option(
        "full", help="full (sentence encoder, lexicon, numbers, names, length), lexical (full without the encoder) or length"
    ),
    no_embed: bool = typer.Option(False, "--no-embed", help="no sentence-encoder cosine: the same as --features lexical"),
    overwrite: bool = typer.Option(False, "--overwrite", help="replace existing output files"),
    engine: str = typer.Option(
        "local",
        "--engine",
        help="With --manifest: local (this process) or ray (one Ray task per pair; pip install -e '.\\[ray]').",
    ),
    address: str | None = typer.Option(
        None, "--address", help="With --engine ray: the cluster to join; default starts a local one."
    ),
) -> None:
    """Align the sentences of a Chinese and an English document, or of every pair in a --manifest."""
    from zhbridge.align.batch import align_pair, check_features
    from zhbridge.align.evaluate import signature
    from zhbridge.io import InputError, atomic_write_text, check_writable

    if no_embed and features == "full":
        features = "lexical"
    if manifest is not None:
        if zh is not None or en is not None:
            raise InputError("give ZH EN or --manifest PAIRS.tsv, not both")
        if out is None:
            raise InputError("--manifest needs --out DIR, the folder for the alignments")
        if tsv is not None:
            raise InputError("--tsv is for one pair; with --manifest each pair's TSV goes into the --out folder")
        _align_manifest(manifest, out, presplit, features, engine, address, overwrite)
        return
    if zh is None or en is None:
        raise InputError("give the ZH and EN documents, or --manifest PAIRS.tsv --out DIR")
    if engine != "local" or address is not None:
        raise InputError("--engine and --address are for --manifest batches")
    check_features(features)
    for target in (out, tsv):
        if target is not None:
            check_writable(target, overwrite=overwrite)
    aligned = align_pair(zh, en, presplit=presplit, features=features)
    if out is not None:
        atomic_write_text(out, aligned.align_text(), overwrite=overwrite)
    else:
        typer.echo(aligned.align_text(), nl=False)
    if tsv is not None:
        atomic_write_text(tsv, aligned.tsv_text(), overwrite=overwrite)
    typer.echo(
        f"{len(aligned.zh)} zh / {len(aligned.en)} en sentences -> {len(aligned.beads)} beads "
        f"({aligned.low_confidence} below confidence 0.5); {signature(features)}",
        err=True,
    )


def _align_manifest(
    manifest: Path, out: Path, presplit: bool, features: str, engine: str, address: str | None, overwrite: bool
) -> None:
    from zhbridge.align.batch import PairResult, align_manifest
    from zhbridge.align.evaluate import signature
    from zhbridge.ray_cluster import RayOptions

    def report_failure(result: PairResult) -> None:
        if result.status == "failed":
            typer.echo(f"zhbridge: pair {result.id} failed: {result.error}", err=True)

    results = align_manifest(
        manifest,
        out,
        presplit=presplit,
        features=features,
        engine=engine,
        ray_options=RayOptions(address=address),
        overwrite=overwrite,
        on_result=report_failure,
    )
    count = {status: sum(1 for r in results if r.status == status) for status in ("aligned", "skipped", "failed")}
    beads = sum(r.beads for r in results if r.status != "failed")
    low = sum(r.low_confidence for r in results if r.status != "failed")
    typer.echo(
        f"{len(results)} pairs -> {out}: {count['aligned']} aligned, {count['skipped']} skipped (done earlier), "
        f"{count['failed']} failed; {beads} beads ({low} below confidence 0.5)"
    )
    typer.echo(f"signature: {signature(features)}")
    if count["failed"]:
        raise typer.Exit(1)


def align_eval(
    gold_dir: Path = typer.Argument(..., help="directory of gold NAME.align files"),
    test_dir: Path = typer.Argument(..., help="directory of test NAME.align files"),
) -> None:
    """Strict and lax precision/recall/F1 (Vecalign's definitions) of TEST_DIR against GOLD_DIR."""
    from zhbridge.align.evaluate import evaluate_dirs, format_report

    sig_file = test_dir / "SIGNATURE"
    sig = sig_file.read_text().strip() if sig_file.exists() else "unknown (no SIGNATURE file in TEST_DIR)"
    typer.echo(format_report(evaluate_dirs(gold_dir, test_dir), sig))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the top-level app."""
    app.command(name="align")(align)
    app.command(name="align-eval")(align_eval)
