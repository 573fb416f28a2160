"""TBX-Basic import and export for glossary entries: the only place TBX is read or written.

Two dialects are written; both are read (elements matched by local name, any namespace):

* ``2008`` (default) — TBX 2008 / ISO 30042:2008, root ``<martif type="TBX-Basic">``, no
  namespace. This is what termbase tools read today (translate-toolkit, OmegaT 3.6, Okapi).
* ``v3`` — ISO 30042:2019 (TBX v3), root ``<tbx>`` in the default namespace
  ``urn:iso:std:iso:30042:ed-2``, ``conceptEntry/langSec/termSec``.

One concept per glossary entry, TBX-Basic data categories only::

    <termEntry id="c1">
      <descrip type="subjectField">micro-short drama industry</descrip>
      <note>category: publisher</note>          the glossary's entry kind (not a subject field)
      <note>Organisation's own English name.</note>
      <admin type="source">001_…</admin>
      <langSet xml:lang="zh-CN"><tig>
        <term>21世纪经济报道</term>
        <note>pinyin: 21 shì jì …</note>            pronunciation, as TBX-Basic has no such category
        <note>romanization: 2 1 Shi Ji …</note>     a pinyin spelling the glossary lists among variants
      </tig></langSet>
      <langSet xml:lang="en">
        <tig><term>21st Century Business Herald</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          <termNote type="termType">fullForm</termNote>
          <termNote type="partOfSpeech">properNoun</termNote></tig>
        <tig>… admittedTerm-admn-sts, termType variant …</tig>
      </langSet>
    </termEntry>

Labelled notes are table-driven (:data:`NOTE_FIELDS`): a new optional glossary field that
belongs in a note is one more row there. Parsing goes through :func:`zhbridge.io.parse_xml`,
which refuses entities and external references.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from zhbridge.io import InputError, atomic_write_bytes, parse_xml
from zhbridge.terms.glossary import CATEGORIES, Entry

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
SUBJECT_FIELD = "micro-short drama industry"
DIALECTS = ("2008", "v3")
ZH_LANG = "zh-CN"

# element names per dialect: root, header, entry, language section, term section
_NAMES = {
    "2008": ("martif", "martifHeader", "termEntry", "langSet", "tig"),
    "v3": ("tbx", "tbxHeader", "conceptEntry", "langSec", "termSec"),
}

# Entry field → (where its <note> goes, the label the note starts with)
NOTE_FIELDS = (
    ("category", "entry", "category"),
    ("pinyin", "zh", "pinyin"),
)
# Entry field holding another English form → its TBX termType (one more <tig>, admitted). The
# short form of term style (``Shudian`` after ``Shudian ("vertical-screen Hengdian")``) is TBX's
# shortForm, so CAT tools that know the category show it as the full form's short variant.
EN_FORM_FIELDS: tuple[tuple[str, str], ...] = (("short", "shortForm"),)
ROMANIZATION = "romanization"
_LABELS = {label for _, _, label in NOTE_FIELDS} | {ROMANIZATION, "note"}

# Entry categories that name one thing (so their English is a proper noun): all but the common-noun ones
_PROPER = set(CATEGORIES) - {"industry term", "genre/trope", "policy/slogan"}


def _letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).lower()


def is_romanization(variant: str, entry: Entry) -> bool:
    """True when a 'variant' only spells the Chinese in pinyin (e.g. '2 1 Shi Ji Jing Ji Bao Dao')."""
    return bool(entry.pinyin) and variant != entry.en and _letters(variant) == _letters(entry.pinyin)


def _term_type(term: str, entry: Entry, preferred: bool) -> str:
    if re.fullmatch(r"[A-Z0-9&]{2,6}", term):
        return "acronym"
    if not preferred:
        return "variant"
    return "phrase" if entry.category == "policy/slogan" else "fullForm"


def _part_of_speech(entry: Entry) -> str:
    if entry.category in _PROPER:
        return "properNoun"
    return "noun" if entry.category in ("industry term", "genre/trope") else ""


def _labelled(label: str, value: str) -> str:
    return f"{label}: {value}"


def _free_note(text: str) -> str:
    # a note that itself starts like a labelled one gets the 'note:' label so import keeps it apart
    label = text.split(":", 1)[0] if ": " in text else ""
    return _labelled("note", text) if label in _LABELS else text


def entries_to_tbx(entries: list[Entry], *, dialect: str = "2008") -> bytes:
    from lxml import etree

    if dialect not in DIALECTS:
        raise InputError(f"TBX dialect {dialect!r}: choose one of {', '.join(DIALECTS)}")
    root_name, header_name, entry_name, lang_name, term_name = _NAMES[dialect]
    ns = f"{{{TBX_NS}}}" if dialect == "v3" else ""

    def sub(parent, tag, text=None, **attrs):
        child = etree.SubElement(parent, f"{ns}{tag}", **attrs)
        if text is not None:
            child.text = text
        return child

    root = etree.Element(f"{ns}{root_name}", nsmap={None: TBX_NS} if ns else None, type="TBX-Basic")
    if dialect == "v3":
        root.set("style", "dca")
    root.set(XML_LANG, "en")
    source_desc = sub(sub(sub(root, header_name), "fileDesc"), "sourceDesc")
    sub(source_desc, "p", "zhbridge glossary export")
    body = sub(sub(root, "text"), "body")
    for n, entry in enumerate(entries, start=1):
        concept = sub(body, entry_name, id=f"c{n}")
        sub(concept, "descrip", SUBJECT_FIELD, type="subjectField")
        if entry.source:
            sub(concept, "admin", entry.source, type="source")
        zh_term = etree.Element(f"{ns}{term_name}")  # attached after the entry-level notes (TBX order)
        sub(zh_term, "term", entry.zh)
        notes = {"entry": concept, "zh": zh_term}
        for field, where, label in NOTE_FIELDS:
            if getattr(entry, field):
                sub(notes[where], "note", _labelled(label, getattr(entry, field)))
        if entry.note:
            sub(concept, "note", _free_note(entry.note))
        zh_sec = sub(concept, lang_name)
        zh_sec.set(XML_LANG, ZH_LANG)
        zh_sec.append(zh_term)
        for variant in entry.variants:
            if is_romanization(variant, entry):
                sub(zh_term, "note", _labelled(ROMANIZATION, variant))
        en_sec = sub(concept, lang_name)
        en_sec.set(XML_LANG, "en")
        english = [(entry.en, True, "")] + [(v, False, "") for v in entry.variants if not is_romanization(v, entry)]
        english += [(getattr(entry, field), False, term_type) for field, term_type in EN_FORM_FIELDS if getattr(entry, field)]
        for rendering, preferred, term_type in english:
            term_sec = sub(en_sec, term_name)
            sub(term_sec, "term", rendering)
            sub(term_sec, "termNote", PREFERRED if preferred else ADMITTED, type="administrativeStatus")
            sub(term_sec, "termNote", term_type or _term_type(rendering, entry, preferred), type="termType")
            if _part_of_speech(entry):
                sub(term_sec, "termNote", _part_of_speech(entry), type="partOfSpeech")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_tbx(entries: list[Entry], path: str | os.PathLike, *, overwrite: bool = False, dialect: str = "2008") -> Path:
    atomic_write_bytes(path, entries_to_tbx(entries, dialect=dialect), overwrite=overwrite)
    return Path(path)


def _local(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, *names: str):
    return [child for child in element if _local(child) in names]


def _text(element) -> str:
    # itertext keeps text inside inline markup (<hi>, <ph>) that TBX allows in terms and notes
    return "".join(element.itertext())


def _split_note(text: str) -> tuple[str, str]:
    label, sep, value = text.partition(": ")
    return (label, value) if sep and label in _LABELS else ("", text)


def _concept_fields(concept) -> dict[str, str]:
    fields = {"category": "", "note": "", "source": ""}
    labels = {label: field for field, _, label in NOTE_FIELDS}
    subject = ""
    for el in concept:
        kind, typ = _local(el), el.get("type", "")
        if kind == "descrip" and typ == "subjectField":
            subject = _text(el)
        elif kind == "note":
            label, value = _split_note(_text(el))
            field = labels.get(label, "note")
            if not fields.get(field):
                fields[field] = value
        elif kind == "admin" and typ == "source" and not fields["source"]:
            fields["source"] = _text(el)
    if not fields["category"] and subject in CATEGORIES:
        fields["category"] = subject  # zhbridge exports before 0.2 kept the entry kind there
    return fields


def _term_fields(term_sec) -> tuple[str, dict[str, str], list[str]]:
    """The term, its termNotes by type, and labelled notes (pinyin, romanizations) as 'label: value'."""
    term_el = next((el for el in term_sec.iter() if _local(el) == "term"), None)
    term = _text(term_el) if term_el is not None else ""
    notes = {el.get("type", ""): _text(el) for el in term_sec.iter() if _local(el) == "termNote"}
    labelled = [_text(el) for el in term_sec.iter() if _local(el) == "note"]
    return term, notes, labelled


def tbx_to_entries(source: str | os.PathLike | bytes, *, name: str | None = None) -> list[Entry]:
    root = parse_xml(source, name=name)
    label = name or (str(source) if not isinstance(source, bytes) else "<tbx>")
    if _local(root) not in ("tbx", "martif"):
        raise InputError(f"{label}: not a TBX file (root element <{_local(root)}>, expected <tbx> or <martif>)")
    entries: list[Entry] = []
    concepts = [el for el in root.iter() if _local(el) in ("conceptEntry", "termEntry")]
    for concept in concepts:
        fields = _concept_fields(concept)
        zh_terms: list[tuple[str, dict[str, str]]] = []
        en_terms: list[tuple[str, str]] = []
        romanized: list[str] = []
        for lang_sec in _children(concept, "langSec", "langSet"):
            lang = (lang_sec.get(XML_LANG) or lang_sec.get("lang") or "").lower()
            for term_sec in _children(lang_sec, "termSec", "tig", "ntig"):
                term, term_notes, notes = _term_fields(term_sec)
                if not term:
                    continue
                if lang.startswith("zh"):
                    extra = {"pinyin": term_notes.get("pronunciation", "")}
                    by_label = {field: lbl for field, where, lbl in NOTE_FIELDS if where == "zh"}
                    for text in notes:
                        note_label, value = _split_note(text)
                        if note_label == ROMANIZATION:
                            romanized.append(value)
                        for field, lbl in by_label.items():
                            if note_label == lbl:
                                extra[field] = value
                    zh_terms.append((term, extra))
                elif lang.startswith("en"):
                    form = next((f for f, t in EN_FORM_FIELDS if t == term_notes.get("termType")), "")
                    if form:
                        fields[form] = term
                    else:
                        en_terms.append((term, term_notes.get("administrativeStatus", "")))
        if not zh_terms or not en_terms:
            continue  # a concept without both languages is not a zh→en glossary entry
        preferred = next((t for t, status in en_terms if status.startswith("preferred")), en_terms[0][0])
        variants = tuple(t for t, _ in en_terms if t != preferred) + tuple(romanized)
        for zh, extra in zh_terms:
            entries.append(Entry(zh=zh, en=preferred, variants=variants, **{**fields, **extra}))
    if not entries and concepts:
        raise InputError(f"{label}: no concept has both a Chinese (zh) and an English (en) term")
    return entries
