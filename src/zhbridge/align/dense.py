"""Dense evidence for alignment: sentence-encoder vectors of the spans a bead can cover.

A bead's cross-lingual cosine is that of the embeddings of its concatenated sentences on each
side (as in Vecalign). Encoding every concatenation a search could consider would cost far more
than the search itself, so only spans of one and two consecutive sentences are encoded (``2n``
strings per side: linear); a span of three or four sentences (1-3, 3-1, 1-4, 4-1 beads) is the
normalised sum of its sentences' vectors, whose cosine with the other side is a sum of sentence
cosines over the span's norm (kept from neighbour dot products, so no vector is ever summed
per bead). Coarse groups of the search are likewise sums of their sentences' vectors.

Each cosine is also read against how close the span is to the other side's text in general
(its dot with the mean vector of the other side's sentences): a generic sentence ("He nodded.")
is close to everything, and Vecalign's normalisation against random pairs corrects exactly that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ADJ = 3  # neighbour offsets kept for span norms: spans of at most ADJ + 1 = 4 sentences


@dataclass
class SideVectors:
    """One side of a document: sentence vectors, two-sentence concatenation vectors, neighbour dots."""

    one: np.ndarray  # (n, D) unit vectors, row i = sentence i
    two: np.ndarray | None  # (n, D) row i = sentences i-1 and i concatenated (row 0 zero); None: use sums
    adj: np.ndarray  # (ADJ, n): adj[k-1, i] = one[i] · one[i-k] (0 where i < k)

    @property
    def n(self) -> int:
        return len(self.one)


def _adjacent(one: np.ndarray) -> np.ndarray:
    adj = np.zeros((ADJ, len(one)))
    for k in range(1, ADJ + 1):
        if len(one) > k:
            adj[k - 1, k:] = np.einsum("ij,ij->i", one[k:], one[:-k])
    return adj


def side_vectors(sentences: Sequence[str], zh: bool, encode=None) -> SideVectors:
    """Encode each sentence and each pair of consecutive sentences (Chinese joins without a space)."""
    if encode is None:
        from zhbridge.embed import encode
    joiner = "" if zh else " "
    texts = list(sentences) + [a + joiner + b for a, b in zip(sentences, sentences[1:])]
    vecs = np.asarray(encode(texts), dtype=np.float32) if texts else np.zeros((0, 512), dtype=np.float32)
    n = len(sentences)
    two = np.zeros_like(vecs[:n])
    two[1:] = vecs[n:]
    return SideVectors(vecs[:n], two, _adjacent(vecs[:n]))


def group_vectors(side: SideVectors, bounds: Sequence[int]) -> SideVectors:
    """The vectors of groups of consecutive sentences (normalised sums), for the search's coarse pass."""
    spans = list(zip(bounds[:-1], bounds[1:]))
    sums = np.stack([side.one[a:b].sum(0) for a, b in spans]) if spans else side.one[:0]
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    one = (sums / np.maximum(norms, 1e-12)).astype(np.float32)
    return SideVectors(one, None, _adjacent(one))


def hub(side: SideVectors, other: SideVectors) -> tuple[np.ndarray, np.ndarray | None]:
    """Dot of each sentence (and concatenation) vector with the other side's mean sentence vector."""
    mean = other.one.mean(0) if other.n else np.zeros(side.one.shape[1], dtype=np.float32)
    return side.one @ mean, (side.two @ mean if side.two is not None else None)


def dense_dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a @ b.T).astype(np.float64)


def banded_dot(a: np.ndarray, b: np.ndarray, plo, phi, start, block: int = 256) -> np.ndarray:
    """a_r · b_c for the band plo[r] <= c < phi[r], flattened row by row (offsets ``start``)."""
    out = np.zeros(int(start[-1]))
    for r0 in range(0, len(a), block):
        r1 = min(r0 + block, len(a))
        c0, c1 = int(plo[r0:r1].min()), int(phi[r0:r1].max())
        if c1 <= c0:
            continue
        dense = a[r0:r1] @ b[c0:c1].T
        widths = phi[r0:r1] - plo[r0:r1]
        local = np.repeat(np.arange(r1 - r0), widths)
        offsets = np.arange(int(start[r1] - start[r0])) - np.repeat(start[r0:r1] - start[r0], widths)
        out[start[r0] : start[r1]] = dense[local, offsets + plo[r0:r1][local] - c0]
    return out


def span_norm_sq(side: SideVectors, ends: np.ndarray, size: int, prefix: np.ndarray | None = None) -> np.ndarray:
    """|sum of the unit vectors of sentences ends-size .. ends-1|², from neighbour dots (``prefix``: their cumsums)."""
    prefix = adj_prefix(side) if prefix is None else prefix
    total = np.full(len(ends), float(size))
    for k in range(1, size):
        # pairs (i, i-k) inside the span: i from ends-size+k to ends-1
        total += 2.0 * (prefix[k - 1][ends] - prefix[k - 1][ends - size + k])
    return np.maximum(total, 1e-12)


def adj_prefix(side: SideVectors) -> np.ndarray:
    return np.concatenate([np.zeros((ADJ, 1)), np.cumsum(side.adj, axis=1)], axis=1)


# sentence-encoder cosines of zh × en spans ending at sentences (r, c): 1 = one sentence, 2 = two concatenated
DENSE_KINDS = ("cos11", "cos21", "cos12", "cos22")


class DenseSpans:
    """Both sides' vectors and the prefix sums that turn span sums into bead cosines in O(1) per bead."""

    def __init__(self, zh: SideVectors, en: SideVectors):
        self.zh, self.en = zh, en
        self.concat = zh.two is not None and en.two is not None
        self.kinds = DENSE_KINDS if self.concat else DENSE_KINDS[:1]
        (hz1, hz2), (he1, he2) = hub(zh, en), hub(en, zh)
        self.adj = (adj_prefix(zh), adj_prefix(en))
        self.hub = (np.concatenate([[0.0], np.cumsum(hz1)]), np.concatenate([[0.0], np.cumsum(he1)]))
        self.hub2 = (hz2, he2) if self.concat else (None, None)

    def vectors(self) -> list[tuple]:
        """(zh rows, en rows) whose dot products make each kind, in ``kinds`` order."""
        z, e = self.zh, self.en
        by_kind = {"cos11": (z.one, e.one), "cos21": (z.two, e.one), "cos12": (z.one, e.two), "cos22": (z.two, e.two)}
        return [by_kind[k] for k in self.kinds]

    def uses_corner(self, shape: tuple[int, int]) -> bool:
        """Whether the bead's cosine is one concatenation dot at its last cell (a two-sentence side)."""
        return self.concat and 2 in shape

    def _norm(self, side: int, ends: np.ndarray, size: int):
        if size == 1:
            return 1.0
        return np.sqrt(span_norm_sq((self.zh, self.en)[side], ends, size, self.adj[side]))

    def _closeness(self, side: int, ends: np.ndarray, size: int, concat: bool) -> np.ndarray:
        two = self.hub2[side]
        if concat and size == 2 and two is not None:
            return two[ends - 1]
        return (self.hub[side][ends] - self.hub[side][ends - size]) / self._norm(side, ends, size)

    def cosines(self, shape, I, J, blocks: np.ndarray, corner: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Cosine of the bead's two span embeddings, and the same less the spans' closeness to everything.

        ``blocks``: the dense kinds summed over the bead's sentence pairs; ``corner``: their values at
        its last cell (given when :meth:`uses_corner`).
        """
        a, b = shape
        if corner is not None:
            dot = corner[self.kinds.index(f"cos{a}{b}")]
        else:  # sums of sentence vectors: the block's summed cosines over the spans' norms
            dot = blocks[0] / (self._norm(0, I, a) * self._norm(1, J, b))
        concat = corner is not None
        hz, he = self._closeness(0, I, a, concat), self._closeness(1, J, b, concat)
        return dot, dot - (hz + he) / 2
