"""``align_sentences``: the one entry point the corpus build and the CLI call."""

from __future__ import annotations

from zhbridge.align.beads import Bead
from zhbridge.align.search import SearchSettings, refine, search

# re-align only when this document's length variance is clearly above the trained one (saves a pass)
VARIANCE_RERUN = 1.2


def align_sentences(zh: list[str], en: list[str], **options) -> list[Bead]:
    """Align two sentence lists; every sentence of both sides is in exactly one bead, in order.

    Options: ``features`` ("full" or "length"), ``margin``, ``full_cells``, ``group_size`` (search settings),
    ``lexicon`` (a prepared :class:`~zhbridge.align.features.Lexicon`, to share between calls),
    ``embed`` (default True: add the sentence-encoder cosine of each bead; False: lexical evidence only).
    """
    from zhbridge.align.model import build_problem

    settings = SearchSettings(**{k: options[k] for k in ("margin", "full_cells", "group_size") if k in options})
    problem = build_problem(
        list(zh), list(en), **{k: v for k, v in options.items() if k in ("features", "lexicon", "weights", "embed")}
    )
    path = search(problem, settings)
    # second pass with the length model fitted to this translator (see AlignProblem.document_variance)
    variance = problem.document_variance(path)
    if variance > VARIANCE_RERUN * problem.variance:
        problem = problem.with_variance(variance)
        path = refine(problem, path, settings)
    import numpy as np

    # one vectorised confidence call per bead shape, not per bead
    scores = [0.0] * len(path)
    for shape in {s for s, _ in path}:
        idx = [k for k, (s, _) in enumerate(path) if s == shape]
        ends = np.array([path[k][1] for k in idx])
        for k, value in zip(idx, problem.confidences(shape, ends[:, 0], ends[:, 1])):
            scores[k] = float(value)
    return [Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), scores[k]) for k, ((a, b), (i, j)) in enumerate(path)]
