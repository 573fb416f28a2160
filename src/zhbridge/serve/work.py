"""What one request is made of, before and after the model: documents in, English and details out.

Every function here is a piece of the CLI's own pipeline (:mod:`zhbridge.mt.translate`): a text is
parsed as ``zhbridge translate -`` parses stdin, a file as ``zhbridge translate FILE`` reads it, and
the English is rendered by the same functions, so the server's answer equals the CLI's output.
Only HTML is new: tags and entities stay verbatim and each text run between tags is a unit.
"""

from __future__ import annotations

import html
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from zhbridge.io import SAFE_ID, InputError
from zhbridge.mt.articles import Article
from zhbridge.mt.documents import Document, inline_unit, parse_text, render_docx, render_text
from zhbridge.mt.inline import Span, Tag, markdown_render
from zhbridge.mt.qa import build_report, check_segment, origin_label
from zhbridge.mt.segments import Segment
from zhbridge.mt.translate import Engine, unit_translations

SOURCE_CODES = {"zh": "zh", "zh-hans": "zh", "zh_hans": "zh", "zh-cn": "zh", "zh_cn": "zh", "auto": "auto"}
TARGET_CODES = {"en": "en", "en-us": "en", "en_us": "en", "en-gb": "en", "en_gb": "en"}
FILE_KINDS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".docx": "docx"}
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_WORDS = re.compile(r"[^\W\d_]")


def source_code(code: str) -> str:
    """zh for every Chinese code clients send (Weblate's zh_Hans, LibreTranslate's zh-Hans), or auto."""
    found = SOURCE_CODES.get(code.strip().lower())
    if found is None:
        raise InputError(f"{code} is not supported (source languages: zh, zh-Hans, auto)")
    return found


def target_code(code: str) -> str:
    found = TARGET_CODES.get(code.strip().lower())
    if found is None:
        raise InputError(f"{code} is not supported (target languages: en)")
    return found


def detect(text: str) -> list[dict]:
    """LibreTranslate's /detect answer: zh when Han characters outnumber Latin letters, else en.

    The server translates from Chinese only, so the question is only ever "is this Chinese?";
    the confidence is the share of the deciding script among Han and Latin characters, 0-100.
    """
    han, latin = len(_HAN.findall(text)), len(_LATIN.findall(text))
    if not han and not latin:
        return [{"confidence": 0.0, "language": "zh"}]
    lang, count = ("zh", han) if han >= latin else ("en", latin)
    return [{"confidence": round(100.0 * count / (han + latin), 1), "language": lang}]


def visible_text(markup: str) -> str:
    """An HTML fragment's text without its tags, so that tag and attribute names do not count as English."""
    return html.unescape(re.sub(r"<[^>]*>", " ", markup))


def text_document(text: str, fmt: str) -> Document:
    """A ``q`` value as the document the CLI would read from stdin (``format=text``) or an HTML fragment."""
    text = text.replace("\r\n", "\n")
    if fmt == "text":
        return parse_text(text, "txt", "<request>")
    if fmt == "html":
        return html_document(text)
    raise InputError(f"format {fmt}: choose text or html")


# inline elements become tags inside a unit (the model sees their text as one sentence); any other tag ends the unit
_INLINE = {
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "cite",
    "code",
    "del",
    "dfn",
    "em",
    "font",
    "i",
    "ins",
    "kbd",
    "mark",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
    "var",
}
_INLINE_VOID = {"img", "wbr"}
_CTYPES = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underlined", "a": "link", "code": "x-code"}


class _Pieces(HTMLParser):
    """Verbatim markup and :class:`Unit` s, the units holding inline tags as ``mt.inline`` spans (as Markdown's do)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list = []
        self._spans: list[Span] = []
        self._tags: dict[int, Tag] = {}
        self._stack: list[tuple[str, int]] = []  # open inline elements of the current unit: (name, tag id)
        self._raw = False  # inside <script>/<style>: verbatim

    def _flush(self) -> None:
        spans, self._spans, self._stack = self._spans, [], []
        tags, self._tags = self._tags, {}
        text = "".join(s.text for s in spans)
        if not _WORDS.search(text) and all(s.x is None for s in spans) and not tags:
            if text:
                self.pieces.append(html.escape(text, quote=False))
            return
        if not _WORDS.search(text):  # markup without words: nothing to translate
            self.pieces.append(markdown_render(spans, tags, [html.escape(s.text, quote=False) for s in spans]))
            return
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        self.pieces += [lead, inline_unit(spans, tags), trail]

    def _new_tag(self, name: str, opening: str, close: str) -> int:
        tag = Tag(len(self._tags) + 1, _CTYPES.get(name, "x-" + name), opening, close, verbatim=name == "code")
        self._tags[tag.id] = tag
        return tag.id

    def handle_starttag(self, tag, attrs):
        opening = self.get_starttag_text() or f"<{tag}>"
        if tag in _INLINE and not self._raw:
            self._stack.append((tag, self._new_tag(tag, opening, f"</{tag}>")))
        elif tag in _INLINE_VOID and not self._raw:
            self._spans.append(Span("", tuple(t for _, t in self._stack), self._new_tag(tag, opening, "")))
        else:
            self._flush()
            self.pieces.append(opening)
            self._raw = tag in ("script", "style")

    def handle_startendtag(self, tag, attrs):
        if tag in _INLINE | _INLINE_VOID and not self._raw:
            opening = self.get_starttag_text() or f"<{tag}/>"
            self._spans.append(Span("", tuple(t for _, t in self._stack), self._new_tag(tag, opening, "")))
        else:
            self._flush()
            self.pieces.append(self.get_starttag_text() or f"<{tag}/>")

    def handle_endtag(self, tag):
        names = [name for name, _ in self._stack]
        if tag in names and not self._raw:
            del self._stack[len(names) - 1 - names[::-1].index(tag) :]
            return
        self._flush()
        self.pieces.append(f"</{tag}>")
        self._raw = False

    def handle_data(self, data):
        if self._raw:
            self.pieces.append(data)
        else:
            self._spans.append(Span(data, tuple(t for _, t in self._stack)))

    def handle_comment(self, data):
        self._flush()
        self.pieces.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self._flush()
        self.pieces.append(f"<!{decl}>")

    def close(self) -> None:
        super().close()
        self._flush()


def html_document(text: str) -> Document:
    """Block markup verbatim; the text of each block, inline tags included, one unit (escaped again on output)."""
    parser = _Pieces()
    parser.feed(text)
    parser.close()
    doc = Document("html", "<request>")
    doc.pieces = [p for p in parser.pieces if not isinstance(p, str) or p]
    return doc


def render(doc: Document, records: list[Segment], engine: Engine) -> str | bytes:
    """The English document: text for txt/md/html, the .docx package's bytes for docx."""
    units = unit_translations(doc, records, engine.glossary)
    if doc.kind == "docx":
        return render_docx(doc, units)
    if doc.kind == "html":  # the English is text; the tags around it are the source's own markup
        units = [html.escape(u, quote=False) if isinstance(u, str) else [html.escape(t, quote=False) for t in u] for u in units]
    return render_text(doc, units)


def read_upload(filename: str, data: bytes) -> Document:
    """An uploaded file read exactly as ``zhbridge translate FILE`` reads it (same checks, same errors)."""
    name = Path(filename or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in FILE_KINDS:
        raise InputError(f"{name or 'upload'}: unsupported format {suffix!r}; use .txt, .md or .docx")
    if not SAFE_ID.fullmatch(name):
        name = f"document{suffix}"
    with tempfile.TemporaryDirectory(prefix="zhbridge-serve-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        doc = Article(path).document(False)  # a docx is parsed fully here, so the folder may go
    doc.name = name
    return doc


def details(doc: Document, records: list[Segment], engine: Engine) -> dict:
    """Per-unit English and per-segment records: TM origin and score, glossary terms, QA flags.

    The engine exposes no model confidence today; ``score`` is the TM match score (None for MT).
    """
    units = unit_translations(doc, records, engine.glossary)
    segments = []
    for r in sorted(records, key=lambda r: r["i"]):
        segments.append(
            {
                "id": r["id"],
                "unit": r["unit"],
                "source": r["src"],
                "translation": r["tgt"],
                "origin": r["origin"],
                "origin_label": origin_label(r["origin"], r.get("score")),
                "score": r.get("score"),
                "terms": r["terms"],
                "qa": check_segment(r["src"], r["tgt"], r.get("terms", ()))
                + [
                    {"kind": "term", "detail": f"{t['zh']} → {t['en']}: {t['reason']}"}
                    for t in r["terms"]
                    if t["status"] == "not-honoured"
                ],
                **({"tm_source": r["tm_source"], "tm_target": r["tm_target"]} if "tm_source" in r else {}),
            }
        )
    report = build_report(doc.name, records, engine.settings())
    return {
        "units": [
            {"source": unit.text, "translation": u if isinstance(u, str) else "".join(u)} for unit, u in zip(doc.units, units)
        ],
        "segments": segments,
        "summary": report["summary"],
    }
