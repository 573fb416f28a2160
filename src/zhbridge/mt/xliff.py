"""Bilingual review files: XLIFF 1.2 for CAT tools and a TSV for spreadsheets, one row per segment.

XLIFF states follow the 1.2 spec: exact TM matches are ``translated`` (qualifier
``exact-match``), fuzzy ones and MT ``needs-review-translation`` (``fuzzy-match`` /
``mt-suggestion``); a fuzzy match's original source/target go in an ``alt-trans`` with
its ``match-quality``. Notes carry the origin and the term decisions.
"""
from __future__ import annotations

import csv
import io

from zhbridge.io import atomic_write_bytes, atomic_write_text
from zhbridge.mt.qa import check_segment, origin_label

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATES = {"tm-exact": ("translated", "exact-match"), "tm-fuzzy": ("needs-review-translation", "fuzzy-match"),
          "mt": ("needs-review-translation", "mt-suggestion")}
TSV_COLUMNS = ("id", "unit", "sentence", "origin", "score", "source", "target", "terms", "qa")


def terms_note(terms: list[dict]) -> str:
    return "; ".join(f"{t['zh']} → {t['en']} [{t['status']}{': ' + t['reason'] if t['reason'] else ''}]"
                     for t in terms)


def xliff_bytes(original: str, segments: list[dict], tool_version: str = "") -> bytes:
    from lxml import etree

    nsmap = {None: XLIFF_NS}
    root = etree.Element(f"{{{XLIFF_NS}}}xliff", nsmap=nsmap, version="1.2")
    file_el = etree.SubElement(root, f"{{{XLIFF_NS}}}file", original=original, datatype="plaintext",
                               **{"source-language": "zh-CN", "target-language": "en"})
    header = etree.SubElement(file_el, f"{{{XLIFF_NS}}}header")
    etree.SubElement(header, f"{{{XLIFF_NS}}}tool", **{"tool-id": "zhbridge", "tool-name": "zhbridge",
                                                        "tool-version": tool_version or "0"})
    body = etree.SubElement(file_el, f"{{{XLIFF_NS}}}body")
    for seg in segments:
        unit = etree.SubElement(body, f"{{{XLIFF_NS}}}trans-unit", id=seg["id"], approved="no")
        unit.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        source = etree.SubElement(unit, f"{{{XLIFF_NS}}}source")
        source.set(XML_LANG, "zh-CN")
        source.text = seg["src"]
        state, qualifier = STATES[seg["origin"]]
        target = etree.SubElement(unit, f"{{{XLIFF_NS}}}target", state=state, **{"state-qualifier": qualifier})
        target.set(XML_LANG, "en")
        target.text = seg["tgt"]
        if seg["origin"] == "tm-fuzzy" and seg.get("tm_source"):
            alt = etree.SubElement(unit, f"{{{XLIFF_NS}}}alt-trans", origin="translation-memory",
                                   **{"match-quality": f"{seg['score']:.0f}%"})
            etree.SubElement(alt, f"{{{XLIFF_NS}}}source").text = seg["tm_source"]
            etree.SubElement(alt, f"{{{XLIFF_NS}}}target").text = seg.get("tm_target", seg["tgt"])
        note = etree.SubElement(unit, f"{{{XLIFF_NS}}}note", **{"from": "zhbridge"})
        note.text = f"origin: {origin_label(seg['origin'], seg.get('score'))}"
        if seg["terms"]:
            etree.SubElement(unit, f"{{{XLIFF_NS}}}note", **{"from": "zhbridge"}).text = "terms: " + terms_note(seg["terms"])
        issues = check_segment(seg["src"], seg["tgt"])
        if issues:
            etree.SubElement(unit, f"{{{XLIFF_NS}}}note", **{"from": "zhbridge", "priority": "2"}).text = \
                "qa: " + "; ".join(f"{i['kind']}: {i['detail']}" for i in issues)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_xliff(path, original: str, segments: list[dict], *, overwrite: bool) -> None:
    from zhbridge import __version__

    atomic_write_bytes(path, xliff_bytes(original, segments, __version__), overwrite=overwrite)


def tsv_text(segments: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(TSV_COLUMNS)
    for seg in segments:
        qa = "; ".join(f"{i['kind']}: {i['detail']}" for i in check_segment(seg["src"], seg["tgt"]))
        writer.writerow([seg["id"], seg["unit"], seg["sent"], origin_label(seg["origin"], seg.get("score")),
                         "" if seg.get("score") is None else f"{seg['score']:.1f}", seg["src"], seg["tgt"],
                         terms_note(seg["terms"]), qa])
    return buffer.getvalue()


def write_tsv(path, segments: list[dict], *, overwrite: bool) -> None:
    atomic_write_text(path, tsv_text(segments), overwrite=overwrite)
