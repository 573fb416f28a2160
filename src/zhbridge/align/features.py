"""Per-sentence evidence for alignment, computed once per sentence.

Each sentence becomes a few small sets (lexicon translations, numbers, name/Latin
anchors) and a length, so that scoring a sentence pair is a handful of set
intersections. Heavy resources (CC-CEDICT, the pinyin table, the glossary) load
lazily and once per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zhbridge.terms.lexicon import EN_STOPWORDS, en_content_lemmas, pinyin_tables
from zhbridge.text.numbers import en_numbers, zh_numbers

_LATIN_IN_ZH = re.compile(r"[A-Za-z][A-Za-z0-9\-]*")
_CAPITALIZED_RUN = re.compile(r"[A-Z][a-z]+(?:[ \-][A-Z][a-z]+)*")
_QUESTION = ("?", "？")
_EXCLAIM = ("!", "！")
_QUOTES_ZH = '“”「」『』"'
_QUOTES_EN = '“”"'
# British-style dialogue uses single quotes; an apostrophe inside a word (don't, Trinket's) is not one
_SINGLE_QUOTE_EN = re.compile(r"(?<![A-Za-z])['‘’]|['‘’](?![A-Za-z])")


# ---------------------------------------------------------------- names and Latin tokens


def is_pinyin(word: str, max_syllables: int = 4) -> bool:
    """Whether ``word`` splits into at most ``max_syllables`` pinyin syllables (``zhengzhou`` yes, ``house`` no)."""
    syllables = pinyin_tables()[1]
    w = word.lower()
    reach = {0: 0}
    for end in range(1, len(w) + 1):
        best = min((reach[s] + 1 for s in range(max(0, end - 6), end) if s in reach and w[s:end] in syllables), default=None)
        if best is not None and best <= max_syllables:
            reach[end] = best
    return len(w) in reach


def zh_name_keys(text: str) -> set[str]:
    """Pinyin spellings of 2–3 consecutive Han characters, plus Latin tokens, lowercased."""
    table = pinyin_tables()[0]
    keys = {t.lower() for t in _LATIN_IN_ZH.findall(text)}
    run: list[str] = []
    for ch in text + "。":
        py = table.get(ch)
        if py and ch not in "的了是在和有不这那也就都":
            run.append(py)
            continue
        for k in range(len(run) - 1):
            two = run[k] + run[k + 1]
            keys.add(two)
            if k + 2 < len(run):
                keys.add(two + run[k + 2])
        run = []
    return keys


def en_name_keys(text: str) -> set[str]:
    """Capitalized names that read as pinyin (``Ye Wenjie`` -> ``yewenjie``, ``wenjie``) and other Latin names."""
    keys = set()
    for m in _CAPITALIZED_RUN.finditer(text):
        parts = re.split(r"[ \-]", m.group().lower())
        if len(parts) > 1 and all(is_pinyin(p, 2) for p in parts):
            keys.add("".join(parts))
        for p in parts:
            if p not in EN_STOPWORDS and len(p) > 1:
                if is_pinyin(p) and len(p) >= 4:
                    keys.add(p)
                elif not is_pinyin(p):
                    keys.add(p)  # Latin tokens also written in Chinese text (CCTV, TikTok)
    # acronyms and camel-case brands (CCTV, TikTok) are written the same way in Chinese text
    keys.update(t.lower() for t in re.findall(r"\b(?:[A-Z0-9]{2,}|[A-Za-z]+[A-Z][A-Za-z0-9]*)\b", text))
    return keys


def punctuation_counts(text: str, zh: bool) -> tuple[int, int, int]:
    quotes = sum(text.count(q) for q in (_QUOTES_ZH if zh else _QUOTES_EN))
    if not zh:
        quotes += len(_SINGLE_QUOTE_EN.findall(text))
    return (sum(text.count(q) for q in _QUESTION), sum(text.count(q) for q in _EXCLAIM), quotes)


@dataclass
class SentenceEvidence:
    """What one side of a document looks like to the scorer, sentence by sentence."""

    lengths: list[int]
    words: list[set[str]]  # zh: lexicon words; en: content lemmas
    numbers: list[set[str]]
    names: list[set[str]]
    punct: list[tuple[int, int, int]]
    extra: dict = field(default_factory=dict)


def zh_evidence(sentences: list[str], lexicon) -> SentenceEvidence:
    return SentenceEvidence(
        lengths=[sum(1 for c in s if not c.isspace()) for s in sentences],
        words=[lexicon.segment(s) for s in sentences],
        numbers=[zh_numbers(s) for s in sentences],
        names=[zh_name_keys(s) for s in sentences],
        punct=[punctuation_counts(s, True) for s in sentences],
    )


def en_evidence(sentences: list[str]) -> SentenceEvidence:
    return SentenceEvidence(
        lengths=[len(" ".join(s.split())) for s in sentences],
        words=[en_content_lemmas(s) for s in sentences],
        numbers=[en_numbers(s) for s in sentences],
        names=[en_name_keys(s) for s in sentences],
        punct=[punctuation_counts(s, False) for s in sentences],
    )
