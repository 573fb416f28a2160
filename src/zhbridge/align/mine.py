"""Mining translation pairs from comparable text: sentences in any order, many without a counterpart.

Candidates come from the sentence encoder (:mod:`zhbridge.embed`): each sentence's best three partners
on the other side (among its eight nearest) by the ratio margin of Artetxe & Schwenk (2019),

    margin(x, y) = cos(x, y) / (mean cos of x with its k nearest y' / 2 + mean cos of y with its k nearest x' / 2),

taken in both directions (a zh sentence's best English and an English sentence's best Chinese).
Cosine and margin alone cannot tell a translation from a sentence on the same topic; the aligner's
lexical evidence can (dictionary coverage, numbers and names that agree, lengths that fit), so each
candidate is judged by a logistic model over both (:data:`CLASSIFIER_FEATURES`; the signed length
ratio and the unmatched word counts tell half a translation, one sentence of a 1-2 bead, from a whole
one), whose weights are
fitted on comparable documents made from ``corpus/training`` (never from the bench sets) by
``python -m zhbridge.align.mine_fit`` and shipped in ``data/mine.json``. Finally a sentence keeps at
most one partner (the highest-scoring pair first), so the output is a one-to-one matching; the shipped
threshold is the one of best F1 on the fitting documents after that linking.

Given machine translations of the zh sentences (plain strings: this package does not translate), each
candidate is also judged English against English (:data:`MT_FEATURES`, :mod:`zhbridge.align.translated`;
Bleualign's idea), the translations' nearest English join the candidates, and the classifier is
``data/mine_mt.json``, fitted by ``scripts/fit_mining_mt.py`` on pairs the translation model never trained on.
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from zhbridge.embed import nearest

K = 4  # neighbours in the margin's denominator (Artetxe & Schwenk use 4)
POOL = 8  # nearest neighbours by cosine in which each sentence's candidates are looked for
PER_SIDE = 3  # candidates per sentence: its best three by margin (the best alone misses a tenth of the translations)
DENSE_FEATURES = (
    "cos",
    "margin",
    "mutual",  # the pair is each side's best by margin
    "best_zh",  # the en sentence is the zh sentence's best by margin
    "best_en",
    "gap_zh",  # margin over the zh sentence's best other English (negative: another is better)
    "gap_en",
    "split_zh",  # how much closer the zh sentence is to this English plus its next best together than to this one alone
    "split_en",
)
CLASSIFIER_FEATURES = DENSE_FEATURES + (
    "lex_score",  # the aligner's score of the pair as a 1-1 bead, without its dense features
    "cov_en",
    "cov_zh",
    "num_match",
    "num_unmatched",
    "name_match",
    "abs_log_ratio",
    # a zh sentence translated by two English ones is matched by either alone: the English is too short and
    # leaves zh words unmatched, so the signed length ratio and the unmatched counts tell a part from a whole
    "log_ratio",
    "unmatched_en",  # log(1 + count)
    "unmatched_zh",
    "len_zh",  # log(1 + characters): short sentences match by chance more often
    "len_en",
)
# Read against the document's own mutual best pairs (minus their median): a free literary translation
# has lower cosines and sparser dictionary matches than the news the model is fitted on, throughout.
# A document with few mutual pairs (a headline against a summary) has no median to speak of: it is
# read against the typical median of the fitting documents instead (``medians`` in the model).
RELATIVE = ("cos", "lex_score", "cov_en", "cov_zh")
MIN_MUTUAL = 8
# With machine translations of the zh sentences (:mod:`zhbridge.align.translated`), English against English:
MT_FEATURES = (
    "mt_cos",  # sentence-encoder cosine of the translation and the English
    "mt_margin",  # its ratio margin, as ``margin``
    "mt_gap_zh",  # mt_cos over the translation's best other English (negative: another is closer)
    "mt_gap_en",
    "mt_split",  # as split_zh: the translation is closer to this English plus its next best than to this alone
    "mt_split_en",  # as split_en: the English is closer to this translation plus its next best
    "chr_en",  # share of the English's character n-grams found in the translation
    "chr_mt",  # share of the translation's found in the English (low: the English is part of the translation)
    "chrf",
    # a part of a 1-2 (2-1) bead: the translation (the English) is covered much better by this English (translation)
    # together with its next best than by this one alone
    "chr_split_zh",
    "chr_split_en",
)
MT_RELATIVE = RELATIVE + ("mt_cos", "chrf")  # the translations' quality varies by document as the cosines do


@dataclass(frozen=True)
class MinedPair:
    zh: int  # index into the zh sentences
    en: int
    score: float  # probability in [0, 1] that the pair is a translation


@functools.lru_cache(maxsize=2)
def shipped_model(translated: bool = False) -> dict:
    """The shipped classifier: ``data/mine.json``, or ``data/mine_mt.json`` for mining with translations."""
    name = "data/mine_mt.json" if translated else "data/mine.json"
    with resources.files("zhbridge.align").joinpath(name).open("r", encoding="utf-8") as fh:
        return json.load(fh)


def model_features(model: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(feature names, names read against the document's median) of a classifier."""
    if model.get("translated"):
        return CLASSIFIER_FEATURES + MT_FEATURES, MT_RELATIVE
    return CLASSIFIER_FEATURES, RELATIVE


def candidates(
    zv: np.ndarray, ev: np.ndarray, k: int = K, per_side: int = PER_SIDE, also: set | None = None
) -> dict[tuple[int, int], list[float]]:
    """(zh, en) → :data:`DENSE_FEATURES` for each sentence's best ``per_side`` partners by margin, both directions
    (and for the pairs ``also``).

    ``split``: a sentence translated as two (a 1-2 bead) is closer to the sum of both than to either;
    such a pair is part of a translation, not a one-to-one pair.
    """
    pool = max(POOL, k, per_side)
    z_sims, z_ids = nearest(zv, ev, pool)  # zh → its nearest en by cosine
    e_sims, e_ids = nearest(ev, zv, pool)
    z_mean, e_mean = z_sims[:, :k].mean(1), e_sims[:, :k].mean(1)
    zm = z_sims / (z_mean[:, None] / 2 + e_mean[z_ids] / 2 + 1e-9)  # margins of each zh's pool
    em = e_sims / (e_mean[:, None] / 2 + z_mean[e_ids] / 2 + 1e-9)
    found = {(i, int(z_ids[i, c])) for i, row in enumerate(np.argsort(-zm, 1)[:, :per_side]) for c in row}
    found |= {(int(e_ids[j, c]), j) for j, row in enumerate(np.argsort(-em, 1)[:, :per_side]) for c in row}
    pairs = sorted(found | (also or set()))
    I, J = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    cos = np.einsum("ij,ij->i", zv[I], ev[J])
    margin = cos / (z_mean[I] / 2 + e_mean[J] / 2 + 1e-9)
    best_z = (np.take_along_axis(z_ids, zm.argmax(1)[:, None], 1)[:, 0][I] == J).astype(float)
    best_e = (np.take_along_axis(e_ids, em.argmax(1)[:, None], 1)[:, 0][J] == I).astype(float)

    def others(m, ids, rows, cols):
        """Each row's best other margin in its pool (the pair itself masked) and who has it."""
        mm = m[rows].copy()
        mm[ids[rows] == cols[:, None]] = -np.inf
        arg = mm.argmax(1)
        return np.take_along_axis(mm, arg[:, None], 1)[:, 0], ids[rows, arg]

    def split(own, other, rows, cols, alt):
        both = other[cols] + other[alt]
        both /= np.maximum(np.linalg.norm(both, axis=1, keepdims=True), 1e-9)
        return np.einsum("ij,ij->i", own[rows], both) - np.einsum("ij,ij->i", own[rows], other[cols])

    # one sentence on the other side: no other (gap clipped to 1) and the "other" is the partner itself (split 0)
    oz, alt_z = others(zm, z_ids, I, J)
    oe, alt_e = others(em, e_ids, J, I)
    gz, ge = np.clip(margin - oz, -1, 1), np.clip(margin - oe, -1, 1)
    sz, se = split(zv, ev, I, J, alt_z), split(ev, zv, J, I, alt_e)
    rows = np.column_stack([cos, margin, best_z * best_e, best_z, best_e, gz, ge, sz, se])
    return {p: [float(v) for v in row] for p, row in zip(pairs, rows)}


def lexical_features(zh: Sequence[str], en: Sequence[str], pairs: Sequence[tuple[int, int]], lexicon=None) -> np.ndarray:
    """The aligner's 1-1 bead evidence for each pair: rows [lex_score, cov_en, cov_zh, num_match, ...] (see
    :data:`CLASSIFIER_FEATURES`, from ``lex_score`` on).

    The pairs are laid out as one document whose k-th zh and en sentences are the k-th pair, so
    each pair is a 1-1 bead on the diagonal and the aligner's own feature code scores it.
    """
    from zhbridge.align.model import FEATURES, build_problem
    from zhbridge.align.search import Band

    width = len(CLASSIFIER_FEATURES) - len(DENSE_FEATURES)
    if not pairs:
        return np.zeros((0, width))
    problem = build_problem([zh[i] for i, _ in pairs], [en[j] for _, j in pairs], lexicon=lexicon, embed=False)
    n = len(pairs)
    diagonal = np.arange(n + 1)
    problem.prepare(Band(diagonal, diagonal + 1))
    f = problem.features((1, 1), diagonal[1:], diagonal[1:])
    lex = f @ problem.w
    col = FEATURES.index
    cols = [col(c) for c in ("cov_en", "cov_zh", "num_match", "num_unmatched", "name_match", "abs_log_ratio")]
    lz, le = f[:, col("zh_len_k")] * 100.0, f[:, col("en_len_k")] * 300.0  # the features' own scaling undone
    log_ratio = np.log((le + 10.0) / (problem.ratio * lz + 10.0))  # abs_log_ratio with its sign
    unmatched = np.log1p(f[:, [col("unmatched_en"), col("unmatched_zh")]])
    return np.column_stack([lex, f[:, cols], log_ratio, unmatched, np.log1p(lz), np.log1p(le)])


def feature_rows(zh: Sequence[str], en: Sequence[str], lexicon=None, k: int = K, encode=None, translations=None):
    """Candidate pairs and their classifier feature rows (:data:`CLASSIFIER_FEATURES` order, then
    :data:`MT_FEATURES` when ``translations`` of the zh sentences are given, which also add candidates)."""
    if encode is None:
        from zhbridge.embed import encode
    width = len(CLASSIFIER_FEATURES) + (len(MT_FEATURES) if translations is not None else 0)
    if not zh or not en:
        return [], np.zeros((0, width))
    zv, ev = np.asarray(encode(list(zh))), np.asarray(encode(list(en)))
    tr = None
    if translations is not None:
        from zhbridge.align.translated import Translations

        if len(translations) != len(zh):
            raise ValueError(f"{len(translations)} translations for {len(zh)} zh sentences")
        tr = Translations(translations, en, encode, en_vectors=ev, pool=POOL)
    cands = candidates(zv, ev, k, also=tr.candidates(k, PER_SIDE) if tr is not None else None)
    pairs = sorted(cands)
    parts = [np.array([cands[p] for p in pairs]), lexical_features(zh, en, pairs, lexicon)]
    if tr is not None:
        parts.append(tr.rows(pairs, k))
    return pairs, np.column_stack(parts)


def document_medians(rows: np.ndarray, translated: bool = False) -> dict[str, float] | None:
    """Median of each :data:`RELATIVE` (or :data:`MT_RELATIVE`) feature over the mutual best pairs (None: too few)."""
    names, rel = model_features({"translated": translated})
    mutual = rows[:, names.index("mutual")] == 1.0
    if mutual.sum() < MIN_MUTUAL:
        return None
    return {name: float(np.median(rows[mutual, names.index(name)])) for name in rel}


def relative(rows: np.ndarray, fallback: dict[str, float], translated: bool = False) -> np.ndarray:
    """``rows`` with each relative feature less the document's median (or ``fallback``'s)."""
    names, rel = model_features({"translated": translated})
    medians = document_medians(rows, translated) or fallback
    out = rows.copy()
    for name in rel:
        out[:, names.index(name)] -= medians[name]
    return out


def _probabilities(rows: np.ndarray, model: dict) -> np.ndarray:
    w = np.array([model["weights"][f] for f in model_features(model)[0]])
    x = rows @ w + model["bias"]
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


def mine(
    zh: Sequence[str],
    en: Sequence[str],
    threshold: float | None = None,
    model: dict | None = None,
    lexicon=None,
    encode=None,
    translations: Sequence[str] | None = None,
) -> list[MinedPair]:
    """Pairs of (zh index, en index) believed to be translations, best first, each sentence used once.

    ``translations``: machine translations of the zh sentences (parallel to ``zh``), judged against the
    English by :data:`MT_FEATURES` with the classifier fitted for them (``data/mine_mt.json``).
    """
    translated = translations is not None
    model = model or shipped_model(translated)
    if bool(model.get("translated")) != translated:
        raise ValueError("the classifier was fitted " + ("with" if model.get("translated") else "without") + " translations")
    threshold = model["threshold"] if threshold is None else threshold
    pairs, rows = feature_rows(zh, en, lexicon, model.get("k", K), encode, translations)
    if not pairs:
        return []
    probs = _probabilities(relative(rows, model["medians"], translated), model)
    return one_to_one(pairs, probs, threshold)


def one_to_one(pairs: Sequence[tuple[int, int]], probs: np.ndarray, threshold: float) -> list[MinedPair]:
    """Competitive linking: the most probable pair first, then the best pair of two still unused sentences, ...
    down to ``threshold``. (A Hungarian assignment maximising the summed probability found the same pairs
    on the fitting documents: a translation's pair is far above the rest of its row and column.)"""
    used_zh: set[int] = set()
    used_en: set[int] = set()
    out = []
    for idx in np.argsort(-probs, kind="stable"):
        i, j = pairs[idx]
        if probs[idx] < threshold:
            break
        if i in used_zh or j in used_en:
            continue
        used_zh.add(i)
        used_en.add(j)
        out.append(MinedPair(i, j, float(probs[idx])))
    return out


def read_sentences(path: str | Path, split: bool, lang: str) -> list[str]:
    """One sentence per line (blank lines skipped), or raw text segmented first when ``split``."""
    from zhbridge.io import read_text

    text = read_text(path)
    if split:
        from zhbridge.text.segment import split_sentences

        return [s for para in text.splitlines() if para.strip() for s in split_sentences(para, lang)]
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def mine_files(
    zh_path: str | Path,
    en_path: str | Path,
    split: bool = False,
    threshold: float | None = None,
    translate: Callable[[list[str]], list[str]] | None = None,
) -> tuple:
    """(zh sentences, en sentences, mined pairs) for two files; the pairs as ``zh<TAB>en<TAB>score`` by :func:`tsv`.

    ``translate``: a function from zh sentences to their machine translations, for translation evidence.
    """
    from zhbridge.io import InputError

    zh, en = read_sentences(zh_path, split, "zh"), read_sentences(en_path, split, "en")
    if not zh or not en:
        raise InputError(f"{zh_path if not zh else en_path}: no sentences to mine")
    translations = translate(zh) if translate is not None else None
    return zh, en, mine(zh, en, threshold, translations=translations)


def tsv(zh: Sequence[str], en: Sequence[str], pairs: Sequence[MinedPair]) -> str:
    clean = lambda s: " ".join(s.replace("\t", " ").split())  # noqa: E731
    return "".join(f"{clean(zh[p.zh])}\t{clean(en[p.en])}\t{p.score:.4f}\n" for p in pairs)


# ---------------------------------------------------------------- comparable documents and fitting


def comparable(zh: list[str], en: list[str], beads, rng: random.Random, drop: float = 0.3):
    """Drop ``drop`` of each side's sentences, shuffle both; gold = the 1-1 beads whose two sides survive.

    Returns (zh sentences, en sentences, gold set of (zh index, en index) in the shuffled lists).
    """
    keep_zh = sorted(rng.sample(range(len(zh)), len(zh) - round(drop * len(zh))))
    keep_en = sorted(rng.sample(range(len(en)), len(en) - round(drop * len(en))))
    rng.shuffle(keep_zh)
    rng.shuffle(keep_en)
    pos_zh = {old: new for new, old in enumerate(keep_zh)}
    pos_en = {old: new for new, old in enumerate(keep_en)}
    gold = {(pos_zh[z[0]], pos_en[e[0]]) for z, e in beads if len(z) == 1 and len(e) == 1 and z[0] in pos_zh and e[0] in pos_en}
    return [zh[i] for i in keep_zh], [en[j] for j in keep_en], gold


def prf(found: set, gold: set) -> dict[str, float]:
    tp = len(found & gold)
    p = tp / len(found) if found else 0.0
    r = tp / len(gold) if gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "found": len(found), "gold": len(gold)}
