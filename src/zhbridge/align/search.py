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

from dataclasses import dataclass
from typing import Protocol, Sequence

import numpy as np

from zhbridge.align.beads import BEAD_SHAPES

NEG = -1e18


class Problem(Protocol):
    n: int
    m: int

    def bead_scores(self, shape: tuple[int, int], I: np.ndarray, J: np.ndarray) -> np.ndarray: ...

    def coarsen(self, zh_groups: Sequence[int], en_groups: Sequence[int]) -> "Problem": ...


@dataclass(frozen=True)
class SearchSettings:
    shapes: tuple[tuple[int, int], ...] = BEAD_SHAPES
    full_cells: int = 400_000  # below this many cells the DP is simply exhaustive
    group_size: int = 8  # sentences per coarse group (on the shorter side)
    margin: int = 12  # sentences either side of the coarse path kept in the fine band

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
    def full(cls, n: int, m: int) -> "Band":
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


def banded_dp(problem: Problem, band: Band, shapes: Sequence[tuple[int, int]]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
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
        ok = (I >= a) & (J >= b)
        if ok.any():
            s[ok] = problem.bead_scores(shape, I[ok], J[ok])
        scores[shape] = s
    D = np.full(band.size, NEG)
    back = np.full(band.size, -1, dtype=np.int8)
    shape_index = {s: k for k, s in enumerate(shapes)}
    right = (0, 1) in scores
    for i in range(n + 1):
        r0, r1 = start[i], start[i + 1]
        if r0 == r1:
            continue
        js = np.arange(lo[i], hi[i])
        best = np.full(r1 - r0, NEG)
        arg = np.full(r1 - r0, -1, dtype=np.int8)
        if i == 0 and lo[0] == 0:
            best[0] = 0.0
        for shape in down:
            a, b = shape
            p = i - a
            if p < 0 or start[p] == start[p + 1]:
                continue
            pj = js - b
            ok = (pj >= lo[p]) & (pj < hi[p])
            if not ok.any():
                continue
            cand = np.full(r1 - r0, NEG)
            cand[ok] = D[start[p] + pj[ok] - lo[p]] + scores[shape][r0:r1][ok]
            better = cand > best
            best[better] = cand[better]
            arg[better] = shape_index[shape]
        if right:
            # D[j] = max(best[j], D[j-1] + s[j]) is a running max once shifted by the cumulative score.
            step = scores[(0, 1)][r0:r1].copy()
            step[0] = 0.0
            step = np.maximum(step, NEG / 4)
            c = np.cumsum(step)
            run = np.maximum.accumulate(best - c) + c
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
        lo[r0:r1 + 1] = np.minimum(lo[r0:r1 + 1], c0)
        hi[r0:r1 + 1] = np.maximum(hi[r0:r1 + 1], c1 + 1)
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
