"""Corpus metrics through sacrebleu's own metric objects, each with its signature.

A score without the settings that produced it cannot be compared with anything,
so every number leaving this module travels with the sacrebleu signature string
exactly as ``sacrebleu`` prints it (e.g.
``nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0``).

References follow sacrebleu's convention: ``refs`` is a list of reference
*streams*, each as long as the hypotheses (``refs[k][i]`` is the k-th reference
of segment i).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from zhbridge.io import InputError


@dataclass(frozen=True)
class MetricSpec:
    """One registered metric: our stable name, how to build a fresh metric object, its direction."""

    name: str
    factory: Callable[[], Any]
    lower_is_better: bool = False
    aliases: tuple[str, ...] = ()


# Our stable names (case-insensitive on input) -> spec; filled by register_metric, the defaults below.
_REGISTRY: dict[str, MetricSpec] = {}


def register_metric(
    name: str,
    factory: Callable[[], Any],
    *,
    lower_is_better: bool = False,
    aliases: Iterable[str] = (),
    replace: bool = False,
) -> None:
    """Make ``name`` a metric everywhere metrics are chosen (``metrics=``, ``zhbridge evaluate --metrics``).

    ``factory()`` must return a fresh object with sacrebleu's metric interface, as
    ``sacrebleu.metrics.BLEU`` has: ``corpus_score(hyps, refs)`` (``refs`` as reference
    streams) returning a score with ``.score`` and ``.format(signature=str)``, and
    ``get_signature()`` returning an object with ``.format(short=False)``; the signature is
    printed with every score, so it must name the settings. Subclassing
    ``sacrebleu.metrics.base.Metric`` gives all of this. ``lower_is_better`` marks error rates
    (TER): reports show an arrow. Names are matched case-insensitively, so a name or alias that
    differs from a registered one only in case is refused unless ``replace=True``. The paired
    significance tests and per-document scores stay on BLEU and chrF.
    """
    name = name.strip()
    spellings = [name, *(a.strip() for a in aliases)]
    if not name or any(not a or "," in a for a in spellings):
        raise ValueError(f"metric name {name!r}: names and aliases must be non-empty and contain no comma")
    if not callable(factory):
        raise TypeError(f"metric {name!r}: factory must be callable (a class or a function returning a metric)")
    taken = _spellings()
    # replacing may reuse the metric's own spellings, never another metric's
    clashes = [a for a in spellings if a.lower() in taken and not (replace and taken[a.lower()] == name)]
    if clashes:
        owner = taken[clashes[0].lower()]
        hint = "" if replace or owner != name else " (pass replace=True to change it)"
        raise ValueError(f"metric name {clashes[0]!r} is taken by {owner!r}{hint}")
    _REGISTRY[name] = MetricSpec(name, factory, lower_is_better, tuple(spellings[1:]))


def unregister_metric(name: str) -> None:
    """Remove a registered metric (e.g. after a notebook experiment); unknown names are an InputError."""
    (canonical,) = metric_names([name])
    del _REGISTRY[canonical]


def available_metrics() -> tuple[str, ...]:
    """Every registered metric name, in registration order (the defaults first)."""
    return tuple(_REGISTRY)


def is_lower_better(name: str) -> bool:
    """True for metrics where a smaller score is better (TER); ``name`` in any accepted spelling."""
    (canonical,) = metric_names([name])
    return _REGISTRY[canonical].lower_is_better


def _spellings() -> dict[str, str]:
    """Every accepted spelling, lower-cased -> the canonical name."""
    out: dict[str, str] = {}
    for spec in _REGISTRY.values():
        out.update({a.lower(): spec.name for a in spec.aliases})
        out[spec.name.lower()] = spec.name
    return out


def _sacrebleu(kind: str, **settings) -> Callable[[], Any]:
    """A factory that imports sacrebleu only when a metric is built (importing zhbridge stays cheap)."""

    def factory():
        from sacrebleu import metrics

        return getattr(metrics, kind)(**settings)

    return factory


register_metric("BLEU", _sacrebleu("BLEU"))
register_metric("chrF", _sacrebleu("CHRF"), aliases=("chrf2",))
# chrF++ is chrF with word bigrams (word_order=2), as in sacrebleu's ``--chrf-word-order 2``.
register_metric("chrF++", _sacrebleu("CHRF", word_order=2), aliases=("chrf2++", "chrfpp"))
register_metric("TER", _sacrebleu("TER"), lower_is_better=True)

DEFAULT_METRICS: tuple[str, ...] = ("BLEU", "chrF", "chrF++", "TER")
# TER's shift search is quadratic in segment length: ~2 minutes for one WMT23
# system on one core, so the quick set (tables of many systems) leaves it out.
QUICK_METRICS: tuple[str, ...] = ("BLEU", "chrF")


@dataclass(frozen=True)
class MetricScore:
    """One corpus score: the number, sacrebleu's signature and its one-line rendering."""

    name: str
    score: float
    signature: str
    text: str  # sacrebleu's own formatting, e.g. "BLEU = 26.76 57.4/31.7/20.3/13.9 (BP = ...)"


def metric_names(names: Iterable[str] | None = None) -> tuple[str, ...]:
    """Validate metric names (case-insensitive, aliases too) and return them in canonical spelling.

    ``None`` is the default set (BLEU, chrF, chrF++, TER); a registered metric is chosen by name.
    """
    if names is None:
        return DEFAULT_METRICS
    canonical = _spellings()
    out = []
    for name in names:
        key = name.strip().lower()
        if key not in canonical:
            raise InputError(f"unknown metric {name!r}; choose from {', '.join(_REGISTRY)}")
        if canonical[key] not in out:
            out.append(canonical[key])
    if not out:
        raise InputError("no metric chosen")
    return tuple(out)


def make_metric(name: str):
    """A fresh sacrebleu metric object for one of our metric names."""
    (canonical,) = metric_names([name])
    return _REGISTRY[canonical].factory()


def signature_of(metric) -> str:
    """The signature string exactly as the sacrebleu command line prints it (long form)."""
    return metric.get_signature().format(short=False)


def check_references(hyps: Sequence[str], refs: Sequence[Sequence[str]]) -> None:
    """Refuse empty input and reference streams whose length differs from the hypotheses."""
    if isinstance(refs, str) or not refs or isinstance(refs[0], str):
        raise InputError("refs must be a list of reference streams, e.g. [[ref_seg1, ref_seg2, ...]]")
    if len(hyps) == 0:
        raise InputError("hypotheses: empty (0 segments)")
    for k, stream in enumerate(refs, 1):
        if len(stream) != len(hyps):
            raise InputError(f"reference {k}: {len(stream)} segments but the hypotheses have {len(hyps)}")


def corpus_scores(
    hyps: Sequence[str], refs: Sequence[Sequence[str]], metrics: Iterable[str] | None = None
) -> dict[str, MetricScore]:
    """Score one system with each metric; the full-detail form of :func:`score_corpus`."""
    check_references(hyps, refs)
    hyps, refs = list(hyps), [list(r) for r in refs]
    out: dict[str, MetricScore] = {}
    for name in metric_names(metrics):
        metric = make_metric(name)
        result = metric.corpus_score(hyps, refs)
        sig = signature_of(metric)
        out[name] = MetricScore(name, float(result.score), sig, result.format(signature=sig))
    return out


def score_corpus(hyps: list[str], refs: list[list[str]], metrics: Iterable[str] | None = None) -> dict[str, tuple[float, str]]:
    """Corpus scores of one system: metric name -> (score, sacrebleu signature).

    Names are ``BLEU``, ``chrF``, ``chrF++`` and ``TER`` (all four by default;
    pass ``metrics=("BLEU", "chrF")`` to skip TER, which is slow on long segments).
    """
    return {name: (s.score, s.signature) for name, s in corpus_scores(hyps, refs, metrics).items()}


def sentence_chrf(hyps: Sequence[str], refs: Sequence[Sequence[str]]) -> tuple[list[float], str]:
    """Sentence-level chrF of every segment (to find the worst ones) and the signature used."""
    check_references(hyps, refs)
    metric = make_metric("chrF")
    scores = [float(metric.sentence_score(h, [r[i] for r in refs]).score) for i, h in enumerate(hyps)]
    return scores, signature_of(metric)


def per_document_scores(
    hyps: Sequence[str], refs: Sequence[Sequence[str]], doc_ids: Sequence[str], metrics: Iterable[str] = QUICK_METRICS
) -> dict[str, dict[str, float]]:
    """Corpus scores restricted to each document, in order of first appearance.

    Documents are the segments sharing a doc id (they need not be contiguous).
    The signatures equal those of :func:`corpus_scores` with the same metrics.
    """
    check_references(hyps, refs)
    if len(doc_ids) != len(hyps):
        raise InputError(f"doc ids: {len(doc_ids)} lines but the hypotheses have {len(hyps)}")
    members: dict[str, list[int]] = {}
    for i, doc in enumerate(doc_ids):
        members.setdefault(doc, []).append(i)
    names = metric_names(metrics)
    out: dict[str, dict[str, float]] = {}
    for doc, idx in members.items():
        doc_hyps = [hyps[i] for i in idx]
        doc_refs = [[stream[i] for i in idx] for stream in refs]
        out[doc] = {name: float(make_metric(name).corpus_score(doc_hyps, doc_refs).score) for name in names}
    return out
