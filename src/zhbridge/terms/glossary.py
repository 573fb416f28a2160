"""Glossary entries and the glossary TSV file: the only place that format is read or written.

File format (UTF-8, one entry per line, sorted by ``zh`` then ``en`` so diffs stay small)::

    zh<TAB>en<TAB>variants<TAB>pinyin<TAB>category<TAB>note<TAB>source

``variants`` are the allowed alternative English renderings separated by `` | ``.
Inside a field, backslash escapes keep tabs, newlines, backslashes and (in
variants) ``|`` lossless: ``\\t``, ``\\n``, ``\\r``, ``\\\\``, ``\\|``.
Lines starting with ``#`` are comments and blank lines are ignored.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from zhbridge import paths
from zhbridge.io import InputError, atomic_write_text, read_text
from zhbridge.terms.match import TermMatch, TermMatcher

COLUMNS = ("zh", "en", "variants", "pinyin", "category", "note", "source")
# optional: the form used after the first mention in a document (en is then the first-mention form);
# written only when an entry has one, so older seven-column glossaries read and write unchanged
OPTIONAL_COLUMNS = ("short",)
VARIANT_SEPARATOR = " | "

CATEGORIES = (
    "industry term",
    "genre/trope",
    "policy/slogan",
    "nickname",
    "organisation",
    "company",
    "platform",
    "base/studio",
    "place",
    "drama title",
    "film title",
    "person",
    "event/campaign",
    "award",
    "publisher",
    "publication",
)

__all__ = ["Entry", "Glossary", "TermMatch", "load_glossary", "save_glossary", "pinyin_of", "COLUMNS", "CATEGORIES"]


@dataclass(frozen=True)
class Entry:
    """One glossary decision: how ``zh`` is rendered in English, and why."""

    zh: str
    en: str
    variants: tuple[str, ...] = ()
    pinyin: str = ""
    category: str = ""
    note: str = ""
    source: str = ""
    short: str = ""  # later mentions in a document use this instead of ``en``

    def __post_init__(self) -> None:
        # Accept lists from callers (JSON, CSV) while keeping the entry hashable.
        if not isinstance(self.variants, tuple):
            object.__setattr__(self, "variants", tuple(self.variants))

    @property
    def renderings(self) -> tuple[str, ...]:
        """Preferred English first, then the allowed variants."""
        return (self.en, *self.variants, *((self.short,) if self.short and self.short not in self.variants else ()))

    def to_dict(self) -> dict:
        return {
            "zh": self.zh,
            "en": self.en,
            "variants": list(self.variants),
            "pinyin": self.pinyin,
            "category": self.category,
            "note": self.note,
            "source": self.source,
            **({"short": self.short} if self.short else {}),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Entry:
        variants = data.get("variants") or ()
        if isinstance(variants, str):
            variants = split_variants(variants)
        return cls(
            zh=str(data.get("zh", "")),
            en=str(data.get("en", "")),
            variants=tuple(variants),
            pinyin=str(data.get("pinyin", "") or ""),
            category=str(data.get("category", "") or ""),
            note=str(data.get("note", "") or ""),
            source=str(data.get("source", "") or ""),
            short=str(data.get("short", "") or ""),
        )


def sort_key(entry: Entry) -> tuple[str, str, str]:
    return (entry.zh, entry.en, entry.category)


@dataclass
class Glossary:
    """An ordered collection of entries with a longest-match finder built on first use."""

    entries: list[Entry] = field(default_factory=list)
    path: Path | None = None

    def __post_init__(self) -> None:
        self.entries = list(self.entries)
        self._matcher: TermMatcher[Entry] | None = None

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    @property
    def matcher(self) -> TermMatcher[Entry]:
        if self._matcher is None:
            self._matcher = TermMatcher((e.zh, e) for e in self.entries)
        return self._matcher

    def find(self, text: str) -> list[TermMatch[Entry]]:
        """Every glossary term in ``text``: longest match first, non-overlapping, left to right."""
        return self.matcher.find(text)

    def annotate(self, text: str) -> str:
        """Dinu et al. (2019)-style inline annotation: each term found is followed by ⟨its English⟩."""
        pieces, last = [], 0
        for m in self.find(text):
            pieces += [text[last : m.end], f"⟨{m.entry.en}⟩"]
            last = m.end
        return "".join(pieces) + text[last:]

    def lookup(self, zh: str) -> Entry | None:
        """The entry whose Chinese term is exactly ``zh`` (after width/case folding), or None."""
        return self.matcher.get(zh.strip())

    def add(self, entry: Entry, *, replace_existing: bool = False) -> None:
        existing = self.lookup(entry.zh)
        if existing is not None:
            if not replace_existing:
                raise InputError(f"glossary already has {entry.zh!r} (→ {existing.en!r}); use --replace to change it")
            self.entries = [e for e in self.entries if e is not existing]
        self.entries.append(entry)
        self.entries.sort(key=sort_key)
        self._matcher = None

    def replace_entries(self, entries: Iterable[Entry]) -> None:
        """All entries at once, sorted once (bulk imports; :meth:`add` sorts on every call)."""
        self.entries = sorted(entries, key=sort_key)
        self._matcher = None

    def remove(self, zh: str) -> Entry:
        existing = self.lookup(zh)
        if existing is None:
            raise InputError(f"glossary has no entry {zh!r}")
        self.entries = [e for e in self.entries if e is not existing]
        self._matcher = None
        return existing


# ---------------------------------------------------------------- TSV file format

_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r", "|": "|"}


def _escape(value: str, *, bar: bool = False) -> str:
    out = "".join(_ESCAPES.get(ch, ch) for ch in value)
    return out.replace("|", "\\|") if bar else out


def _unescape(value: str) -> str:
    if "\\" not in value:
        return value
    out, i = [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value) and value[i + 1] in _UNESCAPES:
            out.append(_UNESCAPES[value[i + 1]])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def split_variants(raw: str) -> tuple[str, ...]:
    """Split an escaped variants field on unescaped ``|``."""
    parts, current, i = [], [], 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            current.append(raw[i : i + 2])
            i += 2
            continue
        if ch == "|":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return tuple(_unescape(p.strip()) for p in parts if p.strip())


def join_variants(variants: Iterable[str]) -> str:
    return VARIANT_SEPARATOR.join(_escape(v, bar=True) for v in variants)


def format_entry(entry: Entry, *, with_short: bool = False) -> str:
    fields = [entry.zh, entry.en, None, entry.pinyin, entry.category, entry.note, entry.source]
    if with_short:
        fields.append(entry.short)
    cells = [join_variants(entry.variants) if value is None else _escape(value) for value in fields]
    return "\t".join(cells)


def parse_entry(line: str, *, where: str = "<line>") -> Entry:
    cells = line.split("\t")
    if len(cells) not in (len(COLUMNS), len(COLUMNS) + len(OPTIONAL_COLUMNS)):
        raise InputError(
            f"{where}: expected {len(COLUMNS)} tab-separated columns ({', '.join(COLUMNS)}), "
            f"optionally followed by {', '.join(OPTIONAL_COLUMNS)}; found {len(cells)}"
        )
    zh, en, variants, pinyin, category, note, source, *optional = cells
    return Entry(
        zh=_unescape(zh),
        en=_unescape(en),
        variants=split_variants(variants),
        pinyin=_unescape(pinyin),
        category=_unescape(category),
        note=_unescape(note),
        source=_unescape(source),
        short=_unescape(optional[0]) if optional else "",
    )


def parse_glossary_text(text: str, *, name: str = "<glossary>") -> list[Entry]:
    entries: list[Entry] = []
    header_seen = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            if tuple(c.strip() for c in line.split("\t")) in (COLUMNS, COLUMNS + OPTIONAL_COLUMNS):
                continue
            raise InputError(f"{name}:{number}: first line must be the header {' '.join(COLUMNS)!r} (tab-separated)")
        entries.append(parse_entry(line, where=f"{name}:{number}"))
    return entries


def format_glossary_text(entries: Iterable[Entry]) -> str:
    entries = sorted(entries, key=sort_key)
    with_short = any(e.short for e in entries)
    lines = ["\t".join(COLUMNS + OPTIONAL_COLUMNS if with_short else COLUMNS)]
    lines.extend(format_entry(e, with_short=with_short) for e in entries)
    return "\n".join(lines) + "\n"


def load_glossary(path: str | os.PathLike | None = None) -> Glossary:
    """Read a glossary TSV (None: the shipped ``corpus/glossary/glossary.tsv``)."""
    p = Path(path) if path is not None else paths.DEFAULT_GLOSSARY
    text = read_text(p)
    return Glossary(parse_glossary_text(text, name=str(p)), path=p)


def save_glossary(glossary: Glossary | Iterable[Entry], path: str | os.PathLike | None = None, *, overwrite: bool = True) -> Path:
    """Write atomically, sorted; ``overwrite=False`` refuses to replace an existing file."""
    entries = glossary.entries if isinstance(glossary, Glossary) else list(glossary)
    target = (
        Path(path)
        if path is not None
        else (glossary.path if isinstance(glossary, Glossary) and glossary.path else paths.DEFAULT_GLOSSARY)
    )
    return atomic_write_text(target, format_glossary_text(entries), overwrite=overwrite)


def pinyin_of(zh: str) -> str:
    """Tone-marked pinyin, syllables separated by spaces; Latin, digits and punctuation kept as written."""
    from pypinyin import Style, lazy_pinyin

    parts: list[str] = []
    opening = ""
    for found in _HAN_OR_OTHER.finditer(zh):
        run = found.group(0).strip()
        if not run:
            continue
        if found.group(1):
            parts.append(opening + " ".join(lazy_pinyin(run, style=Style.TONE, v_to_u=True)))
            opening = ""
        elif any(ch.isalnum() for ch in run):
            parts.append(opening + run)  # words stay separate ("IP kāi fā")
            opening = ""
        elif run[-1] in _OPENING_PUNCT:
            if parts:
                parts[-1] += run[:-1]
            else:
                opening += run[:-1]
            opening += run[-1]
        elif not parts:
            opening += run
        else:
            parts[-1] += run  # closing punctuation hugs the syllable before it ("wēi duǎn jù+")
    if opening:
        parts.append(opening)
    return " ".join(parts)


_OPENING_PUNCT = "“‘《（(「『【["
_HAN_OR_OTHER = re.compile(r"([\u3400-\u9fff]+)|[^\u3400-\u9fff]+")


def with_pinyin(entry: Entry) -> Entry:
    return entry if entry.pinyin else replace(entry, pinyin=pinyin_of(entry.zh))
