"""Fitting the miner's classifier (``data/mine.json``; with translation evidence ``data/mine_mt.json``).

``python -m zhbridge.align.mine_fit`` fits ``mine.json`` on comparable documents made
from ``corpus/training``; ``scripts/fit_mining_mt.py`` fits ``mine_mt.json`` through :func:`fit`.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np

from zhbridge.align.mine import (
    K,
    _probabilities,
    comparable,
    document_medians,
    feature_rows,
    model_features,
    one_to_one,
    prf,
    relative,
)


def fit(
    documents,
    seed: int = 7,
    log=print,
    translations: dict[str, str] | None = None,
    repeats: int = 1,
    l2: float = 1e-3,
) -> dict:
    """Logistic weights over candidate features of comparable ``documents`` [(zh, en, beads)], threshold by F1.

    ``translations`` (zh sentence → its machine translation): fit the classifier with :data:`MT_FEATURES`.
    ``repeats``: comparable sets drawn per document (other sentences dropped each time), for small fitting data.
    """
    from zhbridge.align.learn import _logistic
    from zhbridge.terms.lexicon import load_lexicon

    translated = translations is not None
    names, rel = model_features({"translated": translated})
    rng = random.Random(seed)
    lexicon = load_lexicon()
    y: list[bool] = []
    golds: list[set] = []
    groups: list[list] = []
    raw = []
    for _ in range(repeats):
        for zh, en, beads in documents:
            czh, cen, gold = comparable(zh, en, beads, rng)
            mt = [translations[s] for s in czh] if translations is not None else None
            pairs, rows = feature_rows(czh, cen, lexicon, translations=mt)
            raw.append(rows)
            y.extend(p in gold for p in pairs)
            golds.append(gold)
            groups.append(pairs)
    per_doc = [m for m in (document_medians(r, translated) for r in raw) if m is not None]
    medians = {name: round(float(np.mean([m[name] for m in per_doc])), 6) for name in rel}
    X = [relative(rows, medians, translated) for rows in raw]
    Xa, ya = np.vstack(X), np.array(y)
    w, b = _logistic(Xa[ya], Xa[~ya], l2=l2)
    model = {
        "weights": {f: round(float(v), 6) for f, v in zip(names, w)},
        "bias": round(float(b), 6),
        "k": K,
        "medians": medians,
    }
    if translated:
        model["translated"] = True
    best = (0.0, 0.5)
    probs = [_probabilities(rows, model) for rows in X]
    gold_all = {(d, g) for d, gold in enumerate(golds) for g in gold}
    for t in np.arange(0.05, 0.96, 0.05):  # the threshold of the best F1 after one-to-one linking, as mine() runs
        found = {(d, (p.zh, p.en)) for d, (pairs, q) in enumerate(zip(groups, probs)) for p in one_to_one(pairs, q, t)}
        best = max(best, (prf(found, gold_all)["f1"], round(float(t), 2)))
    model["threshold"] = best[1]
    log(f"{len(raw)} documents, {len(ya)} candidates ({int(ya.sum())} right); threshold {best[1]} (F1 {best[0]:.3f})")
    return model


def training_documents(training_dir: Path, seed: int = 7):
    """Synthetic translated documents from corpus/training (the aligner's generator), as (zh, en, beads)."""
    from zhbridge.align.learn import gold_path, load_segments, make_document

    rng = random.Random(seed)
    chunks, _ = load_segments(training_dir)
    # four consecutive 60-segment chunks per document: a chapter-sized pool of distractors for each sentence
    docs = [[p for chunk in chunks[k : k + 4] for p in chunk] for k in range(0, len(chunks), 4)]
    out = []
    for pairs in docs:
        zh, en, shapes = make_document(pairs, rng)
        beads = [(tuple(range(i - a, i)), tuple(range(j - b, j))) for (a, b), (i, j) in gold_path(shapes)]
        out.append((zh, en, beads))
    return out


def main(argv: list[str] | None = None) -> None:
    import argparse

    from zhbridge import paths
    from zhbridge.io import atomic_write_text

    parser = argparse.ArgumentParser(description="Fit the mining classifier on corpus/training (never bench data).")
    parser.add_argument("out", nargs="?", default=str(Path(__file__).parent / "data" / "mine.json"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    model = fit(training_documents(paths.CORPUS_DIR / "training", args.seed), args.seed)
    model["about"] = (
        "fitted on comparable documents made from corpus/training WMT22/23 en-zh (30% of each side dropped, shuffled) by "
        f"`python -m zhbridge.align.mine_fit --seed {args.seed}`; no bench or gold data"
    )
    atomic_write_text(Path(args.out), json.dumps(model, indent=1) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
