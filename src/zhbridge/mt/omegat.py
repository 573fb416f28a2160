"""A ready OmegaT project next to a translation run: every segment pre-translated, glossary loaded.

Layout (what OmegaT 3.6 reads, checked with ``scripts/check_omegat.sh``)::

    omegat.project              zh-CN → en, sentence segmentation on
    source/                     the input documents, as given
    tm/auto/zhbridge.tmx        zhbridge's output (TM, MT, enforced terms); OmegaT inserts
                                tm/auto matches into empty segments when the project loads
                                and marks them as auto-populated (to be reviewed)
    tm/auto/corpus.tmx          the corpus translation memory (its exact matches are what
                                zhbridge reused anyway; its fuzzy ones show in the matches pane)
    glossary/zhbridge.txt       the glossary as OmegaT's tab-separated form: term, rendering, comment

zhbridge's output is written both per sentence and per paragraph, so it matches whether
the translator keeps sentence segmentation on or turns it off. The files OmegaT writes
itself (``omegat/project_save.tmx``, ``target/``) are never touched.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

from zhbridge.io import atomic_write_bytes, atomic_write_text, read_text
from zhbridge.mt.segments import ReviewRow
from zhbridge.mt.tmx import TMUnit, write_tmx_units

SOURCE_LANG, TARGET_LANG = "zh-CN", "en"
PROJECT_FILE = "omegat.project"


def project_xml(*, sentence_seg: bool = True) -> bytes:
    from lxml import etree

    root = etree.Element("omegat")
    project = etree.SubElement(root, "project", version="1.0")
    for tag, value in (
        ("source_dir", "__DEFAULT__"),
        ("target_dir", "__DEFAULT__"),
        ("tm_dir", "__DEFAULT__"),
        ("glossary_dir", "__DEFAULT__"),
        ("glossary_file", "__DEFAULT__"),
        ("dictionary_dir", "__DEFAULT__"),
        ("source_lang", SOURCE_LANG),
        ("target_lang", TARGET_LANG),
        ("source_tok", "org.omegat.tokenizer.LuceneSmartChineseTokenizer"),
        ("target_tok", "org.omegat.tokenizer.LuceneEnglishTokenizer"),
        ("sentence_seg", "true" if sentence_seg else "false"),
        ("support_default_translations", "true"),
        ("remove_tags", "false"),
    ):
        etree.SubElement(project, tag).text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, standalone=False)


def glossary_text(glossary) -> str:
    """OmegaT's glossary TSV: no header row, term / preferred rendering / comment (variants, pinyin, note)."""
    from zhbridge.terms.tbx import is_romanization

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
    for e in glossary:
        variants = [v for v in e.variants if not is_romanization(v, e)]
        comment = "; ".join(
            part
            for part in (
                "also: " + " | ".join(variants) if variants else "",
                f"pinyin: {e.pinyin}" if e.pinyin else "",
                e.category,
                e.note,
            )
            if part
        )
        writer.writerow([_one_line(e.zh), _one_line(e.en), _one_line(comment)])
    return buffer.getvalue()


def _one_line(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def review_records(tsv_path: Path) -> list[ReviewRow]:
    """Segment records back from a run's review TSV (unit, source, target, origin)."""
    rows = csv.DictReader(io.StringIO(read_text(tsv_path, allow_empty=True)), delimiter="\t")
    return [{"unit": int(r["unit"]), "src": r["source"], "tgt": r["target"], "origin": r["origin"]} for r in rows]


def output_units(document: Path, tsv_path: Path) -> list[TMUnit]:
    """One TMX unit per translated sentence and per paragraph of ``document``."""
    from zhbridge.mt.documents import read_document

    records = review_records(tsv_path)
    props = lambda origin: {"origin": origin, "file": document.name}  # noqa: E731
    units = [TMUnit(r["src"], r["tgt"], props(r["origin"])) for r in records if r["src"] and r["tgt"]]
    doc = read_document(document)
    for u, unit in enumerate(doc.units):
        parts = [r for r in records if r["unit"] == u]
        english = " ".join(r["tgt"] for r in parts if r["tgt"])
        if len(parts) > 1 and english:
            origins = sorted({r["origin"] for r in parts})
            units.append(TMUnit(unit.text.strip(), english, props(" + ".join(origins))))
    return units


def write_project(
    project_dir: str | os.PathLike, documents: list[Path], out_dir: str | os.PathLike, *, memory=None, glossary=None
) -> Path:
    """Write (or refresh) the OmegaT project for the translated ``documents`` whose outputs are in ``out_dir``."""
    project = Path(project_dir)
    out = Path(out_dir)
    for sub in ("source", "tm/auto", "glossary", "target", "omegat"):
        (project / sub).mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(project / PROJECT_FILE, project_xml())
    units: list[TMUnit] = []
    for document in documents:
        tsv = out / f"{document.name}.tsv"
        if not tsv.exists():
            continue  # failed documents have no output to pre-fill with
        shutil.copy2(document, project / "source" / document.name)
        units += output_units(document, tsv)
    write_tmx_units(project / "tm" / "auto" / "zhbridge.tmx", units)
    if memory is not None and len(memory):
        write_tmx_units(
            project / "tm" / "auto" / "corpus.tmx", [TMUnit(zh, en, {"origin": "corpus"}) for zh, en in memory.pairs()]
        )
    if glossary is not None and len(glossary):
        atomic_write_text(project / "glossary" / "zhbridge.txt", glossary_text(glossary))
    return project
