"""Is this an English word? The word list QA reads to catch the subword model's inventions.

A weak subword model glues pieces into words no English has ("minimacy", "hubsty", "elevis",
"screensive"); nothing else in QA sees them, since they are neither names nor numbers. The list
(``mt/data/english_words.txt.gz``, built by ``scripts/build_wordlist.py``; provenance in
``mt/data/README.md``) holds the word forms written in lowercase in the English of the project's
own training data (a form seen only capitalised, "Macy", is a name) and the English of CC-CEDICT's
glosses. Human references use many rare words that list lacks in one form while having another,
so a word also counts as English when it is a regular inflection (``-s``/``-es``/``-ies``,
``-ed`` <-> ``-ing``), a regular derivation whose base is of the class the suffix needs (``-ness``,
``-ly``, ``-ment``, ``-er``/``-est``, ``-able``), a common prefix (``un-``, ``re-``, ``non-`` …) on a
listed word, or a closed compound of two listed words ("earbuds" is not: "ear" is too short to tell).
Productive suffixes where the model's inventions live (``-ive``, ``-ous``, ``-al``, ``-acy``, ``-ity``,
``-ize``) are deliberately not among them. False alarms on references and catches on MT output are
measured in docs/decoding.md §4.
"""

from __future__ import annotations

import functools
import gzip
import re
from pathlib import Path

WORD_LIST = Path(__file__).parent / "data" / "english_words.txt.gz"
# a word token QA checks: lowercase letters only, not glued to digits or capitals ("5th", "mRNA", "iPhone")
WORD_TOKEN = re.compile(r"(?<![A-Za-z0-9])[a-z]{2,}(?![A-Za-z0-9])")
# prefixes the model does not abuse (measured: "mini-", "ex-", "super-", "multi-" hid more inventions than words)
PREFIXES: tuple[str, ...] = ("un", "in", "im", "il", "ir", "non", "re", "dis", "mis", "over", "under", "sub", "pre")
PREFIXES += ("co", "inter", "anti", "self", "counter", "out", "semi", "micro", "post", "cross")
_ADJECTIVE_ENDINGS = ("ous", "ive", "ful", "less", "al", "ent", "ant", "ar", "ary", "ward", "ish", "ic", "ate")
_MIN_BASE = 3  # "re" + "ad" is no evidence: a stripped word must keep this many letters
_MIN_PART = 4  # each word of a compound: "screens" + "ive" (I’ve) or "mini" + "macy" is no compound


@functools.lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The shipped word list with its regular inflections (about 100,000 forms; loaded once, ~0.2 s)."""
    words = set(gzip.decompress(WORD_LIST.read_bytes()).decode("utf-8").split())
    forms = set(words)
    for w in words:
        forms.update(_inflections(w))
    return frozenset(forms)


def _inflections(w: str) -> list[str]:
    out = []
    if w.endswith("ed"):  # "used" <-> "using", "stopped" <-> "stopping": the same stem either way
        out.append(w[:-2] + "ing")
    elif w.endswith("ing"):
        out.append(w[:-3] + "ed")
    if len(w) >= 3:
        if w.endswith(("s", "x", "z", "ch", "sh")):
            out.append(w + "es")
        elif w.endswith("y") and w[-2] not in "aeiou":
            out.append(w[:-1] + "ies")
        else:
            out.append(w + "s")
    return out


def _verb(w: str, words: frozenset[str]) -> bool:
    return w + "ed" in words or w + "d" in words or w + "ing" in words


def _adjective(w: str, words: frozenset[str]) -> bool:
    return w + "ly" in words or w + "est" in words or w + "ness" in words


def _derivation_of(w: str, words: frozenset[str]) -> bool:
    """Whether ``w`` is a regular derivation of a listed word. Each suffix asks its base to be of the class it
    attaches to (a verb: the list has its -ed or -ing form), so the model's "deliveryer", "propagandament",
    "drivingly" stay unknown while "searchers", "detainment", "shrewdly" are words."""
    for suffix in ("ness", "ly", "ment", "ments", "er", "ers", "est", "able", "ably"):
        stem = w[: -len(suffix)]
        if not w.endswith(suffix) or len(stem) < _MIN_BASE:
            continue
        bases = [stem] + ([stem[:-1] + "y"] if stem.endswith("i") else [])  # happily, busier
        if suffix != "ness":
            bases += [stem + "e"]  # larger, usable, simply (simple)
            if len(stem) > 3 and stem[-1] == stem[-2]:
                bases.append(stem[:-1])  # bigger
        # a derivation of an inflected form is no word ("drivingly", "publicingness")
        bases = [b for b in bases if b in words and not b.endswith(("ing", "ed"))]
        if suffix == "ness" and bases:
            return True
        if suffix == "ly" and any(b.endswith(_ADJECTIVE_ENDINGS) or b.endswith("l") or _adjective(b, words) for b in bases):
            return True
        if suffix.startswith("ment") and any(_verb(b, words) for b in bases):
            return True
        if suffix.startswith(("er", "est")) and any(_verb(b, words) or _adjective(b, words) for b in bases):
            return True
        if suffix.startswith("ab") and any(_verb(b, words) for b in bases):
            return True
    return False


def is_english_word(word: str) -> bool:
    """Whether a lowercase ``word`` is in the list, or a regular derivation or prefixed form of a word in it."""
    words = english_words()
    if word in words or _derivation_of(word, words):
        return True
    # a closed compound of two different listed words ("earbuds", "homebuyers", "roundtable")
    for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
        head, tail = word[:cut], word[cut:]
        if head != tail and head in words and tail in words:
            return True
    for prefix in PREFIXES:
        rest = word[len(prefix) :]
        if not word.startswith(prefix) or len(rest) <= _MIN_BASE:
            continue
        if prefix == "re":  # re- makes verbs: "reallocated", "resends", not "revisual"
            if rest in words and (_verb(rest, words) or rest.endswith(("ed", "ing", "s"))):
                return True
        elif rest in words or _derivation_of(rest, words):
            return True
    return False
