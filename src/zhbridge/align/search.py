"""Monotone bead search in linear time: a coarse pass fixes a corridor, a banded DP fills it.

A *problem* is any object with ``n``/``m`` (sentence counts), ``bead_scores(shape, I, J)``
returning the score (higher is better) of the bead of ``shape`` = (zh, en) sentences that
ends at zh position ``I`` and en position ``J`` (exclusive ends, numpy arrays), and
``coarsen(zh_groups, en_groups)`` returning the same kind of problem over groups of
consecutive sentences. The search never builds the full n×m table: documents above
``full_cells`` are first aligned over groups of about ``group_size`` sentences (recursively,
so each level is ``group_size`` times smaller), and the fine DP only visits cells within
``margin`` sentences of the coarse path. Groups have a fixed size, not a fixed count, so
the band's width does not grow with the document and the cost grows linearly with n.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from zhbridge.align.beads import BEAD_SHAPES

NEG = -1e18
SCORE_CHUNK = 1 << 17  # cells scored per call


class Scorer(Protocol):
    """What the banded DP needs: sentence counts and bead scores."""

    n: int
    m: int

    def bead_scores(self, shape: tuple[int, int], I: np.ndarray, J: np.ndarray) -> np.ndarray: ...


class Problem(Scorer, Protocol):
    """What the coarse-to-fine search needs besides: the same problem over groups of sentences."""

    def coarsen(self, zh_groups: Sequence[int], en_groups: Sequence[int]) -> Problem: ...


@dataclass(frozen=True)
class SearchSettings:
    shapes: tuple[tuple[int, int], ...] = BEAD_SHAPES
    full_cells: int = 400_000  # below this many cells the DP is simply exhaustive
    group_size: int = 4  # sentences per coarse group (on the shorter side)
    margin: int = 8  # sentences either side of the coarse path kept in the fine band

    def describe(self) -> str:
        kinds = ",".join(f"{a}-{b}" for a, b in self.shapes)
        return f"search=coarse-to-fine-band(full<={self.full_cells},group={self.group_size},margin={self.margin}),beads={kinds}"


class Band:
    """Allowed en positions ``lo[i] <= j < hi[i]`` for each zh position i in 0..n (both monotone)."""

    def __init__(self, lo: np.ndarray, hi: np.ndarray):
        self.lo = lo.astype(np.int64)
        self.hi = hi.astype(np.int64)
        self.is_full = False
        widths = self.hi - self.lo
        self.start = np.zeros(len(lo) + 1, dtype=np.int64)
        np.cumsum(widths, out=self.start[1:])

    @classmethod
    def full(cls, n: int, m: int) -> Band:
        band = cls(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m + 1, dtype=np.int64))
        band.is_full = True
        return band

    @property
    def size(self) -> int:
        return int(self.start[-1])

    def cells(self) -> tuple[np.ndarray, np.ndarray]:
        rows = np.repeat(np.arange(len(self.lo)), self.hi - self.lo)
        cols = np.arange(self.size) - self.start[rows] + self.lo[rows]
        return rows, cols


def banded_dp(problem: Scorer, band: Band, shapes: Sequence[tuple[int, int]]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Best path through ``band``: a list of (shape, end cell) from the start to (n, m)."""
    n, m = problem.n, problem.m
    if hasattr(problem, "prepare"):
        problem.prepare(band)
    I, J = band.cells()
    lo, hi, start = band.lo, band.hi, band.start
    down = [s for s in shapes if s[0] > 0]
    scores = {}
    for shape in shapes:
        a, b = shape
        s = np.full(I.shape, NEG)
        idx = np.flatnonzero((I >= a) & (J >= b))
        # in chunks: a bead's feature rows are wide, and a whole band of them would dominate peak memory
        for c in range(0, len(idx), SCORE_CHUNK):
            part = idx[c : c + SCORE_CHUNK]
            s[part] = problem.bead_scores(shape, I[part], J[part])
        scores[shape] = s
    # Predecessor cell of every (shape, cell) pair, computed once for the whole band, so that the
    # row loop below is a handful of numpy calls per row (its per-row overhead dominated before).
    size = band.size
    D = np.full(size + 1, NEG)  # the extra last cell stands for "outside the band"
    prev = np.full((len(down), size), size, dtype=np.int64 if size >= 2**31 - 1 else np.int32)
    for k, (a, b) in enumerate(down):
        p, pj = I - a, J - b
        pc = np.clip(p, 0, n)
        valid = (p >= 0) & (pj >= lo[pc]) & (pj < hi[pc])
        prev[k, valid] = start[pc[valid]] + pj[valid] - lo[pc[valid]]
    down_scores = np.vstack([scores[s] for s in down]) if down else np.zeros((0, size))
    down_arg = np.array([shapes.index(s) for s in down], dtype=np.int8)
    back = np.full(size, -1, dtype=np.int8)
    shape_index = {s: k for k, s in enumerate(shapes)}
    right = (0, 1) in scores
    for i in range(n + 1):
        r0, r1 = start[i], start[i + 1]
        if r0 == r1:
            continue
        if i == 0 or not down:
            best = np.full(r1 - r0, NEG)
            arg = np.full(r1 - r0, -1, dtype=np.int8)
            if i == 0 and lo[0] == 0:
                best[0] = 0.0
        else:
            cand = D[prev[:, r0:r1]] + down_scores[:, r0:r1]
            k = cand.argmax(0)  # first best shape wins ties, as in the order of ``shapes``
            best = np.take_along_axis(cand, k[None, :], 0)[0]
            arg = np.where(best > NEG / 2, down_arg[k], -1).astype(np.int8)
        if right:
            # D[j] = max(best[j], D[j-1] + s[j]) is a running max once shifted by the cumulative score.
            step = scores[(0, 1)][r0:r1].copy()
            step[0] = 0.0
            step = np.maximum(step, NEG / 4)
            csum = np.cumsum(step)
            run = np.maximum.accumulate(best - csum) + csum
            moved = run > best + 1e-9
            best = np.where(moved, run, best)
            arg[moved] = shape_index[(0, 1)]
        D[r0:r1] = best
        back[r0:r1] = arg
    if not (lo[n] <= m < hi[n]) or D[start[n] + m - lo[n]] <= NEG / 2:
        raise RuntimeError("alignment band does not reach the end of both documents")
    path = []
    i, j = n, m
    while i > 0 or j > 0:
        k = int(back[start[i] + j - lo[i]])
        if k < 0:
            raise RuntimeError("broken back-pointer in alignment DP")
        shape = shapes[k]
        path.append((shape, (i, j)))
        i, j = i - shape[0], j - shape[1]
    path.reverse()
    return path


def _groups(count: int, parts: int) -> list[int]:
    """Boundaries of ``parts`` near-equal groups of ``count`` items: [0, ..., count]."""
    parts = max(1, min(parts, count))
    return [round(k * count / parts) for k in range(parts + 1)]


def _band_from_coarse(path, zb: list[int], eb: list[int], n: int, m: int, margin: int) -> Band:
    lo = np.full(n + 1, m + 1, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for (a, b), (gi, gj) in path:
        r0, r1 = zb[gi - a], zb[gi]
        c0, c1 = eb[gj - b], eb[gj]
        lo[r0 : r1 + 1] = np.minimum(lo[r0 : r1 + 1], c0)
        hi[r0 : r1 + 1] = np.maximum(hi[r0 : r1 + 1], c1 + 1)
    lo[0], hi[n] = 0, max(hi[n], m + 1)
    # Widen by `margin` sentences in both directions, then restore monotonicity.
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    idx = np.arange(n + 1)
    lo = np.maximum(lo[np.maximum(idx - margin, 0)] - margin, 0)
    hi = np.minimum(hi[np.minimum(idx + margin, n)] + margin, m + 1)
    lo[0] = 0
    hi[n] = m + 1
    return Band(lo, hi)


def refine(problem: Problem, path, settings: SearchSettings = SearchSettings()) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Search ``problem`` again near an earlier ``path`` (its own band, no coarse pass); exhaustive when small."""
    n, m = problem.n, problem.m
    if n == 0 or m == 0 or (n + 1) * (m + 1) <= settings.full_cells:
        return search(problem, settings)
    band = _band_from_coarse(path, list(range(n + 1)), list(range(m + 1)), n, m, max(2, settings.margin // 2))
    return banded_dp(problem, band, settings.shapes)


def search(problem: Problem, settings: SearchSettings = SearchSettings()) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Best monotone bead path for ``problem``; exhaustive when small, coarse-to-fine otherwise."""
    n, m = problem.n, problem.m
    if n == 0 or m == 0:
        shape = (1, 0) if n else (0, 1)
        return [(shape, (k + 1, 0) if n else (0, k + 1)) for k in range(max(n, m))]
    if (n + 1) * (m + 1) <= settings.full_cells:
        return banded_dp(problem, Band.full(n, m), settings.shapes)
    parts = min(n, m) // max(2, settings.group_size)
    if parts < 2:  # cannot coarsen a very lopsided pair: fall back to the full table
        return banded_dp(problem, Band.full(n, m), settings.shapes)
    # the same number of groups on both sides, so coarse beads are mostly 1-1
    zb, eb = _groups(n, parts), _groups(m, parts)
    coarse = problem.coarsen(zb, eb)
    coarse_path = search(coarse, settings)
    band = _band_from_coarse(coarse_path, zb, eb, n, m, settings.margin)
    return banded_dp(problem, band, settings.shapes)
