"""Documents as translatable units plus the verbatim layout around them, so output keeps the input's shape.

A text document is a list of pieces: verbatim strings (newlines, indentation, Markdown
markers, table pipes, code blocks) and :class:`Unit` objects whose text is translated.
Rendering concatenates the pieces with each unit replaced by its translation. A .docx
document has one unit per paragraph (body and table cells); its translation goes into
the paragraph's first run so the paragraph style and the leading character format stay.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhbridge.io import InputError, atomic_write_bytes, atomic_write_text, read_text

KINDS = ("txt", "md", "docx", "lines")
_HAS_WORDS = re.compile(r"[^\W\d_]")  # any letter or CJK character: numbers and rules alone stay verbatim
_MD_MARKERS = re.compile(r"^(\s*(?:(?:#{1,6}|[-*+]|\d{1,9}[.)])\s+|>\s?)*(?:\[[ xX]\]\s+)?)")
_MD_FENCE = re.compile(r"^\s*(```|~~~)")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


@dataclass
class Unit:
    text: str


@dataclass
class Document:
    kind: str
    name: str
    pieces: list = field(default_factory=list)  # str (verbatim) | Unit
    docx: Any = None  # python-docx Document for kind == "docx"
    paragraphs: list = field(default_factory=list)  # docx paragraphs, one per unit

    @property
    def units(self) -> list[Unit]:
        return [p for p in self.pieces if isinstance(p, Unit)]


def kind_of(path: str | Path, lines: bool = False) -> str:
    if lines:
        return "lines"
    suffix = Path(path).suffix.lower()
    if suffix in (".md", ".markdown"):
        return "md"
    if suffix == ".docx":
        return "docx"
    if suffix in (".txt", ".text", ""):
        return "txt"
    raise InputError(f"{path}: unsupported format {suffix!r}; use .txt, .md or .docx (or --lines)")


def read_document(path: str | Path, *, lines: bool = False) -> Document:
    kind = kind_of(path, lines)
    if kind == "docx":
        return _read_docx(Path(path))
    return parse_text(read_text(path, allow_empty=(kind == "lines")), kind, str(path))


def parse_text(text: str, kind: str, name: str = "<stdin>") -> Document:
    doc = Document(kind, name)
    if kind == "lines":
        rows = text.split("\n")
        if rows and rows[-1] == "":
            rows.pop()
        for row in rows:
            doc.pieces += [Unit(row.strip()), "\n"]
        return doc
    in_fence = False
    rows = text.split("\n")
    for i, row in enumerate(rows):
        if kind == "md" and _MD_FENCE.match(row):
            in_fence = not in_fence
            doc.pieces.append(row)
        elif in_fence or (kind == "md" and _MD_TABLE_RULE.match(row)):
            doc.pieces.append(row)
        elif kind == "md" and row.lstrip().startswith("|"):
            _table_row(doc, row)
        else:
            prefix = _md_prefix(row) if kind == "md" else row[: len(row) - len(row.lstrip())]
            _text_piece(doc, prefix, row[len(prefix):])
        if i < len(rows) - 1:
            doc.pieces.append("\n")
    return doc



def _md_prefix(row: str) -> str:
    """Markdown list, heading, quote and task markers that open ``row`` (the pattern matches every row)."""
    m = _MD_MARKERS.match(row)
    return m.group(1) if m else ""


def _text_piece(doc: Document, prefix: str, body: str) -> None:
    core = body.strip()
    if not _HAS_WORDS.search(core):
        doc.pieces.append(prefix + body)
        return
    lead = body[: len(body) - len(body.lstrip())]
    trail = body[len(body.rstrip()):]  # two trailing spaces are a Markdown line break
    doc.pieces += [prefix + lead, Unit(core), trail]


def _table_row(doc: Document, row: str) -> None:
    cells = row.split("|")
    for j, cell in enumerate(cells):
        if j:
            doc.pieces.append("|")
        _text_piece(doc, "", cell)


def render_text(doc: Document, translations: list[str]) -> str:
    it = iter(translations)
    out = [next(it) if isinstance(p, Unit) else p for p in doc.pieces]
    return "".join(out)


def _read_docx(path: Path) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        d = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InputError(f"{path}: not a readable .docx file ({type(exc).__name__})") from None
    except Exception as exc:  # zipfile.BadZipFile and lxml errors from damaged packages
        raise InputError(f"{path}: not a readable .docx file ({type(exc).__name__})") from None
    doc = Document("docx", str(path), docx=d)
    for paragraph in _all_paragraphs(d):
        doc.paragraphs.append(paragraph)
        text = paragraph.text
        doc.pieces.append(Unit(text.strip() if _HAS_WORDS.search(text) else ""))
    return doc


def _all_paragraphs(container):
    yield from container.paragraphs
    for table in getattr(container, "tables", []):
        for row in table.rows:
            for cell in row.cells:
                yield from _all_paragraphs(cell)


def _paragraph_runs(paragraph) -> list:
    from docx.text.hyperlink import Hyperlink

    runs: list = []
    for item in paragraph.iter_inner_content():
        runs.extend(item.runs if isinstance(item, Hyperlink) else [item])
    return runs


def render_docx(doc: Document, translations: list[str]) -> bytes:
    for paragraph, unit, translation in zip(doc.paragraphs, doc.units, translations):
        if not unit.text:
            continue
        runs = [r for r in _paragraph_runs(paragraph) if r.text]
        if not runs:
            paragraph.add_run(translation)
            continue
        runs[0].text = translation
        for run in runs[1:]:
            run.text = ""
    buffer = io.BytesIO()
    doc.docx.save(buffer)
    return _without_timestamps(buffer.getvalue())


def _without_timestamps(package: bytes) -> bytes:
    """The .docx zip with every member dated 1980-01-01: python-docx stamps the save time, which would make two
    translations of one input differ in bytes (a resumed or distributed run must equal an uninterrupted one)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            stable = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            stable.compress_type, stable.external_attr = info.compress_type, info.external_attr
            dst.writestr(stable, src.read(info.filename))
    return out.getvalue()


def write_document(doc: Document, translations: list[str], out_path: Path, *, overwrite: bool) -> Path:
    if len(translations) != len(doc.units):
        raise ValueError(f"{doc.name}: {len(translations)} translations for {len(doc.units)} units")
    if doc.kind == "docx":
        return atomic_write_bytes(out_path, render_docx(doc, translations), overwrite=overwrite)
    return atomic_write_text(out_path, render_text(doc, translations), overwrite=overwrite)
