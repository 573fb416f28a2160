"""Aligning one document pair, and many pairs from a manifest into one folder (`zhbridge align --manifest`).

The pairs manifest is a TSV with the header ``id<TAB>zh<TAB>en`` (more columns are ignored); paths are
relative to the manifest's folder. For each pair, ``OUT/<id>.align`` (the beads, exactly what
``zhbridge align --out`` writes) and ``OUT/<id>.tsv`` (what ``--tsv`` writes); for the run,
``OUT/SIGNATURE`` (read by ``zhbridge align-eval``) and ``OUT/report.json``.

Pairs run in this process or as Ray tasks (:func:`zhbridge.ray_cluster.ordered_tasks`); either way
:func:`pair_result` does the work and only the driver writes, in manifest order, so the two engines
write the same bytes. A pair whose input is broken is reported as failed and the batch goes on.
The journal of :mod:`zhbridge.journal` frames each pair's writes, so a re-run skips the pairs
this job finished, redoes the rest, and still refuses to replace files it did not write.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from zhbridge.align.beads import Bead, beads_to_text, beads_to_tsv
from zhbridge.io import SAFE_ID, SAFE_ID_RULE, InputError, atomic_write_text, check_inside, read_lines, read_text

if TYPE_CHECKING:
    from zhbridge.journal import Journal
    from zhbridge.ray_cluster import RayOptions

FEATURES = ("full", "lexical", "length")  # lexical: full without the sentence encoder (--no-embed)
ENGINES = ("local", "ray")
LOW_CONFIDENCE = 0.5  # beads below this are counted in the report, for a reviewer to look at first
SIGNATURE_NAME = "SIGNATURE"
REPORT_NAME = "report.json"
MANIFEST_COLUMNS = ("id", "zh", "en")


def check_features(features: str) -> None:
    if features not in FEATURES:
        raise InputError(f"--features {features!r}: choose full, lexical or length")


def document_sentences(path: str | Path, lang: str, presplit: bool) -> list[str]:
    """The sentences of one side of a pair: its lines with ``presplit``, else each paragraph split into sentences."""
    if presplit:
        return read_lines(path)
    from zhbridge.text.segment import split_sentences

    sentences = []
    for paragraph in read_text(path).splitlines():
        if paragraph.strip():
            sentences.extend(split_sentences(paragraph, lang))
    return sentences


@dataclass
class PairAlignment:
    zh: list[str]
    en: list[str]
    beads: list[Bead]

    @property
    def low_confidence(self) -> int:
        return sum(1 for b in self.beads if b.score < LOW_CONFIDENCE)

    def align_text(self) -> str:
        return beads_to_text(self.beads)

    def tsv_text(self) -> str:
        return beads_to_tsv(self.beads, self.zh, self.en)


def align_pair(zh: str | Path, en: str | Path, *, presplit: bool = False, features: str = "full") -> PairAlignment:
    """Read, split and align one document pair (``zhbridge align ZH EN``)."""
    from zhbridge.align.aligner import align_sentences

    check_features(features)
    zh_sents, en_sents = document_sentences(zh, "zh", presplit), document_sentences(en, "en", presplit)
    return PairAlignment(zh_sents, en_sents, align_sentences(zh_sents, en_sents, features=features))


@dataclass(frozen=True)
class Pair:
    id: str
    zh: Path
    en: Path
    line: int  # in the manifest, for messages


@dataclass
class PairResult:
    """One pair's outcome; ``status`` is aligned, skipped (finished by an earlier run of this job) or failed."""

    id: str
    status: str
    zh_sentences: int = 0
    en_sentences: int = 0
    beads: int = 0
    low_confidence: int = 0
    error: str = ""
    # the outputs, carried from the task to the driver (which alone writes them); not part of the report
    align_text: str = field(default="", repr=False)
    tsv_text: str = field(default="", repr=False)

    def counts(self) -> dict:
        return {k: getattr(self, k) for k in ("zh_sentences", "en_sentences", "beads", "low_confidence")}

    def report(self) -> dict:
        row = asdict(self)
        del row["align_text"], row["tsv_text"]
        return row


def read_pairs(manifest: str | Path) -> list[Pair]:
    """The pairs of a manifest; every problem is one line naming the manifest and its line."""
    path = Path(manifest)
    # absolute, so Ray tasks on any node (with their own working folder) read the same files
    base = path.absolute().parent
    lines = read_text(path, allow_empty=True).split("\n")
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]
    if not numbered:
        raise InputError(f"{path}: empty manifest; expected a header line id<TAB>zh<TAB>en and one line per pair")
    header_line, header = numbered[0]
    columns = [c.strip() for c in header.split("\t")]
    missing = [c for c in MANIFEST_COLUMNS if c not in columns]
    if missing:
        raise InputError(f"{path}:{header_line}: header has no {' or '.join(missing)} column; expected id<TAB>zh<TAB>en")
    where = {c: columns.index(c) for c in MANIFEST_COLUMNS}
    pairs: list[Pair] = []
    seen: dict[str, int] = {}
    for n, line in numbered[1:]:
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) != len(columns):
            raise InputError(f"{path}:{n}: {len(fields)} columns, the header has {len(columns)} ({' '.join(columns)})")
        ident, zh, en = (fields[where[c]] for c in MANIFEST_COLUMNS)
        if not SAFE_ID.fullmatch(ident):
            raise InputError(f"{path}:{n}: id {ident!r} is not safe as a file name ({SAFE_ID_RULE})")
        # case-insensitive, because a.align and A.align are one file on macOS and Windows
        if ident.casefold() in seen:
            raise InputError(f"{path}:{n}: duplicate id {ident!r} (first on line {seen[ident.casefold()]})")
        seen[ident.casefold()] = n
        files = []
        for lang, value in (("zh", zh), ("en", en)):
            if value:  # only files under the manifest's folder: no absolute path, no .., no symlink out
                check_inside(base, value, f"{path}:{n}: {lang}")
            file = base / value
            if not value or not file.exists():
                raise InputError(f"{path}:{n}: {lang} file {value!r} not found (looked for {file})")
            files.append(file)
        pairs.append(Pair(ident, files[0], files[1], n))
    if not pairs:
        raise InputError(f"{path}: no pairs under the header line")
    return pairs


def pair_result(pair: Pair, presplit: bool, features: str) -> PairResult:
    """Align one manifest pair; a broken input is a failed result, not an exception (the batch goes on)."""
    try:
        aligned = align_pair(pair.zh, pair.en, presplit=presplit, features=features)
    except InputError as exc:
        return PairResult(pair.id, "failed", error=str(exc))
    except OSError as exc:  # unreadable (permissions, I/O error): zhbridge.io reports only what it could read
        return PairResult(pair.id, "failed", error=f"{exc.filename or pair.zh}: cannot read ({exc.strerror or exc})")
    if not aligned.zh or not aligned.en:
        side = "zh" if not aligned.zh else "en"
        return PairResult(pair.id, "failed", error=f"{getattr(pair, side)}: no sentences")
    return PairResult(
        pair.id,
        "aligned",
        zh_sentences=len(aligned.zh),
        en_sentences=len(aligned.en),
        beads=len(aligned.beads),
        low_confidence=aligned.low_confidence,
        align_text=aligned.align_text(),
        tsv_text=aligned.tsv_text(),
    )


def local_pairs(pairs: list[Pair], presplit: bool, features: str) -> Iterator[PairResult]:
    for pair in pairs:
        yield pair_result(pair, presplit, features)


def _outputs(out: Path, pair_id: str) -> tuple[Path, Path]:
    return out / f"{pair_id}.align", out / f"{pair_id}.tsv"


def _pair_key(pair: Pair, settings: str) -> str:
    """Journal key: the id, both inputs' bytes and the settings, so outputs of other inputs or options never count as done."""
    digest = hashlib.sha256()
    for file in (pair.zh, pair.en):
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return f"{pair.id}:{digest.hexdigest()[:32]}:{settings}"


def align_manifest(
    manifest: str | Path,
    out_dir: str | Path,
    *,
    presplit: bool = False,
    features: str = "full",
    engine: str = "local",
    ray_options: RayOptions | None = None,
    overwrite: bool = False,
    on_result: Callable[[PairResult], None] | None = None,
) -> list[PairResult]:
    """Align every pair of ``manifest`` into ``out_dir``; results in manifest order (``on_result`` sees each as it comes).

    Raises InputError, before anything is written, for a bad manifest or a file in ``out_dir``
    that this job did not write (unless ``overwrite``); a broken pair is a failed result instead.
    """
    from zhbridge.align.evaluate import signature
    from zhbridge.journal import JOURNAL_NAME, Journal

    check_features(features)
    if engine not in ENGINES:
        raise InputError(f"--engine {engine}: choose local or ray")
    pairs = read_pairs(manifest)
    out = Path(out_dir)
    if str(out) == "-" or (out.exists() and not out.is_dir()):
        raise InputError(f"{out}: --out must be a folder with --manifest")
    inputs = {p.resolve() for pair in pairs for p in (pair.zh, pair.en)}
    for pair in pairs:
        for target in _outputs(out, pair.id):
            if target.resolve() in inputs:
                raise InputError(f"{target}: is an input of the manifest; choose another --out so the input is kept")
    sig = signature(features)
    settings = hashlib.sha256(f"{sig}|presplit={presplit}".encode()).hexdigest()[:16]
    journal_path = out / JOURNAL_NAME
    ours = journal_path.exists()  # SIGNATURE and report.json of an earlier batch here are ours to replace
    for name in (SIGNATURE_NAME, REPORT_NAME):
        if (out / name).exists() and not (overwrite or ours):
            raise InputError(f"{out / name}: already exists and is not from a zhbridge batch; pass --overwrite to replace it")
    out.mkdir(parents=True, exist_ok=True)
    results: dict[str, PairResult] = {}
    with Journal(journal_path) as journal:
        try:
            keys, todo = _plan(pairs, out, journal, settings, overwrite=overwrite, results=results)
        except InputError:
            if not ours:  # refused before writing anything: leave no empty journal behind either
                journal_path.unlink()
            raise
        atomic_write_text(out / SIGNATURE_NAME, sig + "\n", overwrite=True)
        for result in results.values():  # skipped, or failed before aligning
            if on_result is not None:
                on_result(result)
        for result in _run(todo, presplit, features, engine, ray_options):
            if result.status == "aligned":
                _write_pair(out, result, keys[result.id], journal)
            results[result.id] = result
            if on_result is not None:
                on_result(result)
        ordered = [results[pair.id] for pair in pairs]
        report = {"signature": sig, "presplit": presplit, "pairs": [r.report() for r in ordered]}
        atomic_write_text(out / REPORT_NAME, json.dumps(report, ensure_ascii=False, indent=2) + "\n", overwrite=True)
    return ordered


def _plan(
    pairs: list[Pair], out: Path, journal: Journal, settings: str, *, overwrite: bool, results: dict[str, PairResult]
) -> tuple[dict[str, str], list[Pair]]:
    """Journal keys, and the pairs to align: not those finished by this job; refuse someone else's files."""
    keys: dict[str, str] = {}
    todo: list[Pair] = []
    foreign: list[Path] = []
    for pair in pairs:
        try:
            keys[pair.id] = key = _pair_key(pair, settings)
        except OSError as exc:
            results[pair.id] = PairResult(pair.id, "failed", error=f"{exc.filename}: cannot read ({exc.strerror or exc})")
            continue
        state, existing = journal.state(key), [p for p in _outputs(out, pair.id) if p.exists()]
        if state == "done" and len(existing) == 2:
            results[pair.id] = PairResult(pair.id, "skipped", **journal.details(key).get("counts", {}))
            continue
        # "writing": this job was killed while writing the pair, so the files there are its own
        if existing and state not in ("writing", "done") and not overwrite:
            foreign.extend(existing)
        todo.append(pair)
    if foreign:
        more = f" (and {len(foreign) - 1} more)" if len(foreign) > 1 else ""
        raise InputError(f"{foreign[0]}: already exists and is not from this batch; pass --overwrite to replace it{more}")
    return keys, todo


def _run(pairs: list[Pair], presplit: bool, features: str, engine: str, ray_options: RayOptions | None) -> Iterable[PairResult]:
    if engine == "ray" and pairs:  # a re-run with every pair done need not start or join a cluster
        from zhbridge.ray_cluster import ordered_tasks

        return ordered_tasks(pair_result, [(pair, presplit, features) for pair in pairs], ray_options)
    return local_pairs(pairs, presplit, features)


def _write_pair(out: Path, result: PairResult, key: str, journal: Journal) -> None:
    """Both files of a pair, atomically each, between the journal's writing and done marks."""
    journal.mark(key, "writing", id=result.id)
    align_path, tsv_path = _outputs(out, result.id)
    atomic_write_text(align_path, result.align_text, overwrite=True)
    atomic_write_text(tsv_path, result.tsv_text, overwrite=True)
    journal.mark(key, "done", id=result.id, counts=result.counts())
