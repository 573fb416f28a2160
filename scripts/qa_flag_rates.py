#!/usr/bin/env python
"""How often each QA flag fires on line-aligned sources and English: false alarms on references, catches on MT.

    python scripts/qa_flag_rates.py --set wmt23-ref=SRC.zh,REF.en --set wmt23-mt=SRC.zh,HYP.en [--top 30]

Per set: the share of segments carrying each review flag of ``mt.qa.segment_flags`` (no glossary, no
terms: the raw output), and the words ``mt.review.invented_words`` and ``doubled_words`` catch most
often. On a human reference every invented-word or doubled-word flag is a false alarm.
"""

from __future__ import annotations

import argparse
from collections import Counter


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", action="append", required=True, help="NAME=SRC,EN (one segment a line)")
    ap.add_argument("--top", type=int, default=20, help="how many caught words to list per set")
    args = ap.parse_args()

    from zhbridge.io import read_lines
    from zhbridge.mt.qa import segment_flags
    from zhbridge.mt.review import REVIEW_KINDS, doubled_words, invented_words
    from zhbridge.text.normalize import normalize_paragraph

    for spec in args.set:
        name, paths = spec.split("=", 1)
        src_path, en_path = paths.split(",")
        src = [normalize_paragraph(s, "zh") for s in read_lines(src_path)]
        en = read_lines(en_path)
        if len(src) != len(en):
            raise SystemExit(f"{name}: {len(src)} source lines but {len(en)} English lines")
        flags = Counter(k for s, e in zip(src, en) for k in segment_flags({"src": s, "tgt": e}))  # type: ignore[typeddict-item]
        words = Counter(w for s, e in zip(src, en) for w in invented_words(s, e))
        doubled = Counter(d.lower() for s, e in zip(src, en) for d in doubled_words(s, e))
        rates = ", ".join(f"{k} {100 * flags[k] / len(src):.1f}%" for k in REVIEW_KINDS if flags[k])
        print(f"{name} ({len(src)} segments): {rates}")
        print(f"  invented words: {', '.join(f'{w} {c}' for w, c in words.most_common(args.top))}")
        print(f"  doubled words: {', '.join(f'{w} {c}' for w, c in doubled.most_common(args.top))}")


if __name__ == "__main__":
    main()
