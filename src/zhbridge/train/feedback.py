"""The translator's corrections as training data: post-edit memories and the project's own translations.

``zhbridge tm import`` keeps a translator's confirmed post-edits in ``corpus/tm/postedits.tmx``;
the project's translations of Chinese-only articles live in ``corpus/translations/project/<doc>.tsv``
(``para<TAB>zh<TAB>en``, one Chinese sentence per line). Both are in-domain pairs that
:func:`zhbridge.train.pipeline.gather` mixes into a fine-tune, upsampled like the corpus train split
and passed through the same leakage filter, so a translator who post-edits a batch gets a model
adapted to their corrections while evaluation data stays out.
"""

from __future__ import annotations

import os
from pathlib import Path

from zhbridge import paths
from zhbridge.io import InputError, read_text
from zhbridge.mt.postedits import DEFAULT_STORE
from zhbridge.train.data import check_not_bench, leak_key

Pair = tuple[str, str]

DEFAULT_POSTEDITS = DEFAULT_STORE  # where `zhbridge tm import` writes
DEFAULT_PROJECT_DIR = paths.CORPUS_DIR / "translations" / "project"


def postedit_pairs(path: str | os.PathLike | None = None) -> list[Pair]:
    """(zh, en) of every unit of a post-edit memory (TMX); a missing default store is an error too.

    The units are read as ``zhbridge tm import`` stored them: paragraphs and, where both sides split
    alike, their sentences. A hand-picked OmegaT ``project_save.tmx`` works as well: units OmegaT filled
    from ``tm/auto`` that nobody confirmed are left out, as ``tm import`` leaves them out.
    """
    from zhbridge.mt.tmx import read_tmx

    store = Path(path) if path is not None else DEFAULT_POSTEDITS
    check_not_bench(store)
    if not store.is_file():
        raise InputError(f"{store}: no post-edit memory (import post-edits first with `zhbridge tm import FILE`)")
    pairs = [(u.zh.strip(), u.en.strip()) for u in read_tmx(store, confirmed_only=True)]
    pairs = list(dict.fromkeys(p for p in pairs if p[0] and p[1]))
    if not pairs:
        raise InputError(f"{store}: the post-edit memory has no confirmed Chinese–English units")
    return pairs


def project_translation_pairs(
    folder: str | os.PathLike | None = None, *, exclude_docs: set[str] | frozenset[str] = frozenset()
) -> tuple[list[Pair], dict]:
    """(zh, en) of every ``DOC.tsv`` in ``folder``, except documents in ``exclude_docs`` (held out).

    Returns the pairs and a report: files read, documents skipped as held out.
    """
    root = Path(folder) if folder is not None else DEFAULT_PROJECT_DIR
    check_not_bench(root)
    if not root.is_dir():
        raise InputError(f"{root}: no project-translation folder (expected DOC.tsv files with para<TAB>zh<TAB>en lines)")
    pairs: list[Pair] = []
    files, held_out = [], []
    for tsv in sorted(root.glob("*.tsv")):
        doc = tsv.stem
        if doc in exclude_docs:
            held_out.append(doc)
            continue
        files.append(tsv.name)
        for n, line in enumerate(read_text(tsv).splitlines(), 1):
            if not line.strip():
                continue
            cols = line.split("\t")
            if len(cols) != 3 or not cols[1].strip() or not cols[2].strip():
                raise InputError(f"{tsv}:{n}: expected 'para<TAB>zh<TAB>en', got {line[:60]!r}")
            pairs.append((cols[1].strip(), " ".join(cols[2].split())))
    if not files:
        raise InputError(f"{root}: no DOC.tsv project translations to train on (held out: {', '.join(held_out) or 'none'})")
    return pairs, {"folder": str(root), "files": files, "held_out_documents": held_out}


def held_out_documents(data_dir: str | os.PathLike | None) -> set[str]:
    """Document ids of the dataset's validation and test splits (whole documents never train)."""
    from datasets import load_from_disk

    path = Path(data_dir or paths.DATASET_DIR)
    if not (path / "dataset_dict.json").exists():
        return set()
    dd = load_from_disk(str(path))
    return {
        d for split in ("validation", "test") if split in dd and "doc_id" in dd[split].column_names for d in dd[split]["doc_id"]
    }


def not_in(pairs: list[Pair], known: list[Pair]) -> tuple[list[Pair], int]:
    """``pairs`` less those whose Chinese already trains (e.g. a project translation built into the train split)."""
    seen = {leak_key(z) for z, _ in known}
    kept = [p for p in pairs if leak_key(p[0]) not in seen]
    return kept, len(pairs) - len(kept)
