"""Post-edits back in: a translator's TMX/XLIFF becomes translation memory that `zhbridge translate` reuses.

The post-edit memory is one TMX file (default ``corpus/tm/postedits.tmx``), one unit per
normalised Chinese segment, each with ``x-origin=post-edit``, ``x-file`` (where it came from)
and TMX ``creationdate``/``changedate``. A later import of the same segment replaces its
English and keeps its creation date. At translation time these units come before the corpus
TM, so a translator's correction wins over the aligned corpus.

Sources are normalised and split the way :func:`zhbridge.mt.translate.document_segments`
does, so a paragraph-level unit (OmegaT with sentence segmentation off) whose Chinese and
English split into the same number of sentences also yields sentence-level units.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from zhbridge import paths
from zhbridge.io import InputError, locked, parse_xml
from zhbridge.mt.memory import TranslationMemory, tm_key
from zhbridge.mt.tmx import TMUnit, read_tmx, tmx_timestamp, write_tmx_units

DEFAULT_STORE = paths.CORPUS_DIR / "tm" / "postedits.tmx"
ORIGIN = "post-edit"


def read_translations(path: str | os.PathLike) -> list[tuple[str, str]]:
    """(Chinese, English) pairs from a TMX (e.g. OmegaT's project_save.tmx) or a translated XLIFF 1.2.

    Only what a translator confirmed: segments OmegaT pre-filled and nobody touched, and
    XLIFF units still waiting for review, are left out.
    """
    from zhbridge.mt.xliff import XLIFF_NS, read_translated_units

    root = parse_xml(path)
    if root.tag == "tmx":
        return [(u.zh, u.en) for u in read_tmx(path, confirmed_only=True)]
    if root.tag == f"{{{XLIFF_NS}}}xliff":
        return read_translated_units(path)
    raise InputError(f"{path}: neither TMX nor XLIFF 1.2 (root element <{root.tag}>)")


def segment_pairs(zh: str, en: str) -> list[tuple[str, str]]:
    """The pair as zhbridge segments it: normalised, plus its sentences when both sides split alike."""
    from zhbridge.text.normalize import normalize_paragraph
    from zhbridge.text.segment import split_en, split_zh

    zh_norm = normalize_paragraph(zh, "zh").strip()
    en = " ".join(en.split())
    if not zh_norm or not en:
        return []
    pairs = [(zh_norm, en)]
    zh_sents, en_sents = split_zh(zh_norm), split_en(en)
    if len(zh_sents) > 1 and len(zh_sents) == len(en_sents):
        pairs += [(z.strip(), e.strip()) for z, e in zip(zh_sents, en_sents)]
    return pairs


def load_store(store: str | os.PathLike | None = None) -> list[TMUnit]:
    path = Path(store) if store is not None else DEFAULT_STORE
    return read_tmx(path) if path.exists() else []


def import_files(files: Sequence[str | os.PathLike], store: str | os.PathLike | None = None) -> dict[str, int]:
    """Add or update post-edit units from each file; the store is rewritten atomically once at the end.

    The inputs are read before the store's lock is taken; the store's read-modify-write holds the lock,
    so two imports at once each keep the other's units (without it the later rename drops one import).
    """
    path = Path(store) if store is not None else DEFAULT_STORE
    incoming = [(Path(file).name, read_translations(file)) for file in files]
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    with locked(path):
        units = {tm_key(u.zh): u for u in load_store(path)}
        now = tmx_timestamp()
        for name, pairs in incoming:
            for zh, en in pairs:
                for seg_zh, seg_en in segment_pairs(zh, en):
                    key = tm_key(seg_zh)
                    old = units.get(key)
                    if old is not None and old.en == seg_en:
                        counts["unchanged"] += 1
                        continue
                    counts["updated" if old is not None else "added"] += 1
                    units[key] = TMUnit(
                        seg_zh,
                        seg_en,
                        {"origin": ORIGIN, "file": name},
                        creationdate=old.creationdate if old is not None else now,
                        changedate=now,
                        creationid="zhbridge tm import",
                    )
        if counts["added"] or counts["updated"]:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_tmx_units(path, list(units.values()))
    counts["total"] = len(units)
    return counts


def with_postedits(
    memory: TranslationMemory | None, store: str | os.PathLike | None = None, *, fuzzy_threshold: float | None = None
) -> TranslationMemory | None:
    """``memory`` with the post-edit units in front (they win on the same segment)."""
    if store is not None and not Path(store).exists():
        raise InputError(f"{store}: no such post-edit memory (create it with `zhbridge tm import`)")
    units = load_store(store)
    if not units:
        return memory
    base = memory.pairs() if memory is not None else []
    threshold = fuzzy_threshold if fuzzy_threshold is not None else (memory.fuzzy_threshold if memory else 80.0)
    name = f"{memory.name}+post-edits" if memory is not None else "post-edits"
    return TranslationMemory([(u.zh, u.en) for u in units] + base, fuzzy_threshold=threshold, name=name)
