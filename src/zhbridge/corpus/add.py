"""Adding a user's document to the corpus: copied into ``raw/`` under a new id, appended to the manifest.

The document is read (and so validated: encoding, emptiness, size, XML safety) and run through
what ``corpus build`` will do before anything is written; the manifest is rewritten atomically.
This sits above both the manifest (:mod:`zhbridge.corpus.manifest`) and the build
(:mod:`zhbridge.corpus.build`), which it uses.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from zhbridge.corpus.build import PARALLEL, document_result
from zhbridge.corpus.manifest import DOC_ID_RE, LAYOUTS, ManifestRow, read_manifest, write_manifest
from zhbridge.corpus.readers import read_tmx
from zhbridge.io import InputError, atomic_write_bytes, locked, read_text


def add_document(
    corpus_dir: str | Path,
    source: str | Path,
    layout: str,
    *,
    en_source: str | Path | None = None,
    title: str = "",
    publisher: str = "",
    date: str = "",
    doc_id: str = "",
    url: str = "",
    licence: str = "",
) -> ManifestRow:
    """Copy a user's document into ``raw/`` under a new id and append it to the manifest.

    The file is read (and so validated: encoding, emptiness, size, XML safety) before
    anything is written, and the manifest is rewritten atomically.
    """
    corpus_dir, source = Path(corpus_dir), Path(source)
    if layout not in LAYOUTS:
        raise InputError(f"unknown layout {layout!r}; choose one of {', '.join(LAYOUTS)}")
    if (layout == "parallel-paired") != (en_source is not None):
        raise InputError("--en is required with layout parallel-paired and only with it")
    manifest_path = corpus_dir / "manifest.tsv"
    with locked(manifest_path):
        rows = read_manifest(manifest_path) if manifest_path.exists() else []
        if doc_id:
            if not DOC_ID_RE.match(doc_id):
                raise InputError(f"--id {doc_id!r}: an id is letters/digits, a hyphen and 2-4 digits, e.g. N1-07")
            if any(r.id == doc_id for r in rows):
                raise InputError(f"{manifest_path}: id {doc_id!r} is already in the manifest")
        else:
            number = 1 + max((int(r.id.split("-")[0]) for r in rows if r.id.split("-")[0].isdigit()), default=-1)
            doc_id = f"{number:03d}-01"
        if layout == "parallel-tmx":
            read_tmx(source)  # validates before copying
            files = {f"raw/{doc_id}.tmx": source.read_bytes()}
        elif layout == "parallel-paired":
            assert en_source is not None  # checked above
            files = {
                f"raw/{doc_id}.zh": read_text(source).encode("utf-8"),
                f"raw/{doc_id}.en": read_text(en_source).encode("utf-8"),
            }
        else:
            files = {f"raw/{doc_id}.txt": read_text(source).encode("utf-8")}
        row = ManifestRow(
            id=doc_id,
            title=title or source.stem,
            publisher=publisher,
            date=date,
            layout=layout,
            origin=source.name + (f" + {Path(en_source).name}" if en_source else ""),
            file=next(iter(files)),
            url=url,
            licence=licence,
        )
        _check_builds(row, files, source)
        for name, data in files.items():
            atomic_write_bytes(corpus_dir / name, data, overwrite=False)
        write_manifest(manifest_path, rows + [row])
    return row


def _check_builds(row: ManifestRow, files: dict[str, bytes], source: Path) -> None:
    """Run the document through what ``corpus build`` will do, in a scratch folder, before adding it."""
    with tempfile.TemporaryDirectory() as scratch:
        for name, data in files.items():
            (Path(scratch) / name).parent.mkdir(parents=True, exist_ok=True)
            (Path(scratch) / name).write_bytes(data)
        try:
            result = document_result(row, Path(scratch))
        except InputError as exc:
            detail = str(exc).split(": ", 1)[-1] if str(exc).startswith(scratch) else str(exc)
            raise InputError(f"{source} (would be manifest id {row.id}): not added, corpus build would fail: {detail}") from None
    if row.layout.startswith("parallel") and not result.splits[PARALLEL]:
        raise InputError(
            f"{source} (would be manifest id {row.id}): not added, no Chinese–English sentence pairs found for layout {row.layout}"
        )
    if not row.layout.startswith("parallel") and not result.splits["monolingual"]:
        raise InputError(f"{source} (would be manifest id {row.id}): not added, no Chinese paragraph found")
