"""Learn the bead-model weights from training pairs (never from the bench sets).

Training documents are built from ``corpus/training``: the WMT22/23 en–zh segments in
their document order (each segment is split into sentences, so a segment becomes a
natural 1-1, 1-2, 2-1 ... bead) plus Tatoeba pairs. Random edits add the shapes real
documents have and the training set lacks: two consecutive beads fused on one side
(1-2, 2-1, 1-3 ...) and sentences with no counterpart (0-1, 1-0).

Weights of the search score are learned with an averaged structured perceptron (the
search itself is the inference step, so shape biases are balanced against evidence
exactly as the search uses them); the confidence is a logistic regression of gold beads
against competing beads the search considered. Run ``python -m zhbridge.align.learn``.
"""
from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import numpy as np

from zhbridge.align.beads import BEAD_SHAPES
from zhbridge.align.features import en_evidence, zh_evidence
from zhbridge.align.model import FEATURES, AlignProblem, DocEvidence
from zhbridge.align.search import Band, banded_dp

_ZH_END = re.compile(r"(?<=[。！？!?])(?![”’」』\"])|(?<=[。！？!?][”’」』\"])")
_EN_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z])")


def split_zh(text: str) -> list[str]:
    return [s for s in (p.strip() for p in _ZH_END.split(text)) if s]


def split_en(text: str) -> list[str]:
    return [s for s in (p.strip() for p in _EN_END.split(text)) if s]


def load_segments(training_dir: Path) -> tuple[list[list[tuple[str, str]]], list[tuple[str, str]]]:
    """WMT documents (runs of consecutive segments) and Tatoeba pairs, as (zh, en)."""
    wmt = training_dir / "wmt-en-zh"
    docs = []
    for year in ("2022", "2023"):
        en = (wmt / f"generaltest{year}.en-zh.src.en").read_text(encoding="utf-8").splitlines()
        zh = (wmt / f"generaltest{year}.en-zh.ref.A.zh").read_text(encoding="utf-8").splitlines()
        pairs = [(z, e) for z, e in zip(zh, en) if z.strip() and e.strip()]
        docs.extend(pairs[k:k + 60] for k in range(0, len(pairs), 60))
    tatoeba = []
    for line in (training_dir / "tatoeba" / "cmn-eng.tsv").read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) >= 2:
            tatoeba.append((cols[1], cols[0]))
    return docs, tatoeba


def make_document(pairs: list[tuple[str, str]], rng: random.Random) -> tuple[list[str], list[str], list[tuple[int, int]]]:
    """Sentences of both sides and the gold bead shapes, with random fusions and omissions."""
    beads: list[tuple[list[str], list[str]]] = [(split_zh(z) or [z], split_en(e) or [e]) for z, e in pairs]
    edited: list[tuple[list[str], list[str]]] = []
    k = 0
    while k < len(beads):
        zh, en = beads[k]
        roll = rng.random()
        if roll < 0.25 and k + 1 < len(beads) and len(zh) == 1 and len(beads[k + 1][0]) == 1:
            # Chinese often joins with a comma what English says in two or three sentences
            take = 3 if rng.random() < 0.3 and k + 2 < len(beads) and len(beads[k + 2][0]) == 1 else 2
            for nxt in beads[k + 1:k + take]:
                zh, en = [zh[0].rstrip("。") + "，" + nxt[0][0]], en + nxt[1]
            k += take - 1
        elif roll < 0.30 and k + 1 < len(beads) and len(en) == 1 and len(beads[k + 1][1]) == 1:
            nxt = beads[k + 1]
            zh, en = zh + nxt[0], [en[0] + " " + nxt[1][0]]
            k += 1
        elif roll < 0.32 and len(zh) == 1 and len(en) == 1:
            edited.append((zh, []) if rng.random() < 0.5 else ([], en))
            k += 1
            continue
        edited.append((zh, en))
        k += 1
    zh_sents, en_sents, shapes = [], [], []
    for zh, en in edited:
        if (len(zh), len(en)) not in BEAD_SHAPES:
            continue
        zh_sents += zh
        en_sents += en
        shapes.append((len(zh), len(en)))
    return zh_sents, en_sents, shapes


def gold_path(shapes):
    i = j = 0
    path = []
    for a, b in shapes:
        i, j = i + a, j + b
        path.append(((a, b), (i, j)))
    return path


def path_features(problem: AlignProblem, path) -> np.ndarray:
    total = np.zeros(len(FEATURES))
    for shape, (i, j) in path:
        total += problem.features(shape, np.array([i]), np.array([j]))[0]
    return total


def learn(training_dir: Path, epochs: int = 6, seed: int = 13, tatoeba_pairs: int = 4000, log=print) -> dict:
    from zhbridge.align.lexicon import load_lexicon

    rng = random.Random(seed)
    lexicon = load_lexicon()
    wmt_docs, tatoeba = load_segments(training_dir)
    rng.shuffle(tatoeba)
    raw_docs = wmt_docs + [tatoeba[k:k + 40] for k in range(0, min(len(tatoeba), tatoeba_pairs), 40)]
    docs = []
    for pairs in raw_docs:
        zh, en, shapes = make_document(pairs, rng)
        if zh and en:
            docs.append((DocEvidence(zh_evidence(zh, lexicon), en_evidence(en), lexicon), shapes))
    # length model: variance of the Gale–Church delta on gold 1-1 beads, each doc at its own ratio
    residuals = []
    for doc, shapes in docs:
        ratio = sum(doc.en.lengths) / max(1, sum(doc.zh.lengths))
        for (a, b), (i, j) in gold_path(shapes):
            if (a, b) == (1, 1):
                lz, le = doc.zh.lengths[i - 1], doc.en.lengths[j - 1]
                residuals.append((le - ratio * lz) ** 2 / (ratio * max((lz + le / ratio) / 2, 1.0)))
    variance = float(np.median(residuals) / 0.455)  # median of chi²(1) is 0.455: robust to bad pairs
    log(f"length model: variance={variance:.2f} from {len(residuals)} 1-1 beads; {len(docs)} training documents")
    base = {"length": {"ratio": 3.0, "variance": variance}, "weights": {}, "confidence": {}}
    w = np.zeros(len(FEATURES))
    w[FEATURES.index("shape_1_1")] = 1.0
    w_sum, count = np.zeros_like(w), 0
    pos, neg = [], []
    for epoch in range(epochs):
        rng.shuffle(docs)
        mistakes = 0
        for doc, shapes in docs:
            problem = AlignProblem(doc, base)
            problem.w = w
            band = Band.full(problem.n, problem.m)
            pred = banded_dp(problem, band, BEAD_SHAPES)
            gold = gold_path(shapes)
            if pred != gold:
                mistakes += len(set(gold) - set(pred))
                w = w + path_features(problem, gold) - path_features(problem, pred)
            w_sum += w
            count += 1
            if epoch == epochs - 1:
                gold_set = set(gold)
                for shape, end in gold:
                    pos.append(problem.features(shape, np.array([end[0]]), np.array([end[1]]))[0])
                for shape, end in pred:
                    if (shape, end) not in gold_set:
                        neg.append(problem.features(shape, np.array([end[0]]), np.array([end[1]]))[0])
                for shape, (i, j) in rng.sample(gold, min(len(gold), 5)):
                    alt = rng.choice(BEAD_SHAPES)
                    ii, jj = i + rng.choice((-1, 0, 1)), j + rng.choice((-1, 0, 1))
                    if ((alt, (ii, jj)) not in gold_set and alt[0] <= ii <= problem.n and alt[1] <= jj <= problem.m):
                        neg.append(problem.features(alt, np.array([ii]), np.array([jj]))[0])
        log(f"epoch {epoch + 1}: {mistakes} gold beads missed")
    w_avg = w_sum / max(count, 1)
    conf, bias = _logistic(np.array(pos), np.array(neg))
    return {
        "about": "learned by zhbridge.align.learn from corpus/training (WMT22/23 en-zh, Tatoeba); not from bench data",
        "seed": seed,
        "epochs": epochs,
        "documents": len(docs),
        "length": base["length"],
        "weights": {f: round(float(v), 5) for f, v in zip(FEATURES, w_avg)},
        "confidence": {**{f: round(float(v), 5) for f, v in zip(FEATURES, conf)}, "bias": round(float(bias), 5)},
    }


def _logistic(pos: np.ndarray, neg: np.ndarray, steps: int = 2000, l2: float = 1e-3) -> tuple[np.ndarray, float]:
    X = np.vstack([pos, neg])
    y = np.concatenate([np.ones(len(pos)), np.zeros(len(neg))])
    mu, sd = X.mean(0), X.std(0) + 1e-6
    Z = (X - mu) / sd
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(Z @ w + b)))
        g = p - y
        w -= 0.5 * (Z.T @ g / len(y) + l2 * w)
        b -= 0.5 * g.mean()
    # fold the standardisation back in so the shipped weights apply to raw features
    return w / sd, b - float((w / sd) @ mu)


def main(argv: list[str] | None = None) -> None:
    from zhbridge import paths

    argv = argv if argv is not None else sys.argv[1:]
    out = Path(argv[0]) if argv else Path(__file__).parent / "data" / "weights.json"
    weights = learn(paths.CORPUS_DIR / "training", tatoeba_pairs=int(argv[1]) if len(argv) > 1 else 4000)
    from zhbridge.io import atomic_write_text

    atomic_write_text(out, json.dumps(weights, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
