"""Time one long paragraph (no full stop until the end) through translation with glossary enforcement.

Before clause splitting (issue 23, item 3) a 3k-character paragraph took 10 s, 6k 52 s and 100k made no
progress in 600 s with models/zhbridge-default; the time must now grow about linearly with the length.

    python scripts/bench_long_segments.py [--model DIR | --tiny] [--chars 3000 6000 100000] [--beams 1]
"""

from __future__ import annotations

import argparse
import tempfile
import time

from zhbridge.mt.models import load_translator
from zhbridge.mt.translate import Engine, translate_text
from zhbridge.terms.glossary import load_glossary

CLAUSE = "郑州市微短剧产业联盟成立大会在竖店举行，来自全国的三百多家短剧出海企业参加，"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default=None, help="model dir (default models/zhbridge-default)")
    parser.add_argument("--tiny", action="store_true", help="build the tests' tiny random Marian model instead")
    parser.add_argument("--chars", type=int, nargs="+", default=[3000, 6000, 100000])
    parser.add_argument("--beams", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    model = args.model
    if args.tiny:
        from zhbridge.train.scratch import build_marian

        zh = ["郑州是微短剧创作之都。", "竖店吸引了很多演员。", "短剧出海成为新趋势。"]
        en = ["Zhengzhou is the capital of micro-short drama.", "Shudian attracts actors.", "Going overseas is a trend."]
        model = build_marian(tempfile.mkdtemp(), zh, en, size="tiny", seed=0)
    engine = Engine(load_translator(model, beams=args.beams, threads=args.threads), load_glossary(), None, enforce=True)
    for n in args.chars:
        text = (CLAUSE * (n // len(CLAUSE) + 1))[: n - 1] + "。"
        start = time.perf_counter()
        english, report = translate_text(text, engine)
        s = report["summary"]
        print(
            f"{n:>7} chars: {time.perf_counter() - start:7.1f} s, {s['segments']} segments, "
            f"terms {s['terms_honoured']}/{s['terms_found']} honoured, source_cut {s['source_cut']}, "
            f"{len(english)} chars of English",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
