"""Bilingual review files: XLIFF 1.2 for CAT tools and a TSV for spreadsheets, one row per segment.

``target_mode`` says what the XLIFF ``<target>`` holds:

* ``source`` (default) — a copy of the Chinese with ``state="new"``, zhbridge's proposal in an
  ``<alt-trans>``. This is the Okapi convention: OmegaT 3.6 translates the ``<target>`` text,
  and tools that honour ``state`` (Trados, memoQ, Virtaal) see an untranslated unit with a proposal.
* ``mt`` — zhbridge's translation itself: exact TM matches ``translated`` (qualifier
  ``exact-match``), fuzzy ones and MT ``needs-review-translation`` (``fuzzy-match`` /
  ``mt-suggestion``; ``leveraged-glossary`` when glossary terms were forced in).

Provenance sits in standard attributes: ``state-qualifier`` on the proposal's target,
``origin`` (``translation-memory`` / ``machine-translation``) and ``match-quality`` on
``<alt-trans>``; a fuzzy match's own source/target get an ``alt-trans`` too. Notes
carry the readable origin, the term decisions and QA findings.
"""

from __future__ import annotations

import csv
import io
from typing import cast

from zhbridge.io import InputError, atomic_write_bytes, atomic_write_text
from zhbridge.mt.enforce import FORCED, POST_EDITED
from zhbridge.mt.qa import check_segment, origin_label
from zhbridge.mt.review import needs_review, review_flags
from zhbridge.mt.segments import InlineEntry, Segment, source_text, target_text

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TARGET_MODES = ("source", "mt")
STATES = {
    "tm-exact": ("translated", "exact-match"),
    "tm-fuzzy": ("needs-review-translation", "fuzzy-match"),
    "mt": ("needs-review-translation", "mt-suggestion"),
}
ALT_ORIGINS = {"tm-exact": "translation-memory", "tm-fuzzy": "translation-memory", "mt": "machine-translation"}
TSV_COLUMNS = ("id", "unit", "sentence", "origin", "score", "source", "target", "terms", "qa", "confidence", "review")


def terms_note(terms: list[dict]) -> str:
    return "; ".join(f"{t['zh']} → {t['en']} [{t['status']}{': ' + t['reason'] if t['reason'] else ''}]" for t in terms)


def _qualifier(seg: Segment) -> str:
    state_qualifier = STATES[seg["origin"]][1]
    if seg["origin"] == "mt" and any(t["status"] in (FORCED, POST_EDITED) for t in seg["terms"]):
        return "leveraged-glossary"
    return state_qualifier


def _el(parent, tag: str, text: str | None = None, **attrs):
    from lxml import etree

    child = etree.SubElement(parent, f"{{{XLIFF_NS}}}{tag}", **attrs)
    if text is not None:
        child.text = text
    return child


def _alt_trans(unit, seg: Segment, *, origin: str, quality: float | None, qualifier: str = "") -> None:
    """A proposal: ``seg``'s own source/target (with its inline tags), or any {src, tgt} pair."""
    attrs = {"origin": origin, "alttranstype": "proposal"}
    if quality is not None:
        attrs["match-quality"] = f"{quality:.0f}%"
    alt = _el(unit, "alt-trans", **attrs)
    source_el = _el(alt, "source")
    source_el.set(XML_LANG, "zh-CN")
    fill_inline(source_el, seg, source_text(seg))
    target_el = _el(alt, "target")
    fill_inline(target_el, seg, target_text(seg))
    target_el.set(XML_LANG, "en")
    if qualifier:
        target_el.set("state-qualifier", qualifier)


def _append_text(element, text: str) -> None:
    if not text:
        return
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def fill_inline(element, seg: Segment, texts: list[str] | None) -> None:
    """Content of a <source>/<target> with the segment's inline tags: ``<g>`` for a tag that opens
    and closes in the segment, ``<bx/>``/``<ex/>`` for one that crosses a sentence boundary,
    ``<x/>`` for a placeholder. ``texts`` is one stretch per entry; None means plain text. The two
    halves of a crossing tag share their id (strict XLIFF 1.2 only lets ``rid`` pair them within one
    element)."""
    from lxml import etree

    from zhbridge.mt.inline import transitions

    if texts is None or "inline" not in seg:
        element.text = "".join(texts or [])
        return
    roles = {t: (ctype, role) for t, ctype, role in seg.get("tags", [])}
    stack = [element]
    entries: list[InlineEntry] = seg["inline"]
    steps = list(transitions([tuple(e["tags"]) for e in entries]))
    for (closes, opens), entry, text in zip(steps, entries, texts + [""] * (len(entries) - len(texts))):
        _close(stack, closes, roles)
        for t in opens:
            ctype, role = roles.get(t, ("x-format", "g"))
            if role == "g":
                stack.append(etree.SubElement(stack[-1], f"{{{XLIFF_NS}}}g", id=str(t), ctype=ctype))
            elif role == "bx":
                etree.SubElement(stack[-1], f"{{{XLIFF_NS}}}bx", id=str(t), ctype=ctype)
        if entry["x"] is not None:
            etree.SubElement(stack[-1], f"{{{XLIFF_NS}}}x", id=str(entry["x"]), ctype=roles.get(entry["x"], ("x-code",))[0])
        _append_text(stack[-1], text)
    _close(stack, steps[-1][0] if steps else [], roles)


def _close(stack: list, closes: list[int], roles: dict) -> None:
    from lxml import etree

    for t in closes:
        role = roles.get(t, ("", "g"))[1]
        if role == "g":
            stack.pop()
        elif role == "ex":
            etree.SubElement(stack[-1], f"{{{XLIFF_NS}}}ex", id=str(t))


def _flags(seg: Segment, issues: list[dict]) -> list[str]:
    """The review flags of a segment: its QA issues and the terms enforcement could not place by decoding."""
    terms = [{"kind": "term" if t["status"] == "not-honoured" else "term-post-edited"} for t in seg["terms"]]
    return review_flags([t for t, s in zip(terms, seg["terms"]) if s["status"] in ("not-honoured", POST_EDITED)] + issues)


def add_trans_unit(body, seg: Segment, target_mode: str = "source") -> None:
    """One <trans-unit> for one translated segment (see the module docstring for the layout)."""
    unit = _el(body, "trans-unit", id=seg["id"], approved="no")
    unit.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    source = _el(unit, "source")
    source.set(XML_LANG, "zh-CN")
    fill_inline(source, seg, source_text(seg))
    quality = 100.0 if seg["origin"] == "tm-exact" else seg.get("score")
    issues = check_segment(seg["src"], seg["tgt"], seg.get("terms", ()))
    flags = _flags(seg, issues)
    review = needs_review(seg, flags)
    if target_mode == "mt":
        # a flagged segment needs review whatever its origin (an exact TM match with a wrong number too)
        state = "needs-review-translation" if review else STATES[seg["origin"]][0]
        target = _el(unit, "target", state=state, **{"state-qualifier": _qualifier(seg)})
        target.set(XML_LANG, "en")
        fill_inline(target, seg, target_text(seg))
    else:
        fill_inline(_el(unit, "target", state="new"), seg, source_text(seg))
        _alt_trans(unit, seg, origin=ALT_ORIGINS[seg["origin"]], quality=quality, qualifier=_qualifier(seg))
    if seg["origin"] == "tm-fuzzy" and seg.get("tm_source"):
        _alt_trans(
            unit,
            # the match's own pair, a record without markup: only src and tgt are read
            cast(Segment, {"src": seg["tm_source"], "tgt": seg.get("tm_target", seg["tgt"])}),
            origin="translation-memory",
            quality=seg["score"],
        )
    _el(unit, "note", f"origin: {origin_label(seg['origin'], seg.get('score'))}", **{"from": "zhbridge"})
    if seg["terms"]:
        _el(unit, "note", "terms: " + terms_note(seg["terms"]), **{"from": "zhbridge"})
    if review:
        conf = seg.get("confidence")
        _el(
            unit,
            "note",
            f"review: {', '.join(flags) or 'low confidence'}" + ("" if conf is None else f"; confidence {conf:.2f}"),
            **{"from": "zhbridge", "priority": "1"},
        )
    elif seg.get("confidence") is not None:
        _el(unit, "note", f"confidence {seg['confidence']:.2f}", **{"from": "zhbridge", "priority": "5"})
    if issues:
        _el(
            unit,
            "note",
            "qa: " + "; ".join(f"{i['kind']}: {i['detail']}" for i in issues),
            **{"from": "zhbridge", "priority": "2"},
        )


def xliff_bytes(original: str, segments: list[Segment], tool_version: str = "", *, target_mode: str = "source") -> bytes:
    from lxml import etree

    if target_mode not in TARGET_MODES:
        raise InputError(f"--xliff-target {target_mode}: choose one of {', '.join(TARGET_MODES)}")
    root = etree.Element(f"{{{XLIFF_NS}}}xliff", nsmap={None: XLIFF_NS}, version="1.2")
    file_el = _el(
        root,
        "file",
        original=original,
        datatype="plaintext",
        **{"source-language": "zh-CN", "target-language": "en", "tool-id": "zhbridge"},
    )
    header = _el(file_el, "header")
    _el(header, "tool", **{"tool-id": "zhbridge", "tool-name": "zhbridge", "tool-version": tool_version or "0"})
    body = _el(file_el, "body")
    for seg in segments:
        add_trans_unit(body, seg, target_mode)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_xliff(path, original: str, segments: list[Segment], *, overwrite: bool, target_mode: str = "source") -> None:
    from zhbridge.version import __version__

    atomic_write_bytes(path, xliff_bytes(original, segments, __version__, target_mode=target_mode), overwrite=overwrite)


FINISHED_STATES = ("translated", "signed-off", "final")


def _inline_text(element) -> str:
    return _content(element).strip() if element is not None else ""


def _content(element) -> str:
    # text inside <g>/<mrk> is content; inside placeholders (<x/>, <ph>, <bpt>…) it is markup
    parts = [element.text or ""]
    for child in element:
        if child.tag in (f"{{{XLIFF_NS}}}g", f"{{{XLIFF_NS}}}mrk"):
            parts.append(_content(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_translated_units(source, *, name: str | None = None) -> list[tuple[str, str]]:
    """(source, target) of every XLIFF 1.2 unit a translator finished.

    A unit counts when its state says so (translated, signed-off, final, or approved="yes"),
    or, unless it still waits for review, when its target differs from both the source and
    zhbridge's own proposal: OmegaT 3.6 fills the target without touching ``state="new"``.
    """
    from zhbridge.io import parse_xml

    root = parse_xml(source, name=name)
    label = name or str(source)
    if root.tag != f"{{{XLIFF_NS}}}xliff":
        raise InputError(f"{label}: not an XLIFF 1.2 file (root element <{root.tag}>)")
    pairs = []
    for unit in root.iter(f"{{{XLIFF_NS}}}trans-unit"):
        src = _inline_text(unit.find(f"{{{XLIFF_NS}}}source"))
        target_el = unit.find(f"{{{XLIFF_NS}}}target")
        tgt = _inline_text(target_el)
        if not src or not tgt or tgt == src:
            continue
        proposals = {_inline_text(alt.find(f"{{{XLIFF_NS}}}target")) for alt in unit.iter(f"{{{XLIFF_NS}}}alt-trans")}
        state = target_el.get("state", "")
        finished = state in FINISHED_STATES or unit.get("approved") == "yes"
        if finished or (not state.startswith("needs-review") and tgt not in proposals):
            pairs.append((src, tgt))
    return pairs


def tsv_text(segments: list[Segment]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(TSV_COLUMNS)
    for seg in segments:
        issues = check_segment(seg["src"], seg["tgt"], seg.get("terms", ()))
        qa = "; ".join(f"{i['kind']}: {i['detail']}" for i in issues)
        flags = _flags(seg, issues)
        conf = seg.get("confidence")
        writer.writerow(
            [
                seg["id"],
                seg["unit"],
                seg["sent"],
                origin_label(seg["origin"], seg.get("score")),
                "" if seg.get("score") is None else f"{seg['score']:.1f}",
                seg["src"],
                seg["tgt"],
                terms_note(seg["terms"]),
                qa,
                "" if conf is None else f"{conf:.3f}",
                (", ".join(flags) or "low confidence") if needs_review(seg, flags) else "",
            ]
        )
    return buffer.getvalue()


def write_tsv(path, segments: list[Segment], *, overwrite: bool) -> None:
    atomic_write_text(path, tsv_text(segments), overwrite=overwrite)
