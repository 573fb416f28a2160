"""Bead scoring problems for the search: length-only (Gale–Church-like) for now."""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

# log prior of each bead shape (Gale & Church 1993 style, refined later from data)
SHAPE_PRIOR = {(1, 1): 0.80, (1, 0): 0.01, (0, 1): 0.01, (2, 1): 0.05, (1, 2): 0.08, (2, 2): 0.02, (1, 3): 0.02, (3, 1): 0.01}


def zh_length(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def en_length(text: str) -> int:
    return len(" ".join(text.split()))


class LengthProblem:
    """Score = log P(shape) + log N(delta; 0, 1), delta = (en - c·zh) / sqrt(s2·mean length)."""

    def __init__(self, zh_lengths: np.ndarray, en_lengths: np.ndarray, ratio: float = 2.9, variance: float = 6.0):
        self.zl = np.concatenate([[0.0], np.cumsum(zh_lengths, dtype=np.float64)])
        self.el = np.concatenate([[0.0], np.cumsum(en_lengths, dtype=np.float64)])
        self.n, self.m = len(zh_lengths), len(en_lengths)
        self.ratio, self.variance = ratio, variance

    def _delta(self, shape, I, J):
        a, b = shape
        lz = self.zl[I] - self.zl[I - a]
        le = self.el[J] - self.el[J - b]
        base = (lz * self.ratio + le) / 2.0
        return (le - lz * self.ratio) / np.sqrt(self.variance * self.ratio * np.maximum(base, 1.0))

    def bead_scores(self, shape, I, J):
        d = self._delta(shape, I, J)
        return math.log(SHAPE_PRIOR.get(shape, 1e-3)) - 0.5 * d * d

    def confidence(self, shape, i, j) -> float:
        d = float(self._delta(shape, np.array([i]), np.array([j]))[0])
        return float(math.exp(-0.5 * d * d)) if shape[0] and shape[1] else 0.0

    def coarsen(self, zb: Sequence[int], eb: Sequence[int]) -> "LengthProblem":
        return LengthProblem(np.diff(self.zl[list(zb)]), np.diff(self.el[list(eb)]), self.ratio, self.variance)


def build_problem(zh: list[str], en: list[str], features: str = "length", **_):
    return LengthProblem(np.array([zh_length(s) for s in zh], dtype=float), np.array([en_length(s) for s in en], dtype=float))
