"""Consistency checks for a glossary: what `zhbridge glossary validate` reports.

A glossary is the project's memory of decisions, so two entries for one term,
a term with two different preferred renderings, or an entry missing its note
or source are errors, not style issues.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from zhbridge.terms.glossary import CATEGORIES, Entry, Glossary
from zhbridge.terms.match import fold

REQUIRED_FIELDS = ("zh", "en", "pinyin", "category", "note", "source")
_HAN = re.compile(r"[\u3400-\u9fff]")
_SYLLABLE = re.compile(r"[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+")


@dataclass(frozen=True)
class Problem:
    kind: str  # empty-field | duplicate | conflict | duplicate-variant | whitespace | unknown-category | pinyin
    zh: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.zh or '<empty zh>'}: {self.message}"

    def to_dict(self) -> dict:
        return {"kind": self.kind, "zh": self.zh, "message": self.message}


def validate_entry(entry: Entry) -> list[Problem]:
    problems: list[Problem] = []
    for name in REQUIRED_FIELDS:
        if not getattr(entry, name).strip():
            problems.append(Problem("empty-field", entry.zh, f"field {name!r} is empty"))
    for name in ("zh", "en", "pinyin", "category", "source"):
        value = getattr(entry, name)
        if value != value.strip() or "  " in value:
            problems.append(Problem("whitespace", entry.zh, f"field {name!r} has leading/trailing or doubled spaces: {value!r}"))
    seen: set[str] = set()
    for variant in entry.variants:
        key = variant.strip().casefold()
        if not key:
            problems.append(Problem("empty-field", entry.zh, "an empty variant"))
        elif key == entry.en.strip().casefold():
            problems.append(Problem("duplicate-variant", entry.zh, f"variant {variant!r} repeats the preferred rendering"))
        elif key in seen:
            problems.append(Problem("duplicate-variant", entry.zh, f"variant {variant!r} is listed twice"))
        seen.add(key)
    if entry.category and entry.category not in CATEGORIES:
        problems.append(
            Problem("unknown-category", entry.zh, f"category {entry.category!r} is not one of: {', '.join(CATEGORIES)}")
        )
    han = len(_HAN.findall(entry.zh))
    if entry.pinyin.strip() and han:
        syllables = len(_SYLLABLE.findall(_strip_latin_words(entry.zh, entry.pinyin)))
        if syllables != han:
            problems.append(
                Problem("pinyin", entry.zh, f"pinyin {entry.pinyin!r} has {syllables} syllables for {han} Chinese characters")
            )
    return problems


def _strip_latin_words(zh: str, pinyin: str) -> str:
    # Latin words copied from the term (IP, TV, ReelShort) are not syllables
    for word in re.findall(r"[A-Za-z]+", zh):
        pinyin = pinyin.replace(word, " ", 1)
    return pinyin


def validate(glossary: Glossary | list[Entry]) -> list[Problem]:
    entries = glossary.entries if isinstance(glossary, Glossary) else list(glossary)
    problems: list[Problem] = []
    for entry in entries:
        problems.extend(validate_entry(entry))
    by_term: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_term[fold(entry.zh.strip())].append(entry)
    for group in by_term.values():
        if len(group) < 2:
            continue
        preferred = sorted({e.en.strip() for e in group})
        if len(preferred) > 1:
            problems.append(
                Problem("conflict", group[0].zh, "conflicting preferred renderings: " + " / ".join(repr(p) for p in preferred))
            )
        else:
            problems.append(Problem("duplicate", group[0].zh, f"{len(group)} entries for the same term"))
    return problems
