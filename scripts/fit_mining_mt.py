#!/usr/bin/env python
"""Fit the miner's classifier with translation evidence (``align/data/mine_mt.json``).

Usage: python scripts/fit_mining_mt.py --translations CACHE.tsv [--model DIR] [--out JSON] [--repeats 8]

The translation features must be fitted on text the translation model has not trained on, or the
classifier would trust translations that are better than they will be on new text. The shipped model
trained on corpus/training and the dataset's train split, less the general dev pairs that
``zhbridge.train.pipeline`` holds out (``_held_out_general``, seed ``DEV_SEED``) and the dataset's
validation split: those are what this fits on (never MAC or bench data). The pairs are made into
synthetic documents by the aligner's generator (fusions, omissions), each drawn ``--repeats`` times
as a comparable set (30 % of each side dropped, shuffled). The zh sentences of those documents are
translated with ``--model`` (CT2 export, greedy) into the cache, once.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from zhbridge.align.learn import gold_path, make_document
from zhbridge.align.mine_fit import fit
from zhbridge.io import atomic_write_text
from zhbridge.mt.evidence import load_fast_translator, translate_sentences
from zhbridge.train import data
from zhbridge.train.pipeline import DEV_PAIRS, DEV_SEED, _held_out_general

OUT = Path(__file__).resolve().parents[1] / "src" / "zhbridge" / "align" / "data" / "mine_mt.json"
CHUNK = 200  # held-out pairs per document: a chapter-sized pool of distractors


def held_out_documents(seed: int):
    """(zh, en, beads) synthetic documents from the pairs the translation model never trained on."""
    _, dev = _held_out_general(data.load_general_pairs(seed=0), DEV_PAIRS, DEV_SEED)
    validation = data.load_corpus_splits(None)["validation"]
    rng = random.Random(seed)
    out = []
    for chunk in [dev[k : k + CHUNK] for k in range(0, len(dev), CHUNK)] + [validation]:
        zh, en, shapes = make_document(list(chunk), rng)
        beads = [(tuple(range(i - a, i)), tuple(range(j - b, j))) for (a, b), (i, j) in gold_path(shapes)]
        out.append((zh, en, beads))
    return out, len(dev), len(validation)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--translations", required=True, help="zh<TAB>translation cache (read, and written with --model)")
    parser.add_argument("--model", help="translate what the cache lacks with this model (CT2 export by default)")
    parser.add_argument("--backend", default="ct2", choices=["ct2", "hf"])
    parser.add_argument("--beams", type=int, default=1)
    parser.add_argument("--out", default=str(OUT))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=8)
    parser.add_argument("--l2", type=float, default=1e-3)
    args = parser.parse_args(argv)
    docs, n_dev, n_val = held_out_documents(args.seed)
    every = [s for zh, _, _ in docs for s in zh]
    tr = load_fast_translator(args.model, args.backend, args.beams).translate if args.model else None
    mt = dict(zip(every, translate_sentences(every, tr, args.translations, log=print)))
    model = fit(docs, args.seed, translations=mt, repeats=args.repeats, l2=args.l2)
    model["about"] = (
        f"fitted with translation evidence on comparable documents made from the {n_dev} general dev pairs held out by "
        f"zhbridge.train.pipeline (DEV_SEED={DEV_SEED}) and the {n_val} pairs of the dataset's validation split, "
        f"{args.repeats} draws each, by `python scripts/fit_mining_mt.py --seed {args.seed} --repeats {args.repeats} "
        f"--l2 {args.l2}`; translations: greedy CT2 int8 export of models/zhbridge-default; no bench or gold data"
    )
    atomic_write_text(Path(args.out), json.dumps(model, indent=1) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
