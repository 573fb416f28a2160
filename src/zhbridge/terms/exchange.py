"""Import/export of glossary entries in exchange formats, chosen by file extension.

* ``.tbx`` — TBX-Basic, TBX 2008 ``martif`` by default or TBX v3 (see :mod:`zhbridge.terms.tbx`)
* ``.csv`` — RFC 4180 CSV with the glossary columns as header (spreadsheet friendly;
  variants joined with `` | `` as in the TSV)
* ``.tsv`` — the glossary's own file format (:mod:`zhbridge.terms.glossary`)

Each format round-trips every field of every entry without loss.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
from pathlib import Path
from typing import Any

from zhbridge.io import InputError, atomic_write_text, check_writable, read_text
from zhbridge.terms import tbx
from zhbridge.terms.glossary import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    Entry,
    Glossary,
    format_glossary_text,
    join_variants,
    parse_glossary_text,
    sort_key,
    split_variants,
)
from zhbridge.terms.match import fold

FORMATS = ("tbx", "csv", "tsv")


def detect_format(path: str | os.PathLike, fmt: str | None = None) -> str:
    if fmt:
        fmt = fmt.lower().lstrip(".")
    else:
        fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InputError(f"{path}: unknown glossary format {fmt!r}; use one of {', '.join(FORMATS)} (or --format)")
    return fmt


def entries_to_csv(entries: list[Entry]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    with_short = any(e.short for e in entries)
    writer.writerow(COLUMNS + OPTIONAL_COLUMNS if with_short else COLUMNS)
    for e in sorted(entries, key=sort_key):
        writer.writerow(
            [e.zh, e.en, join_variants(e.variants), e.pinyin, e.category, e.note, e.source] + ([e.short] if with_short else [])
        )
    return buffer.getvalue()


def csv_to_entries(text: str, *, name: str = "<csv>") -> list[Entry]:
    try:
        return _csv_entries(text, name)
    except csv.Error as exc:  # e.g. a field past csv's 128 KiB limit: no glossary cell is that long
        raise InputError(f"{name}: not a glossary CSV ({exc})") from None


def _csv_entries(text: str, name: str) -> list[Entry]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputError(f"{name}: empty CSV") from None
    missing = [c for c in ("zh", "en") if c not in header]
    if missing:
        raise InputError(f"{name}: CSV header lacks column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}")
    entries = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(f"{name}:{number}: {len(row)} cells for {len(header)} header columns")
        data: dict[str, Any] = dict(zip(header, row))
        data["variants"] = split_variants(data.get("variants", ""))
        entries.append(Entry.from_dict(data))
    return entries


def read_entries(path: str | os.PathLike, fmt: str | None = None) -> list[Entry]:
    fmt = detect_format(path, fmt)
    if fmt == "tbx":
        return tbx.tbx_to_entries(path, name=str(path))
    text = read_text(path)
    if fmt == "csv":
        return csv_to_entries(text, name=str(path))
    return parse_glossary_text(text, name=str(path))


def write_entries(
    entries: list[Entry] | Glossary,
    path: str | os.PathLike,
    fmt: str | None = None,
    *,
    overwrite: bool = False,
    tbx_dialect: str = "2008",
) -> Path:
    entries = entries.entries if isinstance(entries, Glossary) else list(entries)
    fmt = detect_format(path, fmt)
    check_writable(path, overwrite=overwrite)
    if fmt == "tbx":
        return tbx.write_tbx(sorted(entries, key=sort_key), path, overwrite=overwrite, dialect=tbx_dialect)
    text = entries_to_csv(entries) if fmt == "csv" else format_glossary_text(entries)
    return atomic_write_text(path, text, overwrite=overwrite)


_WIDE_ALNUM = {
    code: code - 0xFEE0 for lo, hi in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for code in range(lo, hi + 1)
}


def stored_form(entry: Entry) -> Entry:
    """Full-width Latin letters and digits in the term stored as ASCII (ＡＩ短剧 → AI短剧), as lookups fold them.

    Chinese punctuation such as （） is left as written: it is the conventional form in Chinese text.
    """
    return dataclasses.replace(entry, zh=entry.zh.translate(_WIDE_ALNUM).strip(), en=entry.en.strip())


def _checked(incoming: list[Entry]) -> tuple[list[Entry], list[str]]:
    """Imported entries in stored form, each term once; an empty side or two differing rows for a term is an error."""
    by_zh: dict[str, Entry] = {}
    repeated: list[str] = []
    for number, entry in enumerate(incoming, start=1):
        entry = stored_form(entry)
        if not entry.zh or not entry.en:
            raise InputError(
                f"imported entry {number} ({entry.zh or entry.en or 'blank'}): empty {'Chinese' if not entry.zh else 'English'} side; nothing imported"
            )
        earlier = by_zh.get(entry.zh)
        if earlier is not None and earlier != entry:
            raise InputError(
                f"imported entry {number}: {entry.zh} appears twice with different contents ({earlier.en} / {entry.en}); nothing imported"
            )
        if earlier is not None:
            repeated.append(entry.zh)
        by_zh[entry.zh] = entry
    return list(by_zh.values()), repeated


def _same(a: Entry, b: Entry) -> bool:
    """Equal but for the order of the variants: TBX keeps pinyin spellings apart from the English
    renderings (notes on the Chinese term), so an export read back lists them last, and the round
    trip `glossary export g.tbx; glossary import g.tbx` must find nothing to change."""
    return a == b or dataclasses.replace(a, variants=tuple(sorted(a.variants))) == dataclasses.replace(
        b, variants=tuple(sorted(b.variants))
    )


def merge(glossary: Glossary, incoming: list[Entry], *, replace: bool = False) -> dict[str, int]:
    """Add imported entries; identical ones are skipped, conflicting ones need ``replace``.

    One pass over a dict of the glossary's match keys, and one sort at the end: adding entries one
    by one re-sorted the glossary and rebuilt its matcher each time, quadratic in the import's size
    (8,000 entries took 30 s). Nothing changes when an entry conflicts.
    """
    counts = {"added": 0, "unchanged": 0, "replaced": 0}
    conflicts = []
    incoming, repeated = _checked(incoming)
    if repeated:
        counts["duplicate rows skipped"] = len(repeated)
    current: dict[str, Entry] = {}
    for entry in glossary.entries:
        current.setdefault(fold(entry.zh.strip()), entry)  # the first entry wins, as in the matcher
    dropped: set[int] = set()
    added: list[Entry] = []
    for entry in incoming:
        key = fold(entry.zh.strip())
        existing = current.get(key)
        if existing is None:
            added.append(entry)
            current[key] = entry
            counts["added"] += 1
        elif _same(existing, entry):
            counts["unchanged"] += 1
        elif replace:
            dropped.add(id(existing))
            added.append(entry)
            current[key] = entry
            counts["replaced"] += 1
        else:
            conflicts.append(entry.zh)
    if conflicts:
        shown = ", ".join(conflicts[:5]) + (" …" if len(conflicts) > 5 else "")
        raise InputError(
            f"{len(conflicts)} imported entries differ from existing ones ({shown}); pass --replace to take the imported versions"
        )
    if added:
        glossary.replace_entries([e for e in glossary.entries if id(e) not in dropped] + added)
    return counts
