"""`zhbridge corpus`: import, build, export and describe the aligned corpus."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from zhbridge import paths

corpus_app = typer.Typer(help="Build, export and describe the aligned corpus.", no_args_is_help=True)


@corpus_app.command("import")
def import_(
    seed_dir: Path = typer.Argument(..., help="Folder of seed pages (clipping pages, parallel or PDF-extracted articles)."),
    corpus_dir: Path = typer.Option(paths.WORKSPACE_CORPUS, help="Corpus folder to write raw/ and manifest.tsv into."),
    overwrite: bool = typer.Option(False, help="Replace an existing manifest."),
) -> None:
    """Split seed pages into one raw file per article and write the manifest."""
    from zhbridge.corpus.manifest import import_seeds
    from zhbridge.io import check_writable

    check_writable(corpus_dir / "manifest.tsv", overwrite=overwrite)
    rows = import_seeds(seed_dir, corpus_dir / "raw", corpus_dir / "manifest.tsv")
    duplicates = sum(1 for row in rows if row.duplicate_of)
    typer.echo(f"{len(rows)} articles ({len(rows) - duplicates} unique) -> {corpus_dir / 'raw'}")


@corpus_app.command()
def add(
    source: Path = typer.Argument(..., help="Document to add (for parallel-paired: the Chinese file)."),
    layout: str = typer.Option(
        ..., help="parallel-interleaved | parallel-interleaved-en-first | parallel-paired | parallel-tmx | zh"
    ),
    en: Path | None = typer.Option(None, help="The English file, with --layout parallel-paired."),
    title: str = typer.Option("", help="Title for the manifest (default: file name)."),
    doc_id: str = typer.Option("", "--id", help="Manifest id, e.g. N1-07 (default: the next NNN-01)."),
    publisher: str = typer.Option("", help="Publisher, for the manifest."),
    date: str = typer.Option("", help="Publication date, for the manifest."),
    url: str = typer.Option("", help="Where the text was found."),
    licence: str = typer.Option("", help="Terms the text is kept under, e.g. 'quoted for research, © publisher'."),
    corpus_dir: Path = typer.Option(paths.WORKSPACE_CORPUS, help="Corpus folder."),
) -> None:
    """Add a document to corpus/raw and the manifest (validated first; nothing is overwritten)."""
    from zhbridge.corpus.add import add_document

    row = add_document(
        corpus_dir,
        source,
        layout,
        en_source=en,
        title=title,
        publisher=publisher,
        date=date,
        doc_id=doc_id,
        url=url,
        licence=licence,
    )
    typer.echo(f"added {row.id} ({row.layout}) -> {corpus_dir / row.file}")


@corpus_app.command()
def remove(
    doc_id: str = typer.Argument(..., help="Manifest id of the document to remove, e.g. 007-01."),
    corpus_dir: Path = typer.Option(paths.WORKSPACE_CORPUS, help="Corpus folder."),
) -> None:
    """Remove a document from the manifest and delete its raw file(s)."""
    from zhbridge.corpus.manifest import remove_document

    row = remove_document(corpus_dir, doc_id)
    typer.echo(f"removed {row.id} ({row.title}) and {corpus_dir / row.file}")


@corpus_app.command()
def build(
    corpus_dir: Path = typer.Option(paths.CORPUS_DIR, help="Corpus folder with manifest.tsv and raw/."),
    out: Path = typer.Option(paths.WORKSPACE_DATASET, help="Dataset folder to write."),
    overwrite: bool = typer.Option(False, help="Replace an existing folder that is not a zhbridge build."),
    engine: str = typer.Option(
        "local", "--engine", help="local (this process) or ray (one Ray task per document; pip install -e '.\\[ray]')."
    ),
    address: str | None = typer.Option(
        None, "--address", help="With --engine ray: the cluster to join; default starts a local one."
    ),
    # the literal is zhbridge.corpus.dataset.DEFAULT_SHARD_ROWS: importing that module here would slow every CLI call
    shard_rows: int = typer.Option(
        100_000, "--shard-rows", help="At most this many rows per Parquet shard (parquet/<split>-00000-of-0000N.parquet)."
    ),
) -> None:
    """Normalize, segment and align the raw corpus into a Hugging Face dataset with card, sharded Parquet and TMX."""
    from functools import partial

    from zhbridge.corpus.build import build_rows, local_documents
    from zhbridge.corpus.dataset import build_report, write_dataset
    from zhbridge.io import InputError

    if engine not in ("local", "ray"):
        raise InputError(f"--engine {engine}: choose local or ray")
    if shard_rows < 1:  # before the build, which can take hours
        raise InputError(f"--shard-rows {shard_rows}: a shard holds at least one row")
    map_documents = local_documents
    if engine == "ray":
        from zhbridge.corpus.ray_build import ray_documents
        from zhbridge.ray_cluster import RayOptions

        map_documents = partial(ray_documents, options=RayOptions(address=address))
    # a previous zhbridge build is ours to replace; any other existing folder needs --overwrite
    rebuild = overwrite or (out / "build_report.json").exists()
    result = build_rows(corpus_dir, map_documents=map_documents)
    write_dataset(result, out, overwrite=rebuild, shard_rows=shard_rows)
    report = build_report(result)
    _print_stats(report)
    typer.echo(f"dataset -> {out}")


@corpus_app.command()
def export(
    out: Path = typer.Argument(..., help="File to write."),
    format: str = typer.Option("tmx", "--format", "-f", help="tmx | tsv | jsonl"),
    dataset_dir: Path = typer.Option(paths.DATASET_DIR, help="Built dataset folder."),
    split: list[str] | None = typer.Option(None, help="Splits to export (default: train, validation, test)."),
    overwrite: bool = typer.Option(False, help="Replace an existing file."),
) -> None:
    """Export the aligned pairs as TMX 1.4b, TSV or JSONL."""
    from zhbridge.corpus.dataset import PARALLEL_SPLITS
    from zhbridge.corpus.export import FORMATS, export_pairs
    from zhbridge.io import InputError

    if format not in FORMATS:
        raise InputError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    dataset = _load(dataset_dir)
    names = split or list(PARALLEL_SPLITS)
    unknown = [name for name in names if name not in dataset or "en" not in dataset[name].column_names or name == "comparable"]
    if unknown:
        raise InputError(f"{dataset_dir}: no parallel split named {', '.join(unknown)}")
    pairs = [row for name in names for row in dataset[name]]
    export_pairs(pairs, out, format, overwrite=overwrite)
    typer.echo(f"{len(pairs)} pairs -> {out} ({format})", err=str(out) == "-")


@corpus_app.command()
def articles(
    out_dir: Path = typer.Argument(..., help="Folder to write one {doc_id}.txt per article into."),
    dataset_dir: Path = typer.Option(paths.DATASET_DIR, help="Built dataset folder."),
    overwrite: bool = typer.Option(False, help="Replace existing article files."),
) -> None:
    """Write the Chinese-only articles (monolingual split) as plain-text files, ready for `zhbridge translate`."""
    from zhbridge.corpus.export import write_articles
    from zhbridge.io import InputError

    dataset = _load(dataset_dir)
    if "monolingual" not in dataset:
        raise InputError(f"{dataset_dir}: no monolingual split")
    written = write_articles(list(dataset["monolingual"]), out_dir, overwrite=overwrite)
    typer.echo(f"{len(written)} articles ({len(dataset['monolingual'])} paragraphs) -> {out_dir}")


@corpus_app.command()
def stats(
    dataset_dir: Path = typer.Option(paths.DATASET_DIR, help="Built dataset folder."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Counts of articles, pairs per split and per bead type."""
    from zhbridge.io import InputError, read_text

    report_path = dataset_dir / "build_report.json"
    if not report_path.exists():
        raise InputError(f"{dataset_dir}: no build_report.json; run `zhbridge corpus build` first")
    report = json.loads(read_text(report_path))
    if as_json:
        report.pop("repairs", None)
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_stats(report)


def _load(dataset_dir: Path):
    from zhbridge.io import InputError

    if not (dataset_dir / "dataset_dict.json").exists():
        raise InputError(f"{dataset_dir}: not a built dataset; run `zhbridge corpus build` first")
    import datasets
    import pyarrow

    try:
        return datasets.load_from_disk(str(dataset_dir))
    except (OSError, ValueError, KeyError, pyarrow.ArrowException) as exc:  # a corrupt or half-copied folder
        detail = " ".join(str(exc).split())[:200]
        raise InputError(f"{dataset_dir}: not a readable dataset ({type(exc).__name__}: {detail})") from None


def _print_stats(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="zhbridge corpus", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("articles (raw)", str(report["articles"]))
    table.add_row("articles (unique)", str(report["unique_articles"]))
    table.add_row("aligned pairs", str(report["aligned_pairs"]))
    table.add_row("flagged pairs", str(report["flagged_pairs"]))
    for kind, count in report["pairs_per_bead"].items():
        table.add_row(f"  bead {kind}", str(count))
    for name, count in report["split_sizes"].items():
        table.add_row(f"split {name}", str(count))
    Console().print(table)
    if report.get("aligner"):
        Console().print(f"aligner: {report['aligner']}")


@corpus_app.command()
def mine(
    zh: Path = typer.Argument(..., help="Chinese text: one sentence per line (or raw text with --split)."),
    en: Path = typer.Argument(..., help="English text, in any order, sentences missing on either side."),
    out: Path = typer.Option(..., "--out", help="Write zh<TAB>en<TAB>score here, one mined pair per line."),
    split: bool = typer.Option(False, "--split", help="Segment raw text into sentences first."),
    threshold: float | None = typer.Option(None, "--threshold", help="Minimum probability (default: the shipped model's)."),
    model: str | None = typer.Option(
        None, "--model", help="zh→en model (a CT2 export with the default --backend): its translations add evidence."
    ),
    backend: str = typer.Option("ct2", "--backend", help="With --model: ct2 or hf."),
    beams: int = typer.Option(1, "--beams", help="With --model: beam size (greedy is enough for evidence)."),
    translations: Path | None = typer.Option(
        None, "--translations", help="zh<TAB>translation cache: read, and extended with --model (implies translation evidence)."
    ),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing output file."),
) -> None:
    """Mine translation pairs from comparable text (sentence-encoder margin + the aligner's lexical evidence,
    and with --model or --translations the zh side's machine translations compared with the English)."""
    from zhbridge.align.mine import mine_files, shipped_model, tsv
    from zhbridge.embed import ENCODER_NAME
    from zhbridge.io import atomic_write_text, check_writable

    check_writable(out, overwrite=overwrite)
    translate = None
    if model or translations:
        from zhbridge.mt.evidence import load_fast_translator, translate_sentences

        batch = load_fast_translator(model, backend, beams).translate if model else None
        translate = lambda zh_sents: translate_sentences(zh_sents, batch, translations)  # noqa: E731
    zh_sents, en_sents, pairs = mine_files(zh, en, split=split, threshold=threshold, translate=translate)
    atomic_write_text(out, tsv(zh_sents, en_sents, pairs), overwrite=overwrite)
    cut = shipped_model(translate is not None)["threshold"] if threshold is None else threshold
    how = "; with translation evidence" if translate is not None else ""
    typer.echo(
        f"{len(zh_sents)} zh / {len(en_sents)} en sentences -> {len(pairs)} pairs (p >= {cut}) -> {out}; {ENCODER_NAME}{how}"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(corpus_app, name="corpus")
