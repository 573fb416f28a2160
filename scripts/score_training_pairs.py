#!/usr/bin/env python
"""Score every general training pair with the sentence encoder; print the distribution per source.

  python scripts/score_training_pairs.py [--out corpus/training/similarity.tsv.gz] [--report-only]

The pairs are those training reads (``zhbridge.train.data.load_general_pairs``: Tatoeba, the WMT
en-zh sets and every ``corpus/training/parallel`` source, cleaned and filtered as for training),
the capped documentation sets in full (another seed samples other pairs). Scores already in the
output file are kept, so an interrupted run resumes; the file is rewritten every ``--every`` pairs.
Encoder: USE multilingual v3 (``zhbridge.embed.ENCODER_NAME``).
"""

from __future__ import annotations

import argparse
import sys
import time

from zhbridge import embed
from zhbridge.parallel import load_parallel
from zhbridge.train import similarity
from zhbridge.train.data import load_general_pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(similarity.SIMILARITY_FILE))
    parser.add_argument("--every", type=int, default=8192, help="rewrite the file after this many new pairs")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--report-only", action="store_true", help="print the distribution of the stored scores")
    args = parser.parse_args(argv)
    sources = load_general_pairs(seed=0)
    sources.update({name: pairs for name, pairs in load_parallel(caps={}).items() if len(pairs) > len(sources.get(name, []))})
    scores = similarity.load_scores(args.out)
    todo: dict[str, tuple[str, str]] = {}
    for pairs in sources.values():
        for z, e in pairs:
            key = similarity.pair_key(z, e)
            if key not in scores:
                todo.setdefault(key, (z, e))
    total = sum(len(p) for p in sources.values())
    print(f"{total} pairs in {len(sources)} sources; {len(scores)} scores stored, {len(todo)} to encode ({embed.ENCODER_NAME})")
    if todo and not args.report_only:
        keys = list(todo)
        t0 = time.time()
        for start in range(0, len(keys), args.every):
            part = keys[start : start + args.every]
            for key, value in zip(part, similarity.score_pairs([todo[k] for k in part], args.threads)):
                scores[key] = value
            similarity.save_scores(scores, args.out)
            done = start + len(part)
            rate = done / max(time.time() - t0, 1e-9)
            print(f"  {done}/{len(keys)} pairs ({rate:.0f} pairs/s)", flush=True)
    qs = (0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9)
    print(f"\n{'source':32s} {'pairs':>6s} " + " ".join(f"q{int(q * 100):02d}".rjust(6) for q in qs) + "   <0.3   <0.5")
    for name, pairs in sorted(sources.items()):
        values = [scores[k] for k in (similarity.pair_key(z, e) for z, e in pairs) if k in scores]
        low3 = sum(v < 0.3 for v in values) / max(len(values), 1)
        low5 = sum(v < 0.5 for v in values) / max(len(values), 1)
        cells = " ".join(f"{q:6.3f}" for q in similarity.quantiles(values, qs))
        print(f"{name:32s} {len(values):6d} {cells} {low3:6.1%} {low5:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
