#!/usr/bin/env python
"""Strict/lax precision, recall and F1 of sentence alignments (Vecalign's definitions).

Usage:
  python scripts/eval_alignment.py GOLD_DIR TEST_DIR      score existing *.align files
  python scripts/eval_alignment.py --run BENCH_DIR        align BENCH_DIR/{zh,en} now, then score
                                                          against BENCH_DIR/gold (mac-dev layout)
  python scripts/eval_alignment.py --run-pairs DIR         DIR/NAME.zh, NAME.en, NAME.align side by side
                                                          (corpus/gold layout)
Prints all documents together (counts summed, as Vecalign's score_multiple does) and per document,
with the aligner settings that produced the test alignments.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from zhbridge.align.evaluate import align_directory, evaluate_dirs, format_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", help="gold directory (or bench directory with --run/--run-pairs)")
    parser.add_argument("test", nargs="?", help="directory of test *.align files")
    parser.add_argument("--run", action="store_true", help="align BENCH/zh + BENCH/en first (mac-dev layout)")
    parser.add_argument("--run-pairs", action="store_true", help="align DIR/NAME.zh + DIR/NAME.en first (corpus/gold layout)")
    parser.add_argument("--features", default="full", choices=["full", "lexical", "length"])
    parser.add_argument("--no-embed", action="store_true", help="no sentence-encoder cosine (= --features lexical)")
    parser.add_argument("--weights", help="weights JSON to use instead of the shipped data/weights.json")
    args = parser.parse_args(argv)
    options = {}
    if args.no_embed and args.features == "full":
        args.features = "lexical"
    if args.weights:
        import json

        options["weights"] = json.loads(Path(args.weights).read_text(encoding="utf-8"))
    gold = Path(args.gold)
    if args.run or args.run_pairs:
        out = Path(args.test) if args.test else Path(tempfile.mkdtemp(prefix="zhbridge-align-"))
        signature = align_directory(gold, out, paired=args.run_pairs, features=args.features, **options)
        gold_dir = gold if args.run_pairs else gold / "gold"
    else:
        if not args.test:
            parser.error("TEST_DIR is required unless --run/--run-pairs is given")
        out, gold_dir = Path(args.test), gold
        signature_file = out / "SIGNATURE"
        signature = signature_file.read_text().strip() if signature_file.exists() else "unknown (no SIGNATURE file in TEST_DIR)"
    print(format_report(evaluate_dirs(gold_dir, out), signature))
    return 0


if __name__ == "__main__":
    sys.exit(main())
