#!/usr/bin/env python
"""Reproduce the WMT22 / WMT23 zh→en anchor table: corpus BLEU and chrF of every submitted system.

Scores come from zhbridge.evaluate.metrics (sacrebleu's BLEU/CHRF objects,
default settings), so they must equal ``sacrebleu REF -i SYS -m bleu chrf``
digit for digit; tests/evaluate/test_metrics.py checks that for a few systems.

Reference sets:
- A    : ref.A.en alone, the standard single-reference numbers (both years);
- B    : ref.B.en alone (WMT22 only, which ships a second reference);
- A+B  : both references at once (sacrebleu multi-reference, nrefs:2; WMT22 only).

Usage: python scripts/evaluate_wmt.py [--wmt-dir ../shared/bench/wmt] [--years wmt22,wmt23] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from zhbridge.evaluate.inputs import check_same_length, read_segments
from zhbridge.evaluate.metrics import corpus_scores
from zhbridge.io import atomic_write_text
from zhbridge.paths import BENCH_DIR

METRICS = ("BLEU", "chrF")


def reference_sets(year_dir: Path) -> dict[str, list[Path]]:
    sets = {"A": [year_dir / "ref.A.en"]}
    if (year_dir / "ref.B.en").exists():
        sets["B"] = [year_dir / "ref.B.en"]
        sets["A+B"] = [year_dir / "ref.A.en", year_dir / "ref.B.en"]
    return sets


def score_year(year_dir: Path, console: Console) -> dict:
    sets = reference_sets(year_dir)
    refs = {p: read_segments(p) for paths in sets.values() for p in paths}
    systems = {p.stem: read_segments(p) for p in sorted((year_dir / "sys").glob("*.en"))}
    check_same_length(
        {**{str(p): r for p, r in refs.items()}, **{str(year_dir / "sys" / f"{n}.en"): h for n, h in systems.items()}},
        against=str(sets["A"][0]),
    )
    rows: dict[str, dict[str, dict[str, float]]] = {}
    signatures: dict[str, dict[str, str]] = {}
    with console.status(f"scoring {year_dir.name}") as status:
        for name, hyps in systems.items():
            status.update(f"scoring {year_dir.name}: {name}")
            rows[name] = {}
            for set_name, paths in sets.items():
                scores = corpus_scores(hyps, [refs[p] for p in paths], METRICS)
                rows[name][set_name] = {m: s.score for m, s in scores.items()}
                signatures[set_name] = {m: s.signature for m, s in scores.items()}
    return {
        "year": year_dir.name,
        "segments": len(refs[sets["A"][0]]),
        "references": {k: [p.name for p in v] for k, v in sets.items()},
        "signatures": signatures,
        "systems": rows,
    }


def print_year(result: dict, console: Console) -> None:
    sets = list(result["references"])
    table = Table(
        title=f"{result['year']} zh→en, {result['segments']} segments, {len(result['systems'])} systems "
        f"(sorted by BLEU against ref A)"
    )
    table.add_column("system", no_wrap=True)
    for set_name in sets:
        for metric in METRICS:
            table.add_column(f"{metric} [{set_name}]", justify="right")
    ranked = sorted(result["systems"].items(), key=lambda kv: -kv[1]["A"]["BLEU"])
    for name, by_set in ranked:
        table.add_row(name, *(f"{by_set[s][m]:.2f}" for s in sets for m in METRICS))
    console.print(table)
    for set_name in sets:
        refs = " + ".join(result["references"][set_name])
        for metric in METRICS:
            console.print(
                f"[{set_name}] = {refs}  {metric}: {result['signatures'][set_name][metric]}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
    console.print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wmt-dir", type=Path, default=BENCH_DIR / "wmt")
    parser.add_argument("--years", default="wmt22,wmt23")
    parser.add_argument("--json", type=Path, help="also write all scores and signatures to this JSON file")
    args = parser.parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 200)
    results = []
    for year in [y.strip() for y in args.years.split(",") if y.strip()]:
        result = score_year(args.wmt_dir / year, console)
        print_year(result, console)
        results.append(result)
    if args.json:
        atomic_write_text(args.json, json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
