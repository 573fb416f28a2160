"""TMX 1.4 translation units with provenance, for CAT tools and for the post-edit memory.

Provenance uses TMX's own attributes where it has them (``creationdate``, ``changedate``,
``creationid``, ``creationtool``) and ``<prop type="x-…">`` for the rest (origin, file),
which OmegaT, Okapi and translate-toolkit keep. Reading takes any TMX 1.x, Chinese and
English ``<tuv>`` by ``xml:lang`` prefix, through :func:`zhbridge.io.parse_xml`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from zhbridge.io import InputError, atomic_write_bytes, parse_xml

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass
class TMUnit:
    zh: str
    en: str
    props: dict[str, str] = field(default_factory=dict)  # without the x- prefix: origin, file, …
    creationdate: str = ""
    changedate: str = ""
    creationid: str = ""
    tuid: str = ""


def tmx_timestamp(when: datetime | None = None) -> str:
    return (when or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")


def tmx_bytes(units: list[TMUnit], *, tool_version: str = "", creationdate: str | None = None) -> bytes:
    """The one TMX writer; ``creationdate=""`` leaves the header date out (reproducible builds)."""
    from lxml import etree

    root = etree.Element("tmx", version="1.4")
    header = {
        "creationtool": "zhbridge",
        "creationtoolversion": tool_version or "0",
        "segtype": "sentence",
        "o-tmf": "zhbridge",
        "adminlang": "en",
        "srclang": "zh-CN",
        "datatype": "plaintext",
    }
    date = tmx_timestamp() if creationdate is None else creationdate
    etree.SubElement(root, "header", {**header, **({"creationdate": date} if date else {})})
    body = etree.SubElement(root, "body")
    for unit in units:
        attrs = {
            k: v
            for k, v in (
                ("tuid", unit.tuid),
                ("creationdate", unit.creationdate),
                ("changedate", unit.changedate),
                ("creationid", unit.creationid),
            )
            if v
        }
        tu = etree.SubElement(body, "tu", attrs)
        for key, value in unit.props.items():
            etree.SubElement(tu, "prop", type=f"x-{key}").text = value
        for lang, text in (("zh-CN", unit.zh), ("en", unit.en)):
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
            etree.SubElement(tuv, "seg").text = text
    return etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
    )


def write_tmx_units(path: str | os.PathLike, units: list[TMUnit], *, overwrite: bool = True) -> Path:
    from zhbridge.version import __version__

    return atomic_write_bytes(path, tmx_bytes(units, tool_version=__version__), overwrite=overwrite)


def _seg_text(tuv) -> str:
    seg = next((el for el in tuv if el.tag == "seg"), None)
    # itertext keeps the words inside inline codes (<bpt>, <ph>, …) out: their text is markup, not content
    if seg is None:
        return ""
    parts = [seg.text or ""]
    for child in seg:
        parts.append(child.tail or "")
    return "".join(parts).strip()


def read_tmx(source: str | os.PathLike | bytes, *, name: str | None = None, confirmed_only: bool = False) -> list[TMUnit]:
    """Every <tu> with a Chinese and an English variant (other languages are ignored).

    ``confirmed_only`` drops, in an OmegaT project memory, the segments OmegaT filled from
    ``tm/auto`` that nobody has touched since: OmegaT writes them without change date or author.
    """
    root = parse_xml(source, name=name)
    label = name or str(source)[:80]
    if root.tag != "tmx":
        raise InputError(f"{label}: not a TMX file (root element <{root.tag}>)")
    header = root.find("header")
    omegat = header is not None and header.get("creationtool", "").lower() == "omegat"
    units = []
    for tu in root.iter("tu"):
        texts: dict[str, str] = {}
        english = None
        for tuv in tu.iter("tuv"):
            lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").lower()
            key = "zh" if lang.startswith("zh") else "en" if lang.startswith("en") else ""
            if key and key not in texts:
                texts[key] = _seg_text(tuv)
                english = tuv if key == "en" else english
        if not (texts.get("zh") and texts.get("en")):
            continue
        assert english is not None  # set together with texts["en"]
        meta = {
            attr: tu.get(attr) or english.get(attr) or "" for attr in ("creationdate", "changedate", "creationid", "changeid")
        }
        if confirmed_only and omegat and not (meta["changedate"] or meta["changeid"] or meta["creationid"]):
            continue
        props = {p.get("type", "").removeprefix("x-"): p.text or "" for p in tu if p.tag == "prop"}
        units.append(
            TMUnit(
                texts["zh"], texts["en"], props, meta["creationdate"], meta["changedate"], meta["creationid"] or meta["changeid"]
            )
        )
    return units
