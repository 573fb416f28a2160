"""TBX (ISO 30042:2019, TBX-Basic dialect) import and export for glossary entries.

One ``conceptEntry`` per glossary entry::

    <conceptEntry id="c1">
      <descrip type="subjectField">industry term</descrip>   category
      <note>…</note>                                          note
      <admin type="source">002_…</admin>                       source document
      <langSec xml:lang="zh"><termSec>
          <term>竖店</term>
          <termNote type="pronunciation">shù diàn</termNote>  pinyin
      </termSec></langSec>
      <langSec xml:lang="en">
        <termSec><term>…</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
        <termSec><term>…</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec>
      </langSec>
    </conceptEntry>

Import also reads the older TBX 2008 layout (``martif/termEntry/langSet/tig``),
matching elements by local name so either namespace (or none) works. Parsing goes
through :func:`zhbridge.io.parse_xml`, which refuses entities and external references.
"""
from __future__ import annotations

import os
from pathlib import Path

from zhbridge.io import InputError, atomic_write_bytes, parse_xml
from zhbridge.terms.glossary import Entry

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"


def entries_to_tbx(entries: list[Entry]) -> bytes:
    from lxml import etree

    E = lambda tag, **attrs: etree.Element(f"{{{TBX_NS}}}{tag}", **attrs)  # noqa: E731

    def sub(parent, tag, text=None, **attrs):
        child = etree.SubElement(parent, f"{{{TBX_NS}}}{tag}", **attrs)
        if text is not None:
            child.text = text
        return child

    root = E("tbx", type="TBX-Basic", style="dca")
    root.set(XML_LANG, "zh")
    header = sub(root, "tbxHeader")
    file_desc = sub(header, "fileDesc")
    source_desc = sub(file_desc, "sourceDesc")
    sub(source_desc, "p", "zhbridge glossary export")
    body = sub(sub(root, "text"), "body")
    for n, entry in enumerate(entries, start=1):
        concept = sub(body, "conceptEntry", id=f"c{n}")
        if entry.category:
            sub(concept, "descrip", entry.category, type="subjectField")
        if entry.note:
            sub(concept, "note", entry.note)
        if entry.source:
            sub(concept, "admin", entry.source, type="source")
        zh_sec = sub(concept, "langSec")
        zh_sec.set(XML_LANG, "zh")
        zh_term = sub(zh_sec, "termSec")
        sub(zh_term, "term", entry.zh)
        if entry.pinyin:
            sub(zh_term, "termNote", entry.pinyin, type="pronunciation")
        en_sec = sub(concept, "langSec")
        en_sec.set(XML_LANG, "en")
        for rendering, status in [(entry.en, PREFERRED)] + [(v, ADMITTED) for v in entry.variants]:
            term_sec = sub(en_sec, "termSec")
            sub(term_sec, "term", rendering)
            sub(term_sec, "termNote", status, type="administrativeStatus")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_tbx(entries: list[Entry], path: str | os.PathLike, *, overwrite: bool = False) -> Path:
    atomic_write_bytes(path, entries_to_tbx(entries), overwrite=overwrite)
    return Path(path)


def _local(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, *names: str):
    return [child for child in element if _local(child) in names]


def _text(element) -> str:
    # itertext keeps text inside inline markup (<hi>, <ph>) that TBX allows in terms and notes
    return "".join(element.itertext())


def tbx_to_entries(source: str | os.PathLike | bytes, *, name: str | None = None) -> list[Entry]:
    root = parse_xml(source, name=name)
    label = name or (str(source) if not isinstance(source, bytes) else "<tbx>")
    if _local(root) not in ("tbx", "martif"):
        raise InputError(f"{label}: not a TBX file (root element <{_local(root)}>, expected <tbx> or <martif>)")
    entries: list[Entry] = []
    concepts = [el for el in root.iter() if _local(el) in ("conceptEntry", "termEntry")]
    for concept in concepts:
        category = note = source_doc = ""
        for el in concept.iter():
            kind, typ = _local(el), el.get("type", "")
            if kind == "descrip" and typ == "subjectField" and not category:
                category = _text(el)
            elif kind == "note" and el.getparent() is concept and not note:
                note = _text(el)
            elif kind == "admin" and typ == "source" and not source_doc:
                source_doc = _text(el)
        zh_terms: list[tuple[str, str]] = []
        en_terms: list[tuple[str, str]] = []
        for lang_sec in _children(concept, "langSec", "langSet"):
            lang = (lang_sec.get(XML_LANG) or lang_sec.get("lang") or "").lower()
            for term_sec in _children(lang_sec, "termSec", "tig", "ntig"):
                term_el = next((el for el in term_sec.iter() if _local(el) == "term"), None)
                if term_el is None:
                    continue
                notes = {el.get("type", ""): _text(el) for el in term_sec.iter() if _local(el) == "termNote"}
                if lang.startswith("zh"):
                    zh_terms.append((_text(term_el), notes.get("pronunciation", "")))
                elif lang.startswith("en"):
                    en_terms.append((_text(term_el), notes.get("administrativeStatus", "")))
        if not zh_terms or not en_terms:
            continue  # a concept without both languages is not a zh→en glossary entry
        preferred = next((t for t, status in en_terms if status.startswith("preferred")), en_terms[0][0])
        variants = tuple(t for t, _ in en_terms if t != preferred)
        for zh, pinyin in zh_terms:
            entries.append(Entry(zh=zh, en=preferred, variants=variants, pinyin=pinyin,
                                 category=category, note=note, source=source_doc))
    if not entries and concepts:
        raise InputError(f"{label}: no concept has both a Chinese (zh) and an English (en) term")
    return entries
