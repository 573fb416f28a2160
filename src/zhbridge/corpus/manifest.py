"""The corpus manifest: one row per raw article, with provenance and duplicate links.

Also the one-time import that turns the project's seed pages into one file per
article under ``corpus/raw/`` (text kept exactly as published). Adding a user's document, which
first checks that it builds, is :mod:`zhbridge.corpus.add`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from zhbridge.io import InputError, atomic_write_text, check_inside, locked, read_text

LAYOUTS = (
    "parallel-interleaved",
    "parallel-interleaved-en-first",
    "parallel-paired",
    "parallel-tmx",
    "zh",
    "zh+en-summary",
)
# an article id: the seeds' ``NNN-NN`` and collectors' own series (``N1-07``); it names files, so it stays plain
DOC_ID_RE = re.compile(r"^[A-Za-z0-9]{1,8}-[0-9]{2,4}$")


@dataclass
class ManifestRow:
    id: str
    title: str
    publisher: str
    date: str
    layout: str
    origin: str  # seed file and line range
    duplicate_of: str = ""
    file: str = ""
    url: str = ""  # where the text was found (a repost page is named as such)
    licence: str = ""  # the terms it is kept under, e.g. "PRC Copyright Law art. 5" or "quoted for research, © publisher"


# manifests written before ``url`` and ``licence`` existed still read (the two are then empty)
_OLD_COLUMNS = ["id", "title", "publisher", "date", "layout", "origin", "duplicate_of", "file"]


def write_manifest(path: str | Path, rows: list[ManifestRow]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[f.name for f in fields(ManifestRow)], delimiter="\t", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(asdict(row))
    atomic_write_text(path, buffer.getvalue())


def read_manifest(path: str | Path) -> list[ManifestRow]:
    text = read_text(path)
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    expected = [f.name for f in fields(ManifestRow)]
    if reader.fieldnames not in (expected, _OLD_COLUMNS):
        raise InputError(f"{path}: manifest columns {reader.fieldnames} differ from {expected}")
    rows = [ManifestRow(**record) for record in reader]
    for row in rows:
        if row.layout not in LAYOUTS:
            raise InputError(f"{path}: article {row.id} has unknown layout {row.layout!r}")
        if row.file:
            check_inside(Path(path).parent, row.file, f"{path}: article {row.id}")
    return rows


def remove_document(corpus_dir: str | Path, doc_id: str) -> ManifestRow:
    """Drop ``doc_id`` from the manifest and delete its raw files (manifest first: a crash leaves only an orphan file)."""
    corpus_dir = Path(corpus_dir)
    manifest_path = corpus_dir / "manifest.tsv"
    with locked(manifest_path):
        rows = read_manifest(manifest_path)
        row = next((r for r in rows if r.id == doc_id), None)
        if row is None:
            raise InputError(f"{manifest_path}: no document with id {doc_id!r}")
        kept = [r for r in rows if r.id != doc_id]
        for other in kept:
            if other.duplicate_of == doc_id:
                other.duplicate_of = ""
        write_manifest(manifest_path, kept)
        raw = corpus_dir / row.file
        for path in (raw, raw.with_suffix(".en")) if row.layout == "parallel-paired" else (raw,):
            check_inside(corpus_dir, str(path.relative_to(corpus_dir)), f"{manifest_path}: article {row.id}")
            path.unlink(missing_ok=True)
    return row


def _story_key(title: str) -> str:
    return re.sub(r"[\W_]+", "", title)


def mark_duplicates(rows: list[ManifestRow]) -> None:
    """The same story on two clipping pages: keep the copy with a publisher header, else the first."""
    by_key: dict[str, ManifestRow] = {}
    for row in rows:
        key = _story_key(row.title)
        kept = by_key.get(key)
        if kept is None:
            by_key[key] = row
        elif not kept.publisher and row.publisher:
            kept.duplicate_of = row.id
            by_key[key] = row
        else:
            row.duplicate_of = kept.id


def import_seeds(seed_dir: str | Path, out_dir: str | Path, manifest_path: str | Path) -> list[ManifestRow]:
    """Split the seed pages into one raw file per article and write the manifest."""
    from zhbridge.corpus.readers import looks_hard_wrapped, split_clipping_page

    seed_dir, out_dir = Path(seed_dir), Path(out_dir)
    seeds = sorted(seed_dir.glob("*.txt"))
    if not seeds:
        raise InputError(f"{seed_dir}: no .txt seed documents")
    rows: list[ManifestRow] = []
    texts: dict[str, str] = {}  # every seed is read and split before anything is written
    for seed in seeds:
        text = read_text(seed)
        number = seed.name.split("_")[0]
        lines = text.split("\n")
        if _is_clipping_page(lines):
            try:
                articles = split_clipping_page(text)
            except InputError as exc:
                raise InputError(f"{seed}: {exc}; nothing imported") from None
            for k, article in enumerate(articles, start=1):
                row = ManifestRow(
                    id=f"{number}-{k:02d}",
                    title=article.title,
                    publisher=article.publisher,
                    date=f"{article.date} {article.time}".strip(),
                    layout=article.layout,
                    origin=f"{seed.name}:{article.first_line}-{article.last_line}",
                    file=f"raw/{number}-{k:02d}.txt",
                )
                texts[row.id] = article.raw_text
                rows.append(row)
        else:
            layout = "zh" if looks_hard_wrapped(text) else "parallel-interleaved"
            title = _first_title(text, layout)
            row = ManifestRow(
                id=f"{number}-01",
                title=title,
                publisher="",
                date="",
                layout=layout,
                origin=f"{seed.name}:1-{len(lines)}",
                file=f"raw/{number}-01.txt",
            )
            texts[row.id] = text
            rows.append(row)
    mark_duplicates(rows)
    with locked(manifest_path):
        for doc_id, text in texts.items():
            atomic_write_text(out_dir / f"{doc_id}.txt", text)
        write_manifest(manifest_path, rows)
    return rows


def _is_clipping_page(lines: list[str]) -> bool:
    from zhbridge.corpus.readers import HEADER_RE

    return any(line.strip() == "Search documents" for line in lines[:5]) and any(HEADER_RE.match(line.strip()) for line in lines)


def _first_title(text: str, layout: str) -> str:
    from zhbridge.corpus.readers import read_interleaved, read_monolingual

    reading = read_interleaved(text) if layout == "parallel-interleaved" else read_monolingual(text)
    if reading.beads:
        return reading.beads[0].zh[0]
    return reading.zh_only[0] if reading.zh_only else ""
