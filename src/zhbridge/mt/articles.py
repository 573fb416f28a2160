"""What `zhbridge translate` reads: article files, or the rows of an articles dataset.

A batch too large for a folder of files comes as a JSONL file or Parquet (a file or a
folder of shards) with one article per row: ``id`` (names the outputs), ``text`` (the
Chinese article) and optionally ``format`` (``txt`` or ``md``). Each row then behaves
exactly like a file named ``<id>.<format>``: same segmentation, journal, outputs and
errors, in the local and the Ray engine alike. After the run the English articles are
also gathered into one dataset of the input's format (:func:`write_translations`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from zhbridge.io import MAX_INPUT_BYTES, SAFE_ID, SAFE_ID_RULE, InputError, atomic_writer, check_xml_chars, read_bytes
from zhbridge.mt.documents import Document, kind_of, parse_text, read_document

INPUT_FORMATS = ("auto", "files", "jsonl", "parquet")
ROW_FORMATS = ("txt", "md")


@dataclass(frozen=True)
class Article:
    """One input document: a file (``text`` is None) or a dataset row named like the file it stands for."""

    path: Path  # the file, or ``<id>.<format>`` for a row: outputs are named after ``path.name``
    text: str | None = None
    origin: str = ""  # ``<dataset>:<row>`` of a row, for messages
    id: str = ""
    error: str = ""  # a row that cannot be translated fails alone, like a broken file

    @property
    def is_row(self) -> bool:
        return self.text is not None

    def kind(self, lines: bool) -> str:
        return kind_of(self.path, lines)

    def content(self) -> bytes:
        """The bytes the journal key is made of."""
        if self.error:
            raise InputError(self.error)
        return read_bytes(self.path) if self.text is None else self.text.encode("utf-8")

    def document(self, lines: bool) -> Document:
        if self.error:
            raise InputError(self.error)
        if self.text is None:
            return read_document(self.path, lines=lines)
        return parse_text(self.text, self.kind(lines), str(self.path))


def as_article(item: str | os.PathLike | Article) -> Article:
    return item if isinstance(item, Article) else Article(Path(item))


def input_format(path: Path, requested: str) -> str:
    """``files``, ``jsonl`` or ``parquet`` for one input; ``auto`` goes by the suffix (a folder of .parquet shards is Parquet)."""
    if requested not in INPUT_FORMATS:
        raise InputError(f"--input-format {requested}: choose one of {', '.join(INPUT_FORMATS)}")
    if requested != "auto":
        return requested
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".parquet" or (path.is_dir() and any(path.glob("*.parquet"))):
        return "parquet"
    return "files"


def expand_inputs(inputs: Sequence[str | os.PathLike], requested: str = "auto") -> list[tuple[Path, str, list[Article]]]:
    """Each input with its format and its articles, in order: a file is one article, a dataset one per row."""
    groups = []
    for raw in inputs:
        path = Path(raw)
        fmt = input_format(path, requested)
        if fmt == "files" and path.is_dir():
            groups += [(file, fmt, [Article(file)]) for file in folder_articles(path)]
            continue
        groups.append((path, fmt, [Article(path)] if fmt == "files" else list(read_articles(path, fmt))))
    return groups


ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".docx")


def folder_articles(folder: Path) -> list[Path]:
    """The article files directly in ``folder`` (.txt, .md, .docx), in name order; hidden files are left out."""
    files = sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and not p.name.startswith(".")
    )
    if not files:
        raise InputError(f"{folder}: a folder with no .txt, .md or .docx articles in it")
    return files


def read_articles(path: Path, fmt: str) -> Iterator[Article]:
    """The rows of a JSONL or Parquet articles dataset as articles.

    A file that is not such a dataset stops the run with its place named; a row with a bad
    id or text becomes an article that fails alone, as a broken file does.
    """
    rows = _jsonl_rows(path) if fmt == "jsonl" else _parquet_rows(path)
    found = False
    for origin, row in rows:
        found = True
        yield _article(row, origin)
    if not found:
        raise InputError(f"{path}: no articles in this {fmt} dataset")


def _jsonl_rows(path: Path) -> Iterator[tuple[str, dict]]:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    # line by line, so a large file is never held whole; JSON Lines is UTF-8 by definition
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            try:
                row = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                raise InputError(f"{path}:{number}: not UTF-8 text; JSON Lines must be UTF-8") from None
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: not a JSON object ({exc.msg})") from None
            except RecursionError:
                raise InputError(f"{path}:{number}: not an article row (JSON nested too deeply)") from None
            if not isinstance(row, dict):
                raise InputError(f"{path}:{number}: not a JSON object")
            yield f"{path}:{number}", row


def _parquet_rows(path: Path) -> Iterator[tuple[str, dict]]:
    import pyarrow.parquet as pq

    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    for file in files:
        try:
            parquet = pq.ParquetFile(file)
        except Exception as exc:  # pyarrow's errors name no file
            raise InputError(f"{file}: not a readable Parquet file ({exc})") from None
        missing = {"id", "text"} - set(parquet.schema_arrow.names)
        if missing:
            raise InputError(f"{file}: no {' or '.join(sorted(missing))} column; an articles dataset has id and text")
        columns = [c for c in ("id", "text", "format") if c in parquet.schema_arrow.names]
        number = 0
        # batch by batch, so a large file is never held whole
        for batch in parquet.iter_batches(batch_size=1024, columns=columns):
            for row in batch.to_pylist():
                number += 1
                yield f"{file}:row {number}", row


def _article(row: dict, origin: str) -> Article:
    if "id" not in row:
        return _failed(origin, "an article row needs id and text; this one has no id")
    if "text" not in row:  # one bad row fails alone, like a broken file; the rest of the dataset goes on
        return _failed(origin, "an article row needs id and text; this one has no text")
    ident, text, fmt = row["id"], row["text"], row.get("format") or "txt"
    if isinstance(ident, int) and not isinstance(ident, bool):
        ident = str(ident)
    if not isinstance(ident, str) or not SAFE_ID.fullmatch(ident):
        return _failed(origin, f"id {ident!r} cannot name an output file ({SAFE_ID_RULE})")
    if fmt not in ROW_FORMATS:
        return _failed(origin, f"format {fmt!r}; choose txt or md")
    if not isinstance(text, str) or not text.strip():
        return _failed(origin, "text is empty or not a string", ident)
    try:
        check_xml_chars(text, origin)
    except InputError as exc:  # lone surrogates from JSON escapes, ESC, BEL, NUL, U+FFFE …
        return _failed(origin, str(exc).removeprefix(f"{origin}: "), ident)
    if len(text.encode("utf-8")) > MAX_INPUT_BYTES:
        return _failed(origin, f"larger than the {MAX_INPUT_BYTES / 2**20:.0f} MiB limit for one document; split it", ident)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Article(Path(f"{ident}.{fmt}"), text, origin, ident)


def _failed(origin: str, why: str, ident: str = "") -> Article:
    # named after its place, which no other article shares, so it never claims a real id's outputs
    return Article(Path(origin.replace("/", "_")), "", origin, ident, error=f"{origin}: {why}")


def translations_path(dataset: Path, fmt: str, out_dir: Path) -> Path:
    stem = dataset.name if dataset.is_dir() else dataset.name.rsplit(".", 1)[0]
    return out_dir / f"{stem}.en.{fmt}"


def write_translations(
    dataset: Path, fmt: str, articles: Sequence[Article], results: Sequence, out_dir: Path, *, overwrite: bool = True
) -> Path:
    """One row per article of ``dataset``: id, the English text (from its written document), status and error.

    ``results`` are the engine's, one per article in the same order.
    """
    if len(results) != len(articles):
        raise ValueError(f"{dataset}: {len(results)} results for {len(articles)} articles")
    rows = []
    for article, result in zip(articles, results):
        ok = result.status in ("translated", "resumed", "skipped")
        english = (out_dir / article.path.name).read_text(encoding="utf-8") if ok else ""
        rows.append({"id": article.id, "text": english, "status": result.status, "error": "" if ok else result.message})
    target = translations_path(dataset, fmt, out_dir)
    if fmt == "jsonl":
        with atomic_writer(target, "w", overwrite=overwrite) as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([(name, pa.string()) for name in ("id", "text", "status", "error")])
        with atomic_writer(target, "wb", overwrite=overwrite) as fh:
            pq.write_table(pa.Table.from_pylist(rows, schema=schema), fh)
    return target


def _gathered_key(target: Path) -> str:
    return f"gathered:{target.name}"


def check_gathered(groups: Sequence[tuple[Path, str, list[Article]]], out_dir: Path, *, overwrite: bool) -> None:
    """Before a run: a file in the way of a gathered dataset must be this job's own (journaled) or --overwrite given."""
    from zhbridge.journal import JOURNAL_NAME, Journal

    targets = [translations_path(path, fmt, out_dir) for path, fmt, _ in groups if fmt != "files"]
    seen: dict[str, Path] = {}
    for (path, _fmt, _), target in zip([g for g in groups if g[1] != "files"], targets):
        first = seen.get(target.name.casefold())
        if first is not None:  # d1/arts.jsonl and d2/arts.jsonl would both gather into OUT/arts.en.jsonl
            raise InputError(f"{path}: its English would be gathered into {target}, as that of {first}; rename one input")
        seen[target.name.casefold()] = path
    if overwrite or not any(t.exists() for t in targets):
        return
    with Journal(out_dir / JOURNAL_NAME) as journal:
        for target in targets:
            if target.exists() and journal.state(_gathered_key(target)) is None:
                raise InputError(f"{target}: already exists; pass --overwrite to replace it")


def gather_translations(groups: Sequence[tuple[Path, str, list[Article]]], results: Sequence, out_dir: Path) -> list[Path]:
    """After a run: each dataset input's English articles as one dataset (results: one per article, in input order)."""
    from zhbridge.journal import JOURNAL_NAME, Journal

    written, start = [], 0
    with Journal(out_dir / JOURNAL_NAME) as journal:
        for path, fmt, articles in groups:
            if fmt != "files":
                key = _gathered_key(translations_path(path, fmt, out_dir))
                journal.mark(key, "writing")
                written.append(write_translations(path, fmt, articles, results[start : start + len(articles)], out_dir))
                journal.mark(key, "done")
            start += len(articles)
    return written
