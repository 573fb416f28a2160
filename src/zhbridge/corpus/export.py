"""Exports of the aligned pairs in formats translators' tools read: TMX 1.4b, TSV, JSONL."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import datetime, timezone
from pathlib import Path

from zhbridge.io import atomic_write_bytes, atomic_write_text

FORMATS = ("tmx", "tsv", "jsonl")


def tmx_bytes(pairs: list[dict]) -> bytes:
    """TMX 1.4b with one <tu> per pair; doc id, bead and score travel as <prop> so CAT tools keep them."""
    from zhbridge.mt.tmx import TMUnit
    from zhbridge.mt.tmx import tmx_bytes as write_units
    from zhbridge.version import __version__

    units = [
        TMUnit(
            zh=p["zh"],
            en=p["en"],
            tuid=str(p["id"]),
            props={k: _prop_text(p[k]) for k in ("doc_id", "bead", "score", "flagged", "translation") if k in p},
        )
        for p in pairs
    ]
    return write_units(units, tool_version=__version__, creationdate=_creation_date())


def _creation_date() -> str:
    """Same pairs, same bytes: no wall-clock date unless SOURCE_DATE_EPOCH (reproducible builds) gives one."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch.isdigit():
        return ""  # creationdate is optional in TMX 1.4b
    return datetime.fromtimestamp(int(epoch), timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _prop_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(round(value, 4), "g")  # float32 scores would otherwise print 0.9894999861717224
    return str(value)


def write_tmx(path: str | Path, pairs: list[dict], *, overwrite: bool = True) -> Path:
    return atomic_write_bytes(path, tmx_bytes(pairs), overwrite=overwrite)


def export_pairs(pairs: list[dict], path: str | Path, fmt: str, *, overwrite: bool = False) -> Path:
    if fmt == "tmx":
        return write_tmx(path, pairs, overwrite=overwrite)
    if fmt == "jsonl":
        text = "".join(json.dumps(pair, ensure_ascii=False) + "\n" for pair in pairs)
        return atomic_write_text(path, text, overwrite=overwrite)
    if fmt == "tsv":
        buffer = io.StringIO()
        columns = list(pairs[0]) if pairs else ["id", "zh", "en"]
        writer = csv.DictWriter(buffer, fieldnames=columns, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writeheader()
        writer.writerows(pairs)
        return atomic_write_text(path, buffer.getvalue(), overwrite=overwrite)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def article_texts(rows: list[dict]) -> dict[str, str]:
    """Monolingual rows regrouped into articles, one paragraph per blank-line block (the title is paragraph 0).

    This is the shape ``zhbridge translate`` reads, so the corpus's Chinese-only articles can be
    batch-translated as a translator would receive them.
    """
    articles: dict[str, list[str]] = {}
    for row in sorted(rows, key=lambda r: (r["doc_id"], r["para_id"])):
        articles.setdefault(row["doc_id"], []).append(row["zh"])
    return {doc: "\n\n".join(paragraphs) + "\n" for doc, paragraphs in articles.items()}


def write_articles(rows: list[dict], out_dir: str | Path, *, overwrite: bool = False) -> list[Path]:
    """One ``{doc_id}.txt`` per article; refuses to replace existing files unless ``overwrite``."""
    from zhbridge.io import check_writable

    out_dir = Path(out_dir)
    texts = article_texts(rows)
    targets = {out_dir / f"{doc}.txt": text for doc, text in texts.items()}
    for path in targets:  # check all before writing any, so a refusal leaves nothing half-done
        check_writable(path, overwrite=overwrite)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [atomic_write_text(path, text, overwrite=overwrite) for path, text in targets.items()]
