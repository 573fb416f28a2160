"""`zhbridge align` (sentence alignment of a document pair) and `zhbridge align-eval`."""

from __future__ import annotations

from pathlib import Path

import typer


def _sentences(path: Path, lang: str, presplit: bool) -> list[str]:
    from zhbridge.io import read_lines, read_text

    if presplit:
        return read_lines(path)
    from zhbridge.text.segment import split_sentences

    sentences = []
    for paragraph in read_text(path).splitlines():
        if paragraph.strip():
            sentences.extend(split_sentences(paragraph, lang))
    return sentences


def align(
    zh: Path = typer.Argument(..., help="Chinese document (raw text, or one sentence per line with --presplit)"),
    en: Path = typer.Argument(..., help="English document"),
    presplit: bool = typer.Option(False, "--presplit", help="inputs are already one sentence per line"),
    out: Path | None = typer.Option(None, "--out", help="write beads ([0,1]:[2] per line) here instead of stdout"),
    tsv: Path | None = typer.Option(None, "--tsv", help="also write zh<TAB>en<TAB>bead<TAB>score for each bead"),
    features: str = typer.Option("full", help="full (lexicon, numbers, names, length) or length"),
    overwrite: bool = typer.Option(False, "--overwrite", help="replace existing output files"),
) -> None:
    """Align the sentences of a Chinese and an English document."""
    from zhbridge.align import align_sentences
    from zhbridge.align.beads import beads_to_text, format_bead
    from zhbridge.align.evaluate import signature
    from zhbridge.io import InputError, atomic_write_text, check_writable

    if features not in ("full", "length"):
        raise InputError(f"--features {features!r}: choose full or length")
    for target in (out, tsv):
        if target is not None:
            check_writable(target, overwrite=overwrite)
    zh_sents, en_sents = _sentences(zh, "zh", presplit), _sentences(en, "en", presplit)
    beads = align_sentences(zh_sents, en_sents, features=features)
    if out is not None:
        atomic_write_text(out, beads_to_text(beads), overwrite=overwrite)
    else:
        typer.echo(beads_to_text(beads), nl=False)
    if tsv is not None:
        rows = ["zh\ten\tbead\tscore"]
        for b in beads:
            zh_text = " ".join(zh_sents[i] for i in b.zh).replace("\t", " ")
            en_text = " ".join(en_sents[j] for j in b.en).replace("\t", " ")
            rows.append(f"{zh_text}\t{en_text}\t{format_bead(b)}\t{b.score:.4f}")
        atomic_write_text(tsv, "\n".join(rows) + "\n", overwrite=overwrite)
    low = sum(1 for b in beads if b.score < 0.5)
    typer.echo(
        f"{len(zh_sents)} zh / {len(en_sents)} en sentences -> {len(beads)} beads ({low} below confidence 0.5); "
        f"{signature(features)}",
        err=True,
    )


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
