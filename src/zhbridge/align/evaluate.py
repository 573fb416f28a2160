"""Align a directory of documents and score it against gold beads (used by the CLI and scripts)."""

from __future__ import annotations

import time
from pathlib import Path

from zhbridge.align.beads import read_beads, write_beads
from zhbridge.align.score import as_pairs, score_alignments
from zhbridge.io import InputError, atomic_write_text, read_lines


def signature(features: str = "full", **options) -> str:
    """How the alignments were produced, printed beside every score."""
    from zhbridge.align.model import shipped_weights
    from zhbridge.align.search import SearchSettings

    settings = SearchSettings(**{k: v for k, v in options.items() if k in ("margin", "full_cells", "group_size")})
    from zhbridge.align.aligner import VARIANCE_RERUN

    embed = features == "full" and options.get("embed", True)
    sig = f"zhbridge-align|features={features}|{settings.describe()}|length-variance=per-document(2nd pass if >{VARIANCE_RERUN}x)"
    if embed:
        from zhbridge.embed import ENCODER_NAME

        sig += f"|embed={ENCODER_NAME}, bead cosine of 1-2 sentence concatenations"
    if features in ("full", "lexical"):
        from zhbridge.terms.lexicon import load_lexicon

        weights = options.get("weights") or shipped_weights()
        sig += f"|lexicon={load_lexicon().source}|weights={weights.get('about', '?')}"
    return sig


def _documents(bench: Path, paired: bool) -> list[tuple[str, Path, Path]]:
    if paired:
        return [(p.stem, p, p.with_suffix(".en")) for p in sorted(bench.glob("*.zh")) if p.with_suffix(".en").exists()]
    return [(p.stem, p, bench / "en" / f"{p.stem}.en") for p in sorted((bench / "zh").glob("*.zh"))]


def align_directory(bench: Path, out: Path, *, paired: bool = False, features: str = "full", **options) -> str:
    """Align every zh/en document pair under ``bench`` into ``out/NAME.align``; returns the signature."""
    from zhbridge.align import align_sentences

    docs = _documents(bench, paired)
    if not docs:
        raise InputError(f"{bench}: no documents to align")
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for name, zh_path, en_path in docs:
        beads = align_sentences(read_lines(zh_path), read_lines(en_path), features=features, **options)
        write_beads(out / f"{name}.align", beads)
    sig = signature(features, **options) + f"|seconds={time.perf_counter() - started:.1f}"
    atomic_write_text(out / "SIGNATURE", sig + "\n")
    return sig


def evaluate_dirs(gold_dir: Path, test_dir: Path) -> dict[str, dict[str, float]]:
    """Scores over all documents that have both gold and test beads (key "ALL"), then per document."""
    names = sorted(p.stem for p in gold_dir.glob("*.align") if (test_dir / p.name).exists())
    if not names:
        raise InputError(f"{test_dir}: no *.align files matching the gold files in {gold_dir}")
    gold = {n: as_pairs(read_beads(gold_dir / f"{n}.align")) for n in names}
    test = {n: as_pairs(read_beads(test_dir / f"{n}.align")) for n in names}
    report = {"ALL": score_alignments([gold[n] for n in names], [test[n] for n in names])}
    for n in names:
        report[n] = score_alignments([gold[n]], [test[n]])
    return report


def format_report(report: dict[str, dict[str, float]], sig: str) -> str:
    lines = [
        f"aligner: {sig}",
        "scoring: Vecalign strict/lax (score_multiple: counts summed over documents)",
        f"{'doc':<10} {'P_strict':>8} {'R_strict':>8} {'F1_strict':>9} {'P_lax':>7} {'R_lax':>7} {'F1_lax':>7}",
    ]
    for name, r in report.items():
        lines.append(
            f"{name:<10} {r['precision_strict']:8.3f} {r['recall_strict']:8.3f} {r['f1_strict']:9.3f} "
            f"{r['precision_lax']:7.3f} {r['recall_lax']:7.3f} {r['f1_lax']:7.3f}"
        )
    return "\n".join(lines)
