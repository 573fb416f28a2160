"""Terminology accuracy: are the glossary's English terms in the translation?

Follows the *exact-match accuracy* of the WMT 2021 shared task "Machine
Translation using Terminologies" (Alam et al., 2021; reference script
``evaluate_term_wmt.py`` of mahfuzibnalam/terminology_evaluation):

- every occurrence of a term in the source counts once; accuracy is
  correct occurrences / all occurrences, over the whole test set;
- an occurrence is correct when one of its allowed target renderings occurs in
  the hypothesis as a whole word sequence;
- a hypothesis position can satisfy only one source occurrence, so a term that
  occurs twice in the source must occur twice in the translation.

Where we differ, and why:

- source terms are *found* by the glossary's longest-match finder
  (``Glossary.find``), not taken from human span annotations, because our test
  sets carry no annotations; a term the glossary misses is not counted;
- matching is case-insensitive (WMT 2021 was case-sensitive): a term at the
  start of a sentence is still the term;
- instead of stanza lemmatisation (a model download) the last word of a
  rendering may take a plural (-s, -es, -y→-ies) and a possessive ('s, s'),
  and words may be joined by spaces or hyphens ("micro-short drama" ≈
  "micro short drama"): :func:`zhbridge.terms.match.rendering_pattern`, which
  term enforcement matches with too;
- overlapping claims are resolved by letting the longest renderings choose
  first, which avoids the original script's order dependence for nested terms;
- WMT 2021's window-overlap and TERm metrics are not computed.

The reference scored by the same function gives the ceiling: terms the human
translator rendered differently from the glossary lower it below 1.0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from zhbridge.io import InputError
from zhbridge.terms.match import rendering_pattern


class _Finder(Protocol):  # what term_accuracy needs from zhbridge.terms.glossary.Glossary
    def find(self, text: str) -> list: ...


@dataclass(frozen=True)
class TermMiss:
    """A source term whose English the hypothesis lacks (line is 1-based)."""

    line: int
    zh: str
    expected: tuple[str, ...]
    hypothesis: str


@dataclass
class TermAccuracy:
    """Exact-match term accuracy; ``accuracy`` is None when no source segment contains a term."""

    correct: int
    total: int
    accuracy: float | None
    misses: list[TermMiss] = field(default_factory=list)
    by_term: dict[str, tuple[int, int]] = field(default_factory=dict)  # zh -> (correct, total)

    def to_dict(self, max_misses: int | None = None) -> dict:
        misses = self.misses if max_misses is None else self.misses[:max_misses]
        return {
            "correct": self.correct,
            "total": self.total,
            "accuracy": self.accuracy,
            "misses": [{"line": m.line, "zh": m.zh, "expected": list(m.expected), "hypothesis": m.hypothesis} for m in misses],
            "by_term": {zh: {"correct": c, "total": t} for zh, (c, t) in self.by_term.items()},
        }


def _candidate_spans(renderings: Sequence[str], text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for rendering in renderings:
        pattern = rendering_pattern(rendering)
        if pattern is not None:
            spans.extend(m.span() for m in pattern.finditer(text))
    return spans


def _overlaps(span: tuple[int, int], used: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in used)


def segment_term_hits(src: str, hyp: str, glossary: _Finder) -> list[tuple[Any, bool]]:
    """(entry, found) for each term occurrence in ``src``, in source order."""
    occurrences = [m for m in glossary.find(src) if any(r.strip() for r in m.entry.renderings)]
    found = [False] * len(occurrences)
    used: list[tuple[int, int]] = []
    # Longest renderings claim hypothesis text first, so that "short drama" inside
    # "micro-short drama" is not taken by 短剧 before 微短剧 can use it.
    order = sorted(range(len(occurrences)), key=lambda i: -max(len(r) for r in occurrences[i].entry.renderings))
    for i in order:
        for span in _candidate_spans(occurrences[i].entry.renderings, hyp):
            if not _overlaps(span, used):
                used.append(span)
                found[i] = True
                break
    return [(m.entry, ok) for m, ok in zip(occurrences, found)]


def term_accuracy(src: Sequence[str], hyp: Sequence[str], glossary: _Finder) -> TermAccuracy:
    """Exact-match accuracy of glossary terms over all source term occurrences."""
    if len(src) != len(hyp):
        raise InputError(f"term accuracy: source has {len(src)} segments but the translation has {len(hyp)}")
    correct = total = 0
    misses: list[TermMiss] = []
    by_term: dict[str, list[int]] = {}
    for line, (s, h) in enumerate(zip(src, hyp), 1):
        for entry, ok in segment_term_hits(s, h, glossary):
            total += 1
            counts = by_term.setdefault(entry.zh, [0, 0])
            counts[1] += 1
            if ok:
                correct += 1
                counts[0] += 1
            else:
                misses.append(TermMiss(line, entry.zh, tuple(r for r in entry.renderings if r.strip()), h))
    return TermAccuracy(
        correct, total, correct / total if total else None, misses, {zh: (c, t) for zh, (c, t) in by_term.items()}
    )
