"""Readers for the layouts raw documents come in; each returns plain paragraphs per language.

- interleaved: a Chinese paragraph followed by its English translation (one or more paragraphs);
- paired: ``X.zh`` + ``X.en``;
- TMX: translation units;
- monolingual Chinese articles, hard-wrapped PDF pages included;
- clipping pages: several articles, each a title, a ``publisher· date time`` header and a body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from zhbridge.io import InputError, parse_xml, read_text
from zhbridge.text.normalize import (
    detect_lang,
    drop_stray_initial,
    normalize_paragraph,
    split_glued_caption,
    unwrap_hard_wrapped,
)


@dataclass
class ParagraphBead:
    """Paragraphs that translate each other: one Chinese paragraph may become several English ones."""

    zh: list[str]
    en: list[str]

    @property
    def kind(self) -> str:
        return f"{len(self.zh)}-{len(self.en)}"


@dataclass
class Reading:
    """What a reader found, plus every repair it made so nothing changes silently."""

    beads: list[ParagraphBead] = field(default_factory=list)
    zh_only: list[str] = field(default_factory=list)
    en_only: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)


def read_interleaved(text: str, *, en_first: bool = False) -> Reading:
    """Chinese paragraph, then its English paragraph(s); captions may glue zh and en on one line.

    ``en_first``: the bilingual posts that print each English paragraph before its Chinese original
    (layout ``parallel-interleaved-en-first``): an English paragraph opens a bead, Chinese ones join it.
    """
    if en_first:
        return _read_en_first(text)
    reading = Reading()
    lines: list[tuple[str, str]] = []
    for raw in text.split("\n"):
        if not raw.strip():
            continue
        lang = detect_lang(raw)
        glued = split_glued_caption(raw)
        if glued:
            reading.repairs.append(f"split glued caption: {raw.strip()!r}")
            lines += [("zh", glued[0]), ("en", glued[1])]
        else:
            lines.append((lang, raw))
    for lang, raw in lines:
        if lang == "en":
            fixed, dropped = drop_stray_initial(raw.strip())
            if dropped:
                reading.repairs.append(f"dropped stray {dropped!r} before {fixed[:20]!r}")
            raw = fixed
        paragraph = normalize_paragraph(raw, lang)
        if lang == "zh":
            reading.beads.append(ParagraphBead([paragraph], []))
        elif reading.beads:
            reading.beads[-1].en.append(paragraph)
        else:
            reading.en_only.append(paragraph)
    # a Chinese paragraph with no English after it is not a pair
    kept = []
    for bead in reading.beads:
        if bead.en:
            kept.append(bead)
        else:
            reading.zh_only += bead.zh
    reading.beads = kept
    return reading


def _read_en_first(text: str) -> Reading:
    reading = Reading()
    open_bead: ParagraphBead | None = None
    for raw in text.split("\n"):
        if not raw.strip():
            continue
        lang = detect_lang(raw)
        paragraph = normalize_paragraph(raw, lang)
        if lang == "en":
            if open_bead is None or open_bead.zh:
                open_bead = ParagraphBead([], [])
                reading.beads.append(open_bead)
            open_bead.en.append(paragraph)
        elif open_bead is not None:
            open_bead.zh.append(paragraph)
        else:
            reading.zh_only.append(paragraph)
    kept = []
    for bead in reading.beads:
        if bead.zh:
            kept.append(bead)
        else:  # English with no Chinese after it (a cut-off page) is not a pair
            reading.en_only += bead.en
    reading.beads = kept
    return reading


def _paragraphs(text: str, lang: str) -> list[str]:
    blocks = re.split(r"\n\s*\n", text.strip()) if "\n\n" in text.strip() else text.strip().split("\n")
    return [
        normalize_paragraph(" ".join(b.split("\n")) if lang == "en" else "".join(b.split("\n")), lang)
        for b in blocks
        if b.strip()
    ]


def read_paired(zh_path: str | Path, en_path: str | Path) -> Reading:
    """Two files of one document. Paragraphs pair one to one only when the counts agree."""
    zh = _paragraphs(read_text(zh_path), "zh")
    en = _paragraphs(read_text(en_path), "en")
    if len(zh) == len(en):
        return Reading(beads=[ParagraphBead([z], [e]) for z, e in zip(zh, en)])
    return Reading(
        beads=[ParagraphBead(zh, en)], repairs=[f"paragraph counts differ ({len(zh)} zh, {len(en)} en): aligned as one block"]
    )


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read_tmx(path: str | Path) -> Reading:
    """Translation units of a TMX file with a Chinese and an English variant; others are reported."""
    root = parse_xml(path)
    if root.tag != "tmx":
        raise InputError(f"{path}: not a TMX file (root element <{root.tag}>)")
    reading = Reading()
    for index, tu in enumerate(root.iter("tu")):
        texts: dict[str, str] = {}
        for tuv in tu.iter("tuv"):
            lang = (tuv.get(_XML_LANG) or tuv.get("lang") or "").lower()
            seg = tuv.find("seg")
            if seg is not None:
                texts[lang.split("-")[0]] = "".join(seg.itertext())
        if "zh" in texts and "en" in texts:
            reading.beads.append(
                ParagraphBead([normalize_paragraph(texts["zh"], "zh")], [normalize_paragraph(texts["en"], "en")])
            )
        else:
            reading.repairs.append(f"tu {index}: skipped, languages {sorted(texts)} (need zh and en)")
    if not reading.beads:
        raise InputError(f"{path}: no translation unit with both zh and en")
    return reading


def looks_hard_wrapped(text: str) -> bool:
    """A PDF page: many short lines of nearly equal width, most not ending a sentence."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) < 10:
        return False
    short = sum(1 for line in lines if len(line) <= 30)
    unfinished = sum(1 for line in lines if line[-1] not in "。！？”…；")
    return short / len(lines) > 0.7 and unfinished / len(lines) > 0.6


def read_monolingual(text: str) -> Reading:
    """Chinese paragraphs of an article; hard-wrapped pages are unwrapped first."""
    if looks_hard_wrapped(text):
        unwrapped = unwrap_hard_wrapped(text)
        return Reading(zh_only=[normalize_paragraph(p, "zh") for p in unwrapped.paragraphs], repairs=unwrapped.repairs)
    reading = Reading()
    for line in text.split("\n"):
        if not line.strip():
            continue
        lang = detect_lang(line)
        (reading.zh_only if lang == "zh" else reading.en_only).append(normalize_paragraph(line, lang))
    return reading


# ---- clipping pages -------------------------------------------------------------

HEADER_RE = re.compile(r"^(?P<publisher>.+?)·\s*(?P<date>\d{4}-\d{2}-\d{2})(?:\s+(?P<time>\d{1,2}:\d{2}))?\s*$")
_PAGE_CHROME = {"Workflow", "icon", "Search documents"}


@dataclass
class ClippedArticle:
    title: str
    publisher: str
    date: str
    time: str
    body: str
    first_line: int  # 1-based line numbers in the page, for provenance
    last_line: int

    @property
    def raw_text(self) -> str:
        header = f"{self.publisher}· {self.date} {self.time}".rstrip() if self.publisher else ""
        return "\n".join(line for line in (self.title, header, self.body) if line) + "\n"

    @property
    def layout(self) -> str:
        return "zh" if detect_lang(self.body) == "zh" else "zh+en-summary"


def split_clipping_page(text: str) -> list[ClippedArticle]:
    """Articles of a clipping page: title line, optional ``publisher· date time`` header, one body line.

    The page's chrome (``Workflow``, the search term, ``icon``, ``Search documents``) comes first.
    """
    lines = text.split("\n")
    i = 0
    while i < len(lines) and (not lines[i].strip() or lines[i].strip() in _PAGE_CHROME or i < 4 and _is_search_term(lines, i)):
        i += 1
    articles: list[ClippedArticle] = []
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        title, start = lines[i].strip(), i
        i += 1
        publisher = date = time = ""
        if i < len(lines) and (m := HEADER_RE.match(lines[i].strip())):
            publisher, date, time = m.group("publisher").strip(), m.group("date"), m.group("time") or ""
            i += 1
        if i >= len(lines) or not lines[i].strip():
            raise InputError(f"clipping page line {start + 1}: article {title[:20]!r} has no body")
        body = lines[i].strip()
        articles.append(ClippedArticle(title, publisher, date, time, body, start + 1, i + 1))
        i += 1
    return articles


def _is_search_term(lines: list[str], i: int) -> bool:
    """The search term line sits between 'Workflow'/start and 'icon'/'Search documents'."""
    following = lines[i + 1].strip() if i + 1 < len(lines) else ""
    return following in _PAGE_CHROME


_TRUNCATION_RE = re.compile(r"\s*(?:\.\.\.|…)?\s*\ufffd*$")


def read_clipped_article(text: str) -> tuple[ClippedArticle, Reading]:
    """One raw article file written by the import: title, optional header, body.

    The clipping service cut long bodies mid-character (a trailing U+FFFD) or with
    ``...``; that cut mark is removed and reported, the text before it kept.
    """
    articles = split_clipping_page(text)
    if len(articles) != 1:
        raise InputError(f"expected one article, found {len(articles)}")
    article = articles[0]
    reading = Reading()
    body = article.body
    cut = _TRUNCATION_RE.search(body)
    if cut and cut.group().strip():
        reading.repairs.append(f"removed truncation mark {cut.group().strip()!r} at end of body")
        body = body[: cut.start()]
    reading.zh_only.append(normalize_paragraph(article.title, "zh"))
    lang = detect_lang(body)
    (reading.zh_only if lang == "zh" else reading.en_only).append(normalize_paragraph(body, lang))
    return article, reading
