#!/usr/bin/env python
"""Time, peak memory and F1 of the aligner on the Bible slices (5k ... 30k English sentences).

Usage: python scripts/bench_alignment.py [BIBLE_DIR] [--slices 001,002,...] [--features full|lexical|length]

Each slice runs in a fresh process so that its peak resident memory (ru_maxrss) is its own
and its CPU seconds (process_time: user+system of the alignment alone) are comparable when the
machine is shared;
the one-off CC-CEDICT load is timed separately from the alignment, and so is the sentence encoder
(``embed_s``: every sentence and two-sentence concatenation of both sides encoded into the
in-process cache before the alignment starts; ``full`` features only). Gold beads come from the
verse ids (zh.verse/en.verse: lines sharing a verse form one bead).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_BIBLE = Path(os.environ.get("ZHBRIDGE_SHARED") or Path(__file__).resolve().parents[2] / "shared") / "bench" / "bible"


def verse_beads(zh_verses: list[str], en_verses: list[str]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    order: list[str] = []
    zh_ids: dict[str, list[int]] = {}
    en_ids: dict[str, list[int]] = {}
    for i, v in enumerate(zh_verses):
        if v not in zh_ids:
            order.append(v)
        zh_ids.setdefault(v, []).append(i)
    for j, v in enumerate(en_verses):
        if v not in zh_ids and v not in en_ids:
            order.append(v)
        en_ids.setdefault(v, []).append(j)
    return [(tuple(zh_ids.get(v, ())), tuple(en_ids.get(v, ()))) for v in order]


def _encode_into_cache(zh: list[str], en: list[str], cache: Path | None, name: str) -> float:
    """Encode both sides (sentences and two-sentence concatenations); seconds taken.

    With ``cache``, the vectors are saved to (or, on a rerun, read from) ``cache/NAME.npz`` along
    with the seconds the first encoding took, which is what a rerun reports: the encoder is
    deterministic, and the alignment timing does not depend on where the vectors came from.
    """
    import numpy as np

    from zhbridge import embed
    from zhbridge.align.dense import side_vectors

    texts = zh + [a + b for a, b in zip(zh, zh[1:])] + en + [a + " " + b for a, b in zip(en, en[1:])]
    stored = cache / f"{name}.npz" if cache else None
    if stored is not None and stored.exists():
        data = np.load(stored)
        with embed._lock:  # a bench-only shortcut into the encoder's in-process cache
            for text, vector in zip(texts, data["vectors"]):
                embed._cache[text] = vector
        return float(data["seconds"])
    started = time.perf_counter()
    side_vectors(zh, zh=True), side_vectors(en, zh=False)
    seconds = time.perf_counter() - started
    if stored is not None:
        stored.parent.mkdir(parents=True, exist_ok=True)
        np.savez(stored, vectors=embed.encode(texts), seconds=seconds)
    return seconds


def run_one(bible: Path, name: str, features: str, cache: Path | None = None) -> dict:
    from zhbridge.align import align_sentences
    from zhbridge.align.score import as_pairs, score_alignments
    from zhbridge.io import read_lines

    zh = read_lines(bible / "split" / f"{name}.zh")
    en = read_lines(bible / "split" / f"{name}.en")
    started = time.perf_counter()
    if features in ("full", "lexical"):
        from zhbridge.terms.lexicon import load_lexicon

        load_lexicon()
    load_s = time.perf_counter() - started
    embed_s = _encode_into_cache(zh, en, cache, name) if features == "full" else 0.0
    started, cpu_started = time.perf_counter(), time.process_time()
    beads = align_sentences(zh, en, features=features)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    gold = verse_beads(read_lines(bible / "zh.verse")[: len(zh)], read_lines(bible / "en.verse")[: len(en)])
    scores = score_alignments([gold], [as_pairs(beads)])
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return dict(
        slice=name,
        zh=len(zh),
        en=len(en),
        lexicon_load_s=round(load_s, 2),
        embed_s=round(embed_s, 1),
        align_s=round(seconds, 2),
        align_cpu_s=round(cpu, 2),
        peak_rss_mib=round(peak_mib, 1),
        f1_strict=round(scores["f1_strict"], 4),
        f1_lax=round(scores["f1_lax"], 4),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bible", nargs="?", default=str(DEFAULT_BIBLE))
    parser.add_argument("--slices", default="001,002,003,004,005,006")
    parser.add_argument("--features", default="full", choices=["full", "lexical", "length"])
    parser.add_argument("--embed-cache", help="folder to keep each slice's vectors in (a rerun reports the first run's embed_s)")
    parser.add_argument("--encode-only", action="store_true", help="only fill --embed-cache")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    bible = Path(args.bible)
    cache = Path(args.embed_cache) if args.embed_cache else None
    if args.one:
        print(json.dumps(run_one(bible, args.one, args.features, cache)))
        return 0
    if args.encode_only:
        from zhbridge import embed
        from zhbridge.io import read_lines

        for name in args.slices.split(","):
            zh, en = read_lines(bible / "split" / f"{name}.zh"), read_lines(bible / "split" / f"{name}.en")
            embed.clear_cache()  # the slices are prefixes of each other: each is timed from nothing
            print(f"{name}: {_encode_into_cache(zh, en, cache, name):.1f}s to encode", flush=True)
        return 0
    from zhbridge.align.evaluate import signature

    print(f"aligner: {signature(args.features)}")
    print(
        f"{'slice':<6} {'zh':>6} {'en':>6} {'align_s':>8} {'cpu_s':>7} {'load_s':>7} {'embed_s':>8} {'peak_MiB':>9} {'F1_strict':>9} {'F1_lax':>7}"
    )
    results = []
    for name in args.slices.split(","):
        out = subprocess.run(
            [sys.executable, __file__, str(bible), "--one", name, "--features", args.features]
            + (["--embed-cache", str(cache)] if cache else []),
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(r)
        print(
            f"{r['slice']:<6} {r['zh']:>6} {r['en']:>6} {r['align_s']:>8.2f} {r['align_cpu_s']:>7.2f} {r['lexicon_load_s']:>7.2f} {r['embed_s']:>8.1f} "
            f"{r['peak_rss_mib']:>9.1f} {r['f1_strict']:>9.4f} {r['f1_lax']:>7.4f}",
            flush=True,
        )
    if len(results) > 1:
        print(
            f"largest/smallest time ratio: {results[-1]['align_s'] / results[0]['align_s']:.2f} wall, "
            f"{results[-1]['align_cpu_s'] / max(results[0]['align_cpu_s'], 1e-9):.2f} CPU "
            f"(sentences ratio {results[-1]['en'] / results[0]['en']:.1f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
