"""``align_sentences``: the one sentence aligner behind the corpus build, ``align.batch`` (the CLI),
``align.evaluate`` and the one-line ``zhbridge.align`` call."""

from __future__ import annotations

from zhbridge.align.beads import Bead
from zhbridge.align.search import SearchSettings, refine, search

# re-align only when this document's length variance is clearly above the trained one (saves a pass)
VARIANCE_RERUN = 1.2

SEARCH_OPTIONS = ("margin", "full_cells", "group_size")  # fields of SearchSettings
PROBLEM_OPTIONS = ("features", "lexicon", "weights", "embed")  # keywords of align.model.build_problem


def align_sentences(zh: list[str], en: list[str], **options) -> list[Bead]:
    """Align two sentence lists; every sentence of both sides is in exactly one bead, in order.

    Options: ``features`` ("full", "lexical" = full without the sentence encoder, or "length"),
    ``margin``, ``full_cells``, ``group_size`` (search settings),
    ``lexicon`` (a prepared :class:`~zhbridge.terms.lexicon.Lexicon`, to share between calls),
    ``weights`` (a weights dict like ``align/data/weights.json``; default the shipped one),
    ``embed`` (default True: add the sentence-encoder cosine of each bead; False: lexical evidence only).
    Any other option is a TypeError naming it (a misspelt ``margn=`` would otherwise align with defaults).
    """
    from zhbridge.align.model import build_problem

    unknown = sorted(set(options) - set(SEARCH_OPTIONS) - set(PROBLEM_OPTIONS))
    if unknown:
        known = ", ".join(SEARCH_OPTIONS + PROBLEM_OPTIONS)
        raise TypeError(f"align_sentences() got unknown option(s) {', '.join(unknown)} (known: {known})")
    settings = SearchSettings(**{k: options[k] for k in SEARCH_OPTIONS if k in options})
    problem = build_problem(list(zh), list(en), **{k: options[k] for k in PROBLEM_OPTIONS if k in options})
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
