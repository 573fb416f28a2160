"""``align_sentences``: the one entry point the corpus build and the CLI call."""
from __future__ import annotations

from zhbridge.align.beads import Bead
from zhbridge.align.search import SearchSettings, search


def align_sentences(zh: list[str], en: list[str], **options) -> list[Bead]:
    """Align two sentence lists; every sentence of both sides is in exactly one bead, in order.

    Options: ``features`` ("full" or "length"), ``margin``, ``full_cells`` (search settings),
    ``lexicon`` (a prepared :class:`~zhbridge.align.features.Lexicon`, to share between calls).
    """
    from zhbridge.align.model import build_problem

    settings = SearchSettings(**{k: options[k] for k in ("margin", "full_cells", "coarse_size") if k in options})
    problem = build_problem(list(zh), list(en), **{k: v for k, v in options.items() if k in ("features", "lexicon", "weights")})
    path = search(problem, settings)
    beads = []
    for (a, b), (i, j) in path:
        beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), float(problem.confidence((a, b), i, j))))
    return beads
