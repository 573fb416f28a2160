"""Documents as translatable units plus the verbatim layout around them, so output keeps the input's shape.

A text document is a list of pieces: verbatim strings (newlines, indentation, Markdown
markers, table pipes, code blocks) and :class:`Unit` objects whose text is translated.
Rendering concatenates the pieces with each unit replaced by its translation. A .docx
document has one unit per paragraph (body and table cells).

Inline markup (Markdown emphasis, code, links, images, footnote references; docx runs with
their own format, hyperlinks, footnote/endnote references) becomes the unit's
:class:`~zhbridge.mt.inline.Span` list: the unit's text is the plain text the model sees,
and a translation is one English stretch per span, written back inside the same markup
(the same runs of a .docx paragraph, so styles, hyperlinks and note references stay put).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhbridge.io import InputError, atomic_write_bytes, atomic_write_text, check_xml_chars, read_bytes, read_text
from zhbridge.mt.inline import Span, Tag, map_spans, markdown_render, markdown_spans, plain, strip_edges
from zhbridge.mt.segments import InlineEntry

KINDS = ("txt", "md", "docx", "lines")
_HAS_WORDS = re.compile(r"[^\W\d_]")  # any letter or CJK character: numbers and rules alone stay verbatim
_MD_MARKERS = re.compile(r"^(\s*(?:(?:#{1,6}|[-*+]|\d{1,9}[.)])\s+|>\s?)*(?:\[[ xX]\]\s+)?)")
_MD_FENCE = re.compile(r"^\s*(```|~~~)")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


@dataclass
class Unit:
    text: str
    spans: list = field(default_factory=list)  # inline.Span; empty for a unit without inline markup
    tags: dict = field(default_factory=dict)  # tag id -> inline.Tag

    def pieces(self, translation) -> list[str]:
        """``translation`` as one English stretch per span: a list passes through; a plain string
        (no alignment available) is cut at the spans' proportional positions, so no tag is lost."""
        if not isinstance(translation, str):
            return list(translation)
        if len(self.spans) <= 1:
            return [translation] + [""] * (len(self.spans) - 1)
        entries: list[InlineEntry] = []
        pos = 0
        for k, span in enumerate(self.spans):
            entries.append({"span": k, "start": pos, "end": pos + len(span.text), "tags": list(span.tags), "x": span.x})
            pos += len(span.text)
        return map_spans(self.text, entries, translation)


def inline_unit(spans: list[Span], tags: dict[int, Tag]) -> Unit:
    spans = strip_edges(spans)
    return Unit(plain(spans), spans, tags)


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
    check_xml_chars(text, name)
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
            _text_piece(doc, prefix, row[len(prefix) :])
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
    trail = body[len(body.rstrip()) :]  # two trailing spaces are a Markdown line break
    doc.pieces += [prefix + lead, inline_unit(*markdown_spans(core)) if doc.kind == "md" else Unit(core), trail]


def _table_row(doc: Document, row: str) -> None:
    cells = row.split("|")
    for j, cell in enumerate(cells):
        if j:
            doc.pieces.append("|")
        _text_piece(doc, "", cell)


def render_text(doc: Document, translations: list) -> str:
    """The document with each unit replaced by its translation (a string, or one stretch per span)."""
    it = iter(translations)
    out = []
    for p in doc.pieces:
        if not isinstance(p, Unit):
            out.append(p)
            continue
        translation = next(it)
        if p.spans and (len(p.spans) > 1 or p.tags):
            out.append(markdown_render(p.spans, p.tags, p.pieces(translation)))
        else:
            out.append(translation if isinstance(translation, str) else "".join(translation))
    return "".join(out)


def _read_docx(path: Path) -> Document:
    import docx

    _check_docx_size(path)
    try:
        d = docx.Document(str(path))
    except Exception as exc:  # PackageNotFoundError, KeyError, ValueError, OSError, BadZipFile, lxml errors: all damage
        raise InputError(f"{path}: not a readable .docx file ({type(exc).__name__})") from None
    doc = Document("docx", str(path), docx=d)
    for paragraph in _all_paragraphs(d):
        doc.paragraphs.append(paragraph)
        text = paragraph.text
        doc.pieces.append(inline_unit(*_docx_spans(paragraph)) if _HAS_WORDS.search(text) else Unit(""))
    return doc


MAX_DOCX_UNPACKED = 256 * 1024 * 1024  # what one article's package may unpack to; a zip bomb goes far past it


def _check_docx_size(path: Path) -> None:
    """Refuse a .docx whose file, or whose unpacked members, exceed the limits (python-docx inflates every part)."""
    import zipfile

    data = read_bytes(path)  # the one-document size limit, read with a cap (devices, FIFOs)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable .docx file ({type(exc).__name__})") from None
    if unpacked > MAX_DOCX_UNPACKED:
        raise InputError(
            f"{path}: unpacks to {unpacked / 2**20:.0f} MiB, past the {MAX_DOCX_UNPACKED / 2**20:.0f} MiB limit for one .docx; split it"
        )


_NOTE_REFERENCES = {"footnoteReference": "x-footnote", "endnoteReference": "x-endnote"}


def _docx_spans(paragraph) -> tuple[list[Span], dict[int, Tag]]:
    """One span per stretch of runs with one format inside one hyperlink (or none); a run holding a
    footnote/endnote reference is a placeholder. The format covering most text is the paragraph's
    base and carries no tag; every other format is a paired tag, and so is a hyperlink."""
    from docx.text.hyperlink import Hyperlink
    from lxml import etree

    items: list[tuple[Any, Any]] = []  # (run, its hyperlink or None)
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            items.extend((r, item) for r in item.runs)
        else:
            items.append((item, None))

    def fmt(run) -> bytes:
        rpr = run._r.rPr
        return etree.tostring(rpr) if rpr is not None else b""

    def note(run) -> str | None:
        return next((c for name, c in _NOTE_REFERENCES.items() if run._r.find(f".//{{*}}{name}") is not None), None)

    # the base format weighs text outside hyperlinks; a note reference holds none, so it does not vote
    # (its run format would otherwise win a tie); a tie goes to the format seen first
    weight: dict[bytes, int] = {}
    for run, link in items:
        if link is None and not note(run):
            weight[fmt(run)] = weight.get(fmt(run), 0) + len(run.text)
    base = max(weight, key=lambda k: weight[k]) if weight else b""
    base_run = next((r for r, link in items if link is None and fmt(r) == base), None)
    tags: dict[int, Tag] = {}
    spans: list[Span] = []
    link_tag: tuple[object, int] | None = None
    last_key = None

    def new(ctype: str) -> int:
        tags[len(tags) + 1] = Tag(len(tags) + 1, ctype)
        return len(tags)

    for run, link in items:
        if link is None:
            link_tag = None
        elif link_tag is None or link_tag[0] is not link:
            link_tag = (link, new("link"))
        outer: tuple[int, ...] = (link_tag[1],) if link_tag else ()
        kind = note(run)
        if kind:
            spans.append(Span("", outer, new(kind), [run]))
            last_key = None
            continue
        if not run.text:
            continue
        key = (id(link), fmt(run))
        if key == last_key:
            spans[-1].text += run.text
            spans[-1].source.append(run)
            continue
        last_key = key
        stack = outer
        if fmt(run) != base:
            stack += (new(_format_ctype(run, base_run)),)
        spans.append(Span(run.text, stack, None, [run]))
    if not spans:
        spans.append(Span(paragraph.text, (), None, []))
    return spans, tags


def _format_ctype(run, base_run) -> str:
    for attr, ctype in (("bold", "bold"), ("italic", "italic"), ("underline", "underlined")):
        if getattr(run, attr) and not (base_run is not None and getattr(base_run, attr)):
            return ctype
    return "x-format"


def _all_paragraphs(container):
    yield from container.paragraphs
    for table in getattr(container, "tables", []):
        for row in table.rows:
            for cell in row.cells:
                yield from _all_paragraphs(cell)


def render_docx(doc: Document, translations: list) -> bytes:
    for paragraph, unit, translation in zip(doc.paragraphs, doc.units, translations):
        if not unit.text:
            continue
        if not any(span.source for span in unit.spans):
            paragraph.add_run(translation if isinstance(translation, str) else "".join(translation))
            continue
        # each span's English goes into the first of its runs, so format, hyperlink and note references stay
        for span, text in zip(unit.spans, unit.pieces(translation)):
            if span.x is not None or not span.source:
                continue
            span.source[0].text = text
            for run in span.source[1:]:
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
