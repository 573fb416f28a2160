"""Longest-match, left-to-right term finder over Chinese text.

Keys are indexed by their first character with the set of key lengths that start
with it, so a scan costs one dict probe per candidate length at each position
instead of walking every term; this stays fast with 100k entries because the
number of distinct lengths per first character is small.

Matching is done on a *folded* copy of the text (full-width ASCII to half-width,
Latin lowercase, the various dashes and quotes unified) so that “微短剧+” in a
press release still finds 微短剧＋ in the glossary. Folding maps one character to
one character, which keeps match offsets valid in the original text. It also writes
Traditional characters the Simplified way (:func:`zhbridge.text.script.to_simplified`, which
keeps lengths), so 鄭州「竪店」 finds 郑州 and 竖店 and a Traditional glossary key meets its
Simplified text.

The English side is :func:`rendering_pattern`: one rendering as a regex tolerant of plurals,
possessives and space/hyphen joins. Term accuracy (``zhbridge.evaluate.terms``) and enforcement
(``zhbridge.mt.enforce``) both match with it, so "honoured" in a translation run means exactly
what the evaluation counts as a correct term.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from zhbridge.text.script import to_simplified

T = TypeVar("T")
_JOINER = r"[\s\-\u2010\u2011\u2013]+"  # what may join the words of a rendering: spaces, hyphens, dashes
_APOSTROPHE = "['\u2019]"


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII block
        table[code] = chr(code - 0xFEE0).lower()
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code).lower()
    table[0x3000] = " "  # ideographic space
    for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d":
        table[ord(dash)] = "-"
    for quote in "\u201c\u201d\u300c\u300d\u300e\u300f\uff02":
        table[ord(quote)] = '"'
    for quote in "\u2018\u2019\uff07":
        table[ord(quote)] = "'"
    table[ord("\u00b7")] = "·"
    table[ord("\u30fb")] = "·"  # katakana middle dot used as a separator in some titles
    return table


_FOLD = _build_fold_table()


def fold(text: str) -> str:
    """Length-preserving normalisation used for matching keys and texts alike."""
    return to_simplified(text).translate(_FOLD)


@dataclass(frozen=True)
class TermMatch(Generic[T]):
    """``text[start:end]`` is an occurrence of ``entry``'s Chinese term."""

    start: int
    end: int
    entry: T


class TermMatcher(Generic[T]):
    """Maps folded surface strings to payloads and finds them in texts."""

    def __init__(self, items: Iterable[tuple[str, T]] = ()) -> None:
        self._by_key: dict[str, T] = {}
        self._lengths: dict[str, tuple[int, ...]] = {}
        pending: dict[str, set[int]] = {}
        for key, payload in items:
            k = fold(key)
            if not k or k in self._by_key:  # first entry wins; validate reports duplicates
                continue
            self._by_key[k] = payload
            pending.setdefault(k[0], set()).add(len(k))
        self._lengths = {ch: tuple(sorted(ls, reverse=True)) for ch, ls in pending.items()}

    def __len__(self) -> int:
        return len(self._by_key)

    def get(self, key: str) -> T | None:
        return self._by_key.get(fold(key))

    def find(self, text: str) -> list[TermMatch[T]]:
        folded = fold(text)
        by_key, lengths = self._by_key, self._lengths
        matches: list[TermMatch[T]] = []
        i, n = 0, len(folded)
        while i < n:
            candidate_lengths = lengths.get(folded[i])
            if candidate_lengths:
                for length in candidate_lengths:
                    if i + length <= n:
                        payload = by_key.get(folded[i : i + length])
                        if payload is not None:
                            matches.append(TermMatch(i, i + length, payload))
                            i += length
                            break
                else:
                    i += 1
                continue
            i += 1
        return matches

    def find_all(self, text: str) -> list[TermMatch[T]]:
        """Every occurrence of every key, overlapping allowed (for lookups, not for annotation)."""
        folded = fold(text)
        by_key, lengths = self._by_key, self._lengths
        matches: list[TermMatch[T]] = []
        n = len(folded)
        for i in range(n):
            for length in lengths.get(folded[i], ()):
                if i + length <= n:
                    payload = by_key.get(folded[i : i + length])
                    if payload is not None:
                        matches.append(TermMatch(i, i + length, payload))
        return matches


# ---------------------------------------------------------------- the English side


@lru_cache(maxsize=20000)
def rendering_pattern(rendering: str) -> re.Pattern | None:
    """Regex for one English rendering with plural/possessive and space/hyphen tolerance."""
    words = [w for w in re.split(_JOINER, rendering.strip()) if w]
    if not words:
        return None
    parts = [re.escape(w) for w in words[:-1]]
    last = words[-1]
    if re.search(r"[^aeiou]y$", last, re.IGNORECASE):
        stem = re.escape(last[:-1]) + "(?:y|ies)"
    elif re.search(r"[^aeiou]ies$", last, re.IGNORECASE):  # glossary gives the plural: accept the singular
        stem = re.escape(last[:-3]) + "(?:y|ies)"
    elif re.search(r"[^su]s$", last, re.IGNORECASE):
        stem = re.escape(last[:-1]) + "(?:s|es)?"
    elif re.search(r"[a-z]$", last, re.IGNORECASE):
        stem = re.escape(last) + "(?:e?s)?"
    else:  # ends in a digit or symbol ("C++", "5G"): no inflection to allow
        stem = re.escape(last)
    parts.append(stem + f"(?:{_APOSTROPHE}s|{_APOSTROPHE})?")
    return re.compile(r"(?<!\w)" + _JOINER.join(parts) + r"(?!\w)", re.IGNORECASE)


def claim_renderings(text: str, renderings_per_term: list[tuple[str, ...]]) -> list[tuple[str, tuple[int, int] | None]]:
    """Which rendering (and span) each source occurrence finds in ``text``; one span serves one occurrence.

    A term twice in the source must appear twice, and "short drama" inside "micro-short
    drama" cannot count for both 短剧 and 微短剧: the longest renderings claim first.
    """
    result: list[tuple[str, tuple[int, int] | None]] = [("", None)] * len(renderings_per_term)
    used: list[tuple[int, int]] = []
    order = sorted(range(len(renderings_per_term)), key=lambda i: -max((len(r) for r in renderings_per_term[i]), default=0))
    for i in order:
        for r in renderings_per_term[i]:
            pattern = rendering_pattern(r) if r.strip() else None
            if pattern is None:
                continue
            span = next(
                (m.span() for m in pattern.finditer(text) if not any(m.start() < e and s < m.end() for s, e in used)), None
            )
            if span is not None:
                used.append(span)
                result[i] = (r, span)
                break
    return result
