"""Glossary suggestions from post-edited translations: what translators rendered consistently.

Two kinds, both from (Chinese, English) pairs a translator confirmed (see
:func:`zhbridge.mt.postedits.read_translations`):

* ``contradicts`` — a glossary term occurs, but in most of its pairs the English uses none of
  the glossary's renderings and one other English n-gram consistently;
* ``missing`` — a Chinese term the glossary lacks (found by :mod:`zhbridge.terms.extract`'s
  cohesion and branching tests) whose English the translators kept the same.

The English rendering of a term is its most strongly associated English 1–4-gram over the
pairs (Dice, as in term extraction); "consistent" means it appears in at least
``min_share`` of the pairs holding the term, and in at least ``min_pairs`` of them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from zhbridge.terms.extract import Candidate, chinese_candidates, pair_with_english
from zhbridge.terms.glossary import Glossary
from zhbridge.terms.match import fold

MIN_PAIRS = 2
MIN_SHARE = 0.6


@dataclass
class Suggestion:
    kind: str  # contradicts | missing
    zh: str
    en: str  # what the post-edits used
    glossary_en: str  # the glossary's preferred rendering ("" when missing)
    uses: int  # pairs using ``en``
    pairs: int  # pairs holding ``zh``
    example_zh: str
    example_en: str

    def to_dict(self) -> dict:
        return asdict(self)


def _uses_rendering(english: str, renderings: tuple[str, ...]) -> bool:
    folded = fold(english).lower()
    return any(fold(r).lower() in folded for r in renderings if r)


def _consistent(candidate: Candidate, min_pairs: int, min_share: float) -> bool:
    return bool(candidate.en) and candidate.co_count >= min_pairs and candidate.co_count >= min_share * candidate.pair_count


def suggest(
    pairs: list[tuple[str, str]], glossary: Glossary, *, min_pairs: int = MIN_PAIRS, min_share: float = MIN_SHARE
) -> list[Suggestion]:
    suggestions: list[Suggestion] = []
    by_term: dict[str, list[tuple[str, str]]] = {}
    for zh, en in pairs:
        for match in glossary.find(zh):
            by_term.setdefault(match.entry.zh, []).append((zh, en))
    for zh, holding in sorted(by_term.items()):
        entry = glossary.lookup(zh)
        assert entry is not None  # zh is the headword of the entry that matched
        off_glossary = [(z, e) for z, e in holding if not _uses_rendering(e, entry.renderings)]
        if len(off_glossary) < max(min_pairs, min_share * len(holding)):
            continue
        candidate = Candidate(zh, len(holding), 0.0, 0.0, 0.0, 0.0)
        pair_with_english([candidate], pairs)
        if _consistent(candidate, min_pairs, min_share) and not _uses_rendering(candidate.en or "", entry.renderings):
            suggestions.append(
                Suggestion(
                    "contradicts",
                    zh,
                    candidate.en or "",
                    entry.en,
                    candidate.co_count,
                    candidate.pair_count,
                    candidate.example_zh,
                    candidate.example_en,
                )
            )
    known = [fold(e.zh) for e in glossary]
    candidates = [
        c
        for c in chinese_candidates([zh for zh, _ in pairs], min_freq=min_pairs, background=[])
        if not any(c.zh in k or k in c.zh for k in known)
    ]
    pair_with_english(candidates, pairs)
    taken: list[str] = []
    for c in sorted(candidates, key=lambda c: (-len(c.zh), -c.co_count, c.zh)):
        if _consistent(c, min_pairs, min_share) and not any(c.zh in longer for longer in taken):
            taken.append(c.zh)
            suggestions.append(Suggestion("missing", c.zh, c.en or "", "", c.co_count, c.pair_count, c.example_zh, c.example_en))
    return suggestions
