"""Bead scores: a learned linear model over length, lexicon, number, name and punctuation evidence.

The search asks for the score of every candidate bead in its band; this module turns
per-sentence evidence (:mod:`zhbridge.align.features`) and per-pair set intersections
into a feature vector per bead and dots it with weights learned from training data
(:mod:`zhbridge.align.learn`, shipped in ``data/weights.json``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from importlib import resources
from itertools import chain, repeat
from typing import Any

import numpy as np

from zhbridge.align.beads import BEAD_SHAPES
from zhbridge.align.features import SentenceEvidence, en_evidence, zh_evidence

FEATURES = (
    "cov_en",
    "cov_zh",
    "matched_en",
    "unmatched_en",
    "matched_zh",
    "unmatched_zh",
    "num_match",
    "num_unmatched",
    "name_match",
    "name_unmatched",
    "gc_delta2",
    "abs_log_ratio",
    "punct_diff",
    "zh_len_k",
    "en_len_k",
    "emb_cos",
    "emb_margin",
) + tuple(f"shape_{a}_{b}" for a, b in BEAD_SHAPES)
PAIR_KINDS = ("lex_en", "lex_zh", "num", "name")  # then the dense kinds of align.dense.DenseSpans, when embedding


@functools.lru_cache(maxsize=1)
def shipped_weights() -> dict:
    with resources.files("zhbridge.align").joinpath("data/weights.json").open("r", encoding="utf-8") as fh:
        return json.load(fh)


def _prefix(values) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(np.asarray(values, dtype=np.float64))]) if len(values) else np.zeros(1)


def _binary_rows(sets: Sequence[set], vocab: dict):
    """Sets as rows of a sparse 0/1 matrix over ``vocab`` (elements outside it are dropped)."""
    from scipy.sparse import csr_matrix

    # map/chain keep the per-element work in C: this runs over every lemma of every sentence
    flat = np.fromiter(chain.from_iterable(map(vocab.get, s, repeat(-1, len(s))) for s in sets), dtype=np.int64)
    rows = np.repeat(np.arange(len(sets)), [len(s) for s in sets])
    keep = flat >= 0
    flat, rows = flat[keep], rows[keep]
    indptr = np.zeros(len(sets) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(sets)), out=indptr[1:])
    data = np.ones(len(flat), dtype=np.float32)
    return csr_matrix((data, flat, indptr), shape=(len(sets), max(1, len(vocab))))


def _binary_pair(sets_a: Sequence[set], sets_b: Sequence[set]):
    """Both sides as sparse 0/1 rows over the elements they share, or None if they share none."""
    common = (set().union(*sets_a) & set().union(*sets_b)) if len(sets_a) and len(sets_b) else set()
    if not common:
        return None
    vocab = {x: k for k, x in enumerate(common)}
    return _binary_rows(sets_a, vocab), _binary_rows(sets_b, vocab)


def _dense_overlap(sets_a: Sequence[set], sets_b: Sequence[set], pair=False) -> np.ndarray:
    """|a_i ∩ b_j| for every i, j, by one matrix product over the shared vocabulary (``pair``: precomputed rows)."""
    pair = _binary_pair(sets_a, sets_b) if pair is False else pair
    if pair is None:
        return np.zeros((len(sets_a), len(sets_b)))
    A, B = pair
    return (A @ B.T).toarray().astype(np.float64)


def _banded_overlap(sets_a: Sequence[set], sets_b: Sequence[set], plo, phi, start, block: int = 256, pair=False) -> np.ndarray:
    """|a_r ∩ b_c| for the band plo[r] <= c < phi[r], flattened row by row (offsets ``start``).

    Sparse products of row blocks against the column range the block's band spans: the
    band is monotone, so each block touches only about (block + band width) columns.
    """
    out = np.zeros(int(start[-1]))
    pair = _binary_pair(sets_a, sets_b) if pair is False else pair
    if pair is None:
        return out
    A, B = pair
    for r0 in range(0, len(sets_a), block):
        r1 = min(r0 + block, len(sets_a))
        c0, c1 = int(plo[r0:r1].min()), int(phi[r0:r1].max())
        if c1 <= c0:
            continue
        dense = (A[r0:r1] @ B[c0:c1].T).toarray()
        widths = phi[r0:r1] - plo[r0:r1]
        local_rows = np.repeat(np.arange(r1 - r0), widths)
        offsets = np.arange(int(start[r1] - start[r0])) - np.repeat(start[r0:r1] - start[r0], widths)
        out[start[r0] : start[r1]] = dense[local_rows, offsets + plo[r0:r1][local_rows] - c0]
    return out


class DocEvidence:
    """Both sides of one document reduced to the sets the pair features intersect."""

    def __init__(self, zh: SentenceEvidence, en: SentenceEvidence, lexicon, vectors: tuple | None = None):
        self.zh, self.en = zh, en
        self.vectors = vectors  # (zh, en) :class:`~zhbridge.align.dense.SideVectors`, or None: no dense evidence
        en_vocab = set().union(*en.words) if en.words else set()
        word_tr = {}
        for words in zh.words:
            for w in words:
                if w not in word_tr:
                    word_tr[w] = lexicon.translations(w) & en_vocab
        # zh side: lemmas its words could be rendered as; zh words that have any such rendering
        self.zh_lemmas = [set().union(*(word_tr[w] for w in ws)) if ws else set() for ws in zh.words]
        self.zh_content = [{w for w in ws if word_tr[w]} for ws in zh.words]
        reverse: dict[str, set[str]] = {}
        for w, lemmas in word_tr.items():
            for lemma in lemmas:
                reverse.setdefault(lemma, set()).add(w)
        # en side: translatable lemmas, and the zh words that could have produced them
        self.en_content = [{l for l in ws if l in reverse} for ws in en.words]
        self.en_sources = [set().union(*(reverse[l] for l in ws)) if ws else set() for ws in self.en_content]

    def groups(self, zb: Sequence[int], eb: Sequence[int]) -> DocEvidence:
        """The same evidence over groups of consecutive sentences (for the coarse pass)."""
        new = object.__new__(DocEvidence)

        def merge(side: SentenceEvidence, bounds) -> SentenceEvidence:
            spans = list(zip(bounds[:-1], bounds[1:]))
            return SentenceEvidence(
                lengths=[sum(side.lengths[a:b]) for a, b in spans],
                words=[set().union(*side.words[a:b]) for a, b in spans],
                numbers=[set().union(*side.numbers[a:b]) for a, b in spans],
                names=[set().union(*side.names[a:b]) for a, b in spans],
                punct=[_sum_punct(side.punct[a:b]) for a, b in spans],
            )

        def union_lists(lists, bounds):
            return [set().union(*lists[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]

        new.zh, new.en = merge(self.zh, zb), merge(self.en, eb)
        new.zh_lemmas, new.zh_content = union_lists(self.zh_lemmas, zb), union_lists(self.zh_content, zb)
        new.en_content, new.en_sources = union_lists(self.en_content, eb), union_lists(self.en_sources, eb)
        new.vectors = None
        if self.vectors is not None:
            from zhbridge.align.dense import group_vectors

            new.vectors = (group_vectors(self.vectors[0], zb), group_vectors(self.vectors[1], eb))
        return new


def _sum_punct(rows: Sequence[tuple[int, int, int]]) -> tuple[int, int, int]:
    """Punctuation counts of a group of sentences: the sums of its sentences' counts ((0, 0, 0) for none)."""
    return sum(r[0] for r in rows), sum(r[1] for r in rows), sum(r[2] for r in rows)


class AlignProblem:
    """The search problem for one document: bead feature vectors dotted with learned weights."""

    def __init__(self, doc: DocEvidence, weights: dict, ratio: float | None = None, variance: float | None = None):
        self.doc = doc
        self.n, self.m = len(doc.zh.lengths), len(doc.en.lengths)
        self.weights = weights
        self.w = np.array([weights["weights"].get(f, 0.0) for f in FEATURES])
        self.conf = np.array([weights["confidence"].get(f, 0.0) for f in FEATURES])
        self.conf_bias = weights["confidence"].get("bias", 0.0)
        self.variance = variance or weights["length"]["variance"]
        zl, el = doc.zh.lengths, doc.en.lengths
        # the document's own char ratio is the best estimate of this translator's verbosity
        self.ratio = ratio or (sum(el) / sum(zl) if sum(zl) and sum(el) else weights["length"]["ratio"])
        self.pz: dict[str, Any] = {
            "len": _prefix(zl),
            "content": _prefix([len(s) for s in doc.zh_content]),
            "num": _prefix([len(s) for s in doc.zh.numbers]),
            "punct": [_prefix([p[k] for p in doc.zh.punct]) for k in range(3)],
        }
        self.pe: dict[str, Any] = {
            "len": _prefix(el),
            "content": _prefix([len(s) for s in doc.en_content]),
            "num": _prefix([len(s) for s in doc.en.numbers]),
            "name": _prefix([len(s) for s in doc.en.names]),
            "punct": [_prefix([p[k] for p in doc.en.punct]) for k in range(3)],
        }
        self.pairs: tuple | None = None  # ("dense", overlaps) or ("band", values, plo, phi, start), set by prepare()
        self.dense = None
        self.kinds: tuple[str, ...] = PAIR_KINDS
        if doc.vectors is not None:
            from zhbridge.align.dense import DenseSpans

            self.dense = DenseSpans(*doc.vectors)
            self.kinds = PAIR_KINDS + self.dense.kinds

    # ------------------------------------------------------------ pair evidence
    def _pair_sets(self) -> list[tuple]:
        """(zh sets, en sets) per kind, in PAIR_KINDS order (the row order of the overlap arrays)."""
        d = self.doc
        sets = {
            "lex_en": (d.zh_lemmas, d.en_content),
            "lex_zh": (d.zh_content, d.en_sources),
            "num": (d.zh.numbers, d.en.numbers),
            "name": (d.zh.names, d.en.names),
        }
        return [sets[kind] for kind in PAIR_KINDS]

    def prepare(self, band) -> None:
        """Intersect sentence sets for every pair a bead in ``band`` can contain.

        The four kinds are stacked in one array (kind, pair) so that a bead's pairs are
        located once and read for all kinds together.
        """
        sets = self._pair_sets()
        # the sparse rows depend on the document only: a second pass (with_variance) reuses them
        binary = self.doc.__dict__.get("_binary_pairs")
        if binary is None:
            binary = self.doc.__dict__["_binary_pairs"] = [_binary_pair(a, b) for a, b in sets]
        from zhbridge.align.dense import banded_dot, dense_dot

        vectors = self.dense.vectors() if self.dense is not None else []
        if getattr(band, "is_full", False):
            dense = [_dense_overlap(a, b, pair) for (a, b), pair in zip(sets, binary)] + [dense_dot(a, b) for a, b in vectors]
            self.pairs = ("dense", np.stack(dense))
            return
        n, m = self.n, self.m
        rows = np.arange(n)
        # a bead holding zh sentence r ends at most max_a rows later and starts at most max_b columns back
        max_a, max_b = max(a for a, _ in BEAD_SHAPES), max(b for _, b in BEAD_SHAPES)
        plo = np.maximum(band.lo[rows + 1] - max_b, 0)
        phi = np.minimum(band.hi[np.minimum(rows + max_a, n)], m)
        phi = np.maximum(phi, plo)
        start = np.concatenate([[0], np.cumsum(phi - plo)]).astype(np.int64)
        rows_ = [_banded_overlap(left, right, plo, phi, start, pair=pair) for (left, right), pair in zip(sets, binary)]
        rows_ += [banded_dot(a, b, plo, phi, start) for a, b in vectors]
        values = np.stack(rows_)
        # one zero column at the end stands for every pair outside the band
        values = np.concatenate([values, np.zeros((len(self.kinds), 1))], axis=1)
        self.pairs = ("band", values, plo, phi, start)

    def _pairs(self, R: np.ndarray, C: np.ndarray) -> np.ndarray:
        """Overlaps of zh sentence R with en sentence C for every kind: shape (len(self.kinds), len(R))."""
        if self.pairs is None:  # scored outside a search (tests, training): every pair on demand
            from zhbridge.align.search import Band

            self.prepare(Band.full(self.n, self.m))
        pairs = self.pairs
        assert pairs is not None  # prepare() sets them
        if pairs[0] == "dense":
            return pairs[1][:, R, C]
        _, values, plo, phi, start = pairs
        lo = plo[R]
        idx = start[R] + C - lo
        idx[(C < lo) | (C >= phi[R])] = values.shape[1] - 1
        return values[:, idx]

    def _blocks(self, shape, I, J) -> np.ndarray:
        """Summed overlaps over every zh×en sentence pair inside each bead, per kind."""
        a, b = shape
        total = np.zeros((len(self.kinds), len(I)))
        for da in range(1, a + 1):
            for db in range(1, b + 1):
                total += self._pairs(I - da, J - db)
        return total

    # ------------------------------------------------------------ features and scores
    def features(self, shape, I, J) -> np.ndarray:
        a, b = shape
        I = np.asarray(I, dtype=np.int64)
        J = np.asarray(J, dtype=np.int64)
        pz, pe = self.pz, self.pe

        def span(prefix, ends, size):
            return prefix[ends] - prefix[ends - size]

        lz, le = span(pz["len"], I, a), span(pe["len"], J, b)
        nz, ne = span(pz["content"], I, a), span(pe["content"], J, b)
        f = np.zeros((len(I), len(FEATURES)))
        if a and b:
            blocks = self._blocks(shape, I, J)
            lex_en = np.minimum(blocks[0], ne)
            lex_zh = np.minimum(blocks[1], nz)
            zn, en_ = span(pz["num"], I, a), span(pe["num"], J, b)
            num = np.minimum(blocks[2], np.minimum(zn, en_))
            names = np.minimum(blocks[3], span(pe["name"], J, b))
        else:
            lex_en = lex_zh = num = names = np.zeros(len(I))
            zn = span(pz["num"], I, a) if a else np.zeros(len(I))
            en_ = span(pe["num"], J, b) if b else np.zeros(len(I))
        ename = span(pe["name"], J, b) if b else np.zeros(len(I))
        f[:, 0] = lex_en / np.maximum(ne, 1)
        f[:, 1] = lex_zh / np.maximum(nz, 1)
        f[:, 2], f[:, 3] = lex_en, ne - lex_en
        f[:, 4], f[:, 5] = lex_zh, nz - lex_zh
        f[:, 6], f[:, 7] = num, zn + en_ - 2 * num
        f[:, 8], f[:, 9] = names, ename - names
        delta = (le - self.ratio * lz) / np.sqrt(self.variance * self.ratio * np.maximum((lz + le / self.ratio) / 2, 1.0))
        if a and b:  # an omitted sentence has no length to compare; its shape weight is its whole cost
            f[:, 10] = np.minimum(delta * delta, 50.0)
            f[:, 11] = np.abs(np.log((le + 10.0) / (self.ratio * lz + 10.0)))
        punct = np.zeros(len(I))
        for k in range(3):
            pzk = span(pz["punct"][k], I, a) if a else 0.0
            pek = span(pe["punct"][k], J, b) if b else 0.0
            punct = punct + np.abs(pzk - pek)
        f[:, 12] = np.minimum(punct, 6.0)
        f[:, 13], f[:, 14] = lz / 100.0, le / 300.0
        if a and b and self.dense is not None:
            k = len(PAIR_KINDS)
            corner = self._pairs(I - 1, J - 1)[k:] if self.dense.uses_corner(shape) else None
            f[:, 15], f[:, 16] = self.dense.cosines(shape, I, J, blocks[k:], corner)
        f[:, FEATURES.index(f"shape_{a}_{b}")] = 1.0
        return f

    def bead_scores(self, shape, I, J) -> np.ndarray:
        return self.features(shape, I, J) @ self.w

    def confidences(self, shape, I, J) -> np.ndarray:
        """Probability in [0, 1] that each bead is right (logistic model learned with the weights)."""
        x = self.features(shape, I, J) @ self.conf + self.conf_bias
        return 1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))

    def confidence(self, shape, i: int, j: int) -> float:
        return float(self.confidences(shape, np.array([i]), np.array([j]))[0])

    def coarsen(self, zb: Sequence[int], eb: Sequence[int]) -> AlignProblem:
        return AlignProblem(self.doc.groups(zb, eb), self.weights, self.ratio, self.variance)

    def document_variance(self, path) -> float:
        """This translator's Gale–Church length variance, estimated from the 1-1 beads of a first ``path``.

        The learned weights expect delta² of a right bead to follow chi²(1), which holds at the
        variance of the (literal) training documents; a free translation's lengths scatter
        far more, and delta² then penalises right beads until merging neighbours looks better.
        The robust median estimate (as in training) restores the calibration for this document.
        Never below the trained variance: the first path's 1-1 beads are the length-consistent
        ones, so a low estimate is biased, not evidence of a more literal translator.
        """
        zl, el, r = self.doc.zh.lengths, self.doc.en.lengths, self.ratio
        res = [
            (el[j - 1] - r * zl[i - 1]) ** 2 / (r * max((zl[i - 1] + el[j - 1] / r) / 2, 1.0))
            for (a, b), (i, j) in path
            if (a, b) == (1, 1)
        ]
        if len(res) < 20:  # too few beads to say anything about the translator
            return self.weights["length"]["variance"]
        return max(float(np.median(res)) / 0.455, self.weights["length"]["variance"])  # median of chi²(1) is 0.455

    def with_variance(self, variance: float) -> AlignProblem:
        return AlignProblem(self.doc, self.weights, self.ratio, variance)


def build_problem(
    zh: list[str], en: list[str], features: str = "full", lexicon=None, weights: dict | None = None, embed: bool = True
) -> AlignProblem:
    """The problem for one document; ``embed`` adds the sentence-encoder cosines (full features only)."""
    from zhbridge.terms.lexicon import Lexicon, load_lexicon

    if features == "lexical":  # the full lexical model without the sentence encoder
        features, embed = "full", False
    if features == "length":
        lexicon = Lexicon({}, "none")
    elif lexicon is None:
        lexicon = load_lexicon()
    weights = weights or shipped_weights()
    if features == "length":
        weights = {
            **weights,
            "weights": {
                k: v for k, v in weights["weights"].items() if k in ("gc_delta2", "abs_log_ratio") or k.startswith("shape_")
            },
        }
    vectors = None
    if embed and features == "full":
        from zhbridge.align.dense import side_vectors

        vectors = (side_vectors(zh, zh=True), side_vectors(en, zh=False))
    elif "without_embedding" in weights:  # weights fitted for the path without dense evidence
        weights = {**weights, **weights["without_embedding"]}
    doc = DocEvidence(zh_evidence(zh, lexicon), en_evidence(en), lexicon, vectors)
    return AlignProblem(doc, weights)
