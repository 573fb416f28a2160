#!/usr/bin/env python
"""Precision/recall/F1 of `zhbridge corpus mine` on a comparable set made from an aligned bench.

Usage: python scripts/eval_mining.py BENCH_DIR [--seed 1] [--threshold X] [--raw]
                                     [--translations CACHE.tsv [--model DIR]] [--classifier JSON]
       python scripts/eval_mining.py --dataset corpus/dataset [--threshold X]

BENCH_DIR has the mac-dev layout (zh/NAME.zh, en/NAME.en, gold/NAME.align). Per chapter a random
30% of each side's sentences is dropped and both sides are shuffled; the miner then sees each
chapter's two shuffled lists, and its pairs are scored against the gold 1-1 beads whose two
sides both survived. ``--raw``: the baseline of cosine + ratio margin alone (each side's best
partner by margin, in both directions, kept when the margin is at least --threshold, default 1.0;
one-to-one as the miner).

``--translations``: mine with machine translations of the zh sentences as evidence (the classifier
``data/mine_mt.json``), read from this ``zh<TAB>translation`` cache; with ``--model`` (a zh→en
model, CT2 export by default, greedy) the sentences missing from the cache are translated into it
first (translation time printed separately). ``--classifier``: a mining classifier JSON instead of the shipped one.

``--dataset``: no gold; mine each article of the dataset's ``monolingual`` split (its Chinese
paragraphs, segmented) against the ``comparable`` English summary of the same document, and print
every pair found; with ``--pooled``, every Chinese sentence of the dataset (all splits) against each summary.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from zhbridge.align.beads import read_beads
from zhbridge.align.mine import comparable, mine, prf
from zhbridge.io import read_lines


def raw_margin(zh: list[str], en: list[str], threshold: float) -> set[tuple[int, int]]:
    import numpy as np

    from zhbridge.align.mine import candidates
    from zhbridge.embed import encode

    cands = candidates(np.asarray(encode(zh)), np.asarray(encode(en)), per_side=1)  # each side's best only, as before
    out, used_zh, used_en = set(), set(), set()
    for (i, j), row in sorted(cands.items(), key=lambda kv: -kv[1][1]):
        if row[1] >= threshold and i not in used_zh and j not in used_en:
            out.add((i, j))
            used_zh.add(i)
            used_en.add(j)
    return out


def mine_dataset(dataset: Path, threshold: float | None, pooled: bool = False) -> None:
    from datasets import load_from_disk

    from zhbridge.text.segment import split_en, split_zh

    dd = load_from_disk(str(dataset))
    zh_docs: dict[str, list[str]] = {}
    for row in dd["monolingual"]:
        zh_docs.setdefault(row["doc_id"], []).extend(split_zh(row["zh"]))
    if pooled:  # the summaries' stories are told in Chinese in other articles of the seeds: every zh sentence, once
        every = [s for split in dd if "zh" in dd[split].column_names for row in dd[split] for s in split_zh(row["zh"])]
        zh_docs = {row["doc_id"]: list(dict.fromkeys(every)) for row in dd["comparable"]}
    total = sentences = 0
    for row in dd["comparable"]:
        zh = zh_docs.get(row["doc_id"], [])
        # the summaries are bullet lists ("Group 1: ... - item [3][7] - item"): bullets are sentences too
        en = [s.strip() for part in row["en"].split(" - ") for s in split_en(part) if len(s.split()) > 3]
        pairs = mine(zh, en, threshold=threshold) if zh and en else []
        sentences += len(en)
        total += len(pairs)
        print(f"{row['doc_id']} ({row['title']}): {len(zh)} zh sentences, {len(en)} en summary sentences, {len(pairs)} pairs")
        for p in pairs:
            print(f"  {p.score:.3f}  {zh[p.zh]}  |||  {en[p.en]}")
    print(f"{len(dd['comparable'])} summaries, {sentences} English sentences: {total} pairs mined")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bench", nargs="?")
    parser.add_argument("--dataset", help="mine the monolingual vs comparable splits of this dataset instead")
    parser.add_argument(
        "--pooled", action="store_true", help="--dataset: every Chinese sentence of the dataset against each summary"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, help="miner probability (default: the shipped model's) or raw margin")
    parser.add_argument("--raw", action="store_true", help="cosine + ratio margin alone (the baseline)")
    parser.add_argument("--translations", help="zh<TAB>translation cache: mine with translation evidence")
    parser.add_argument("--model", help="with --translations: translate what the cache lacks with this model first")
    parser.add_argument("--backend", default="ct2", choices=["ct2", "hf"])
    parser.add_argument("--beams", type=int, default=1)
    parser.add_argument("--classifier", help="mining classifier JSON instead of the shipped one")
    args = parser.parse_args(argv)
    classifier = None
    if args.classifier:
        import json

        classifier = json.loads(Path(args.classifier).read_text(encoding="utf-8"))
    if args.dataset:
        mine_dataset(Path(args.dataset), args.threshold, args.pooled)
        return 0
    if not args.bench:
        parser.error("BENCH_DIR is required unless --dataset is given")
    bench = Path(args.bench)
    names = [f.stem for f in sorted((bench / "gold").glob("*.align"))]
    if args.translations:
        from zhbridge.mt.evidence import load_fast_translator, translate_sentences

        every = [s for name in names for s in read_lines(bench / "zh" / f"{name}.zh")]
        tr = load_fast_translator(args.model, args.backend, args.beams).translate if args.model else None
        started = time.perf_counter()
        translate_sentences(every, tr, args.translations, log=print)
        print(f"translations ready in {time.perf_counter() - started:.1f}s")
    rng = random.Random(args.seed)
    found, gold_all = set(), set()
    started = time.perf_counter()
    print(f"{'doc':<8} {'gold':>5} {'found':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for name in names:
        gold_file = bench / "gold" / f"{name}.align"
        zh, en = read_lines(bench / "zh" / f"{name}.zh"), read_lines(bench / "en" / f"{name}.en")
        beads = [(b.zh, b.en) for b in read_beads(gold_file)]
        czh, cen, gold = comparable(zh, en, beads, rng)
        if args.raw:
            pairs = raw_margin(czh, cen, 1.0 if args.threshold is None else args.threshold)
        else:
            translations = translate_sentences(czh, None, args.translations) if args.translations else None
            pairs = {(p.zh, p.en) for p in mine(czh, cen, threshold=args.threshold, model=classifier, translations=translations)}
        r = prf(pairs, gold)
        print(f"{name:<8} {r['gold']:5d} {r['found']:5d} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f}")
        found |= {(name, p) for p in pairs}
        gold_all |= {(name, g) for g in gold}
    r = prf(found, gold_all)
    kind = "raw cosine + ratio margin" if args.raw else "zhbridge.align.mine (margin + lexical evidence"
    if not args.raw:
        kind += (" + translation evidence" if args.translations else "") + (
            f", {args.classifier})" if args.classifier else ", shipped model)"
        )
    print(f"{'ALL':<8} {r['gold']:5d} {r['found']:5d} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f}")
    print(f"miner: {kind}; seed={args.seed}; threshold={args.threshold}; {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
