"""The translation pipeline: normalize → segment → TM → glossary terms → MT → enforcement → reassembly.

:func:`translate_segments` works on segment records (:mod:`zhbridge.mt.segments`) and is what the batch runner,
the stdin mode and the evaluation scripts share. :func:`translate_files` adds the batch
behaviour: per-file outputs, review files, QA, resumable journal and per-file failures.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from zhbridge.io import InputError
from zhbridge.journal import JOURNAL_NAME, Journal
from zhbridge.mt.articles import Article, as_article
from zhbridge.mt.clauses import split_long
from zhbridge.mt.documents import Document, parse_text, render_text, write_document
from zhbridge.mt.enforce import enforce_terms

# Engine and DEFAULT_BATCH_TOKENS live in mt.engine; importing them from here keeps working
from zhbridge.mt.engine import DEFAULT_BATCH_TOKENS, Engine, RunOptions  # noqa: F401
from zhbridge.mt.inline import has_markup, segment_entries
from zhbridge.mt.inline_map import engine_lexicon, translate_inline, unit_pieces
from zhbridge.mt.numbers import number_only, repair_numbers
from zhbridge.mt.qa import build_report, segment_flags, write_report
from zhbridge.mt.review import attach_confidence
from zhbridge.mt.segments import Segment, SourceSegment, reusable
from zhbridge.mt.termstyle import apply_term_style
from zhbridge.mt.xliff import write_tsv, write_xliff
from zhbridge.text.script import to_simplified


def document_segments(doc: Document) -> list[SourceSegment]:
    """One record per sentence: id, unit index, sentence index, normalised Chinese source."""
    from zhbridge.text.normalize import normalize_paragraph
    from zhbridge.text.segment import split_zh

    segments: list[SourceSegment] = []
    for u, unit in enumerate(doc.units):
        text = normalize_paragraph(unit.text, "zh") if unit.text.strip() else ""
        # an over-long sentence becomes several segments (clauses), so the model's window never cuts it
        sentences = [p.strip() for s in split_zh(text) for p in split_long(s.strip()) if p.strip()] if text else []
        inline = (
            segment_entries(unit.spans, unit.tags, text, sentence_offsets(text, sentences))
            if sentences and has_markup(unit.spans)
            else None
        )
        for s, sentence in enumerate(sentences):
            segments.append({"i": len(segments), "id": f"u{u + 1}-s{s + 1}", "unit": u, "sent": s, "src": sentence})
            if inline is not None:
                segments[-1]["inline"] = inline[s]["entries"]
                segments[-1]["tags"] = inline[s]["roles"]
    return segments


def sentence_offsets(text: str, sentences: list[str]) -> list[tuple[int, int]]:
    """Where each sentence sits in its paragraph (the splitter returns strings, spaces aside)."""
    offsets, cursor = [], 0
    for sentence in sentences:
        start = text.find(sentence, cursor)
        start = cursor if start < 0 else start
        offsets.append((start, start + len(sentence)))
        cursor = start + len(sentence)
    return offsets


def token_batches(items: list[SourceSegment], lengths: list[int], budget: int) -> list[list[int]]:
    """Indices into ``items`` grouped so that padded tokens (longest × count) stay within ``budget``."""
    order = sorted(range(len(items)), key=lambda k: (lengths[k], items[k]["i"]))
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for k in order:
        new_longest = max(longest, lengths[k])
        if current and new_longest * (len(current) + 1) > budget:
            batches.append(current)
            current, new_longest = [], lengths[k]
        current.append(k)
        longest = new_longest
    if current:
        batches.append(current)
    return batches


def translate_segments(
    segments: list[SourceSegment],
    engine: Engine,
    *,
    done: dict[int, Segment] | None = None,
    on_batch: Callable[[list[Segment]], None] | None = None,
    advance: Callable[[int], None] | None = None,
) -> list[Segment]:
    """Translate every segment not in ``done``; ``on_batch`` receives each batch's finished records."""
    done = dict(done or {})
    pending = [s for s in segments if s["i"] not in done]
    if advance and len(segments) > len(pending):
        advance(len(segments) - len(pending))

    def finish(records: list[Segment]) -> None:
        for r in records:
            done[r["i"]] = r
        if on_batch:
            on_batch(records)
        if advance:
            advance(len(records))

    def terms_of(src: str):
        return engine.glossary.find(src) if engine.glossary is not None else []

    def lexicon():  # dictionary landmarks for placing an inserted term (mt.placement); loaded when first needed
        return engine_lexicon(engine)

    # the TM, the glossary and the model know Simplified Chinese: a Traditional segment is converted for
    # them (same length, so term offsets still point into the original), while the record keeps the user's text
    simplified = {s["i"]: to_simplified(s["src"]) for s in pending}

    tm_records: list[Segment] = []
    to_translate: list[SourceSegment] = []
    for seg in pending:
        src = simplified[seg["i"]]
        match = engine.memory.lookup(src) if engine.memory is not None else None
        if match is None:
            to_translate.append(seg)
            continue
        verbatim = "TM exact match reused verbatim" if match.exact else ""
        tgt, checks = enforce_terms(
            src, match.target, terms_of(src), translator=None, enabled=engine.enforce, verbatim_reason=verbatim, lexicon=lexicon
        )
        record: Segment = {
            **seg,
            "origin": "tm-exact" if match.exact else "tm-fuzzy",
            "score": match.score,
            "tgt": tgt,
            "terms": [c.to_dict() for c in checks],
        }
        if not match.exact:
            record["tm_source"], record["tm_target"] = match.source, match.target
        tm_records.append(translate_inline(record, engine, terms_of(src)))
    if tm_records:
        finish(tm_records)
    if to_translate:
        lengths = engine.translator.source_lengths([simplified[s["i"]] for s in to_translate])
        options = getattr(engine.translator, "options", None)
        window = getattr(options, "max_positions", None) or float("inf")
        for batch in token_batches(to_translate, lengths, engine.batch_tokens):
            segs = [to_translate[k] for k in batch]
            cut = {seg["i"] for seg, k in zip(segs, batch) if lengths[k] > window}
            outputs = engine.translator.translate([simplified[s["i"]] for s in segs])
            records: list[Segment] = []
            for seg, out in zip(segs, outputs):
                src = simplified[seg["i"]]
                tgt, checks = enforce_terms(
                    src, out, terms_of(src), translator=engine.translator, enabled=engine.enforce, lexicon=lexicon
                )
                tgt, number_repairs = repair_numbers(src, tgt)
                only = number_only(src)
                if only is not None and tgt != only:  # a bare number or date (a table cell) reads the same every time
                    number_repairs.append({"source": seg["src"], "was": tgt, "now": only})
                    tgt = only
                records.append({**seg, "origin": "mt", "score": None, "tgt": tgt, "terms": [c.to_dict() for c in checks]})
                if number_repairs:
                    records[-1]["numbers"] = number_repairs
                if seg["i"] in cut:  # past the model's window even after clause splitting: QA flags it
                    records[-1]["source_cut"] = True
                translate_inline(records[-1], engine, terms_of(seg["src"]))
            # the model's log-probability of the English as finally written, and its source cosine (mt.review)
            attach_confidence(records, engine.translator, flags_of=segment_flags)
            finish(records)
    return [done[s["i"]] for s in segments]


def unit_translations(doc: Document, records: list[Segment], glossary=None) -> list:
    """Each unit's English: a string, or one stretch per inline span (see :mod:`zhbridge.mt.inline`)."""
    parts: list[list[Segment]] = [[] for _ in doc.units]
    for r in sorted(records, key=lambda r: r["i"]):
        parts[r["unit"]].append(r)
    pieces = [unit_pieces(unit, recs) for unit, recs in zip(doc.units, parts)]
    if glossary is not None:
        # term style counts mentions across the whole document, markup or not
        flat = apply_term_style([p for ps in pieces for p in ps], glossary)
        it = iter(flat)
        pieces = [[next(it) for _ in ps] for ps in pieces]
    return [ps if len(unit.spans) > 1 or unit.tags else "".join(ps) for unit, ps in zip(doc.units, pieces)]


def translate_text(text: str, engine: Engine, *, kind: str = "txt") -> tuple[str, dict]:
    """Translate a whole text (stdin mode): the rendered English and its QA report."""
    doc = parse_text(text, kind)
    records = translate_segments(document_segments(doc), engine)
    return render_text(doc, unit_translations(doc, records, engine.glossary)), build_report(
        doc.name, records, engine.settings(kind == "lines")
    )


@dataclass
class FileResult:
    path: Path
    status: str  # translated | resumed | skipped | failed
    message: str = ""
    outputs: list[Path] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


def output_paths(path: Path, out_dir: Path) -> dict[str, Path]:
    name = path.name
    return {
        "document": out_dir / name,
        "xliff": out_dir / f"{name}.xlf",
        "tsv": out_dir / f"{name}.tsv",
        "qa_json": out_dir / f"{name}.qa.json",
        "qa_md": out_dir / f"{name}.qa.md",
    }


def document_key(content: bytes, settings_hash: str, kind: str) -> str:
    """Journal key of one input: its bytes, how they are segmented (txt, md, docx, lines) and every
    setting that changes the translation (Engine.settings_hash)."""
    return hashlib.sha256(kind.encode() + b"\0" + content).hexdigest()[:16] + ":" + settings_hash


def claim_name(seen: dict[str, Article], article: Article) -> None:
    """Claim every output file name of ``article`` (case-folded: a.txt and A.txt are one file on macOS/Windows).

    Two inputs with one name, or a row whose outputs are another's (id ``a.txt.qa``, format md, would
    write ``a.txt.qa.md``, the QA report of row ``a``), would overwrite each other: the later one fails
    before anything of it is written.
    """
    names = [p.name.casefold() for p in output_paths(article.path, Path()).values()]
    taken = next((seen[n] for n in names if n in seen), None)
    if taken is not None:
        if article.is_row and taken.is_row and taken.id == article.id:
            raise InputError(f"{article.origin}: id {article.id!r} already used by {taken.origin or taken.path}")
        if article.path.name.casefold() == taken.path.name.casefold():
            raise InputError(
                f"{article.origin or article.path}: same file name as {taken.origin or taken.path}; their outputs would collide"
            )
        raise InputError(
            f"{article.origin or article.path}: its outputs ({article.path.name}…) would overwrite those of {taken.origin or taken.path}"
        )
    for n in names:
        seen[n] = article


def checked_outputs(article: Article, out_dir: Path) -> dict[str, Path]:
    outputs = output_paths(article.path, out_dir)
    if not article.is_row and any(p.resolve() == article.path.resolve() for p in outputs.values()):
        raise InputError(f"{article.path}: output folder is the input's folder; choose another --out so the input is kept")
    return outputs


def skip_or_refuse(path: Path, outputs: dict[str, Path], doc_key: str, journal: Journal, *, overwrite: bool) -> FileResult | None:
    """A skipped result when this job already finished the file; an error when its outputs belong to someone else."""
    state = journal.state(doc_key)
    existing = [p for p in outputs.values() if p.exists()]
    if state == "done" and len(existing) == len(outputs) and not overwrite:
        return FileResult(path, "skipped", "already translated by this job", list(outputs.values()))
    if existing and not overwrite and state not in ("writing", "done"):
        raise InputError(f"{existing[0]}: already exists; pass --overwrite to replace it")
    return None


def prepare_outputs(
    articles: Sequence[Article], out_dir: str | os.PathLike
) -> tuple[Path, dict[int, dict[str, Path]], dict[int, FileResult]]:
    """The output folder (created), each input's output paths, and the inputs refused before any work
    (a name another input claimed, outputs over the input itself), by position; both engines start here."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: --out must be a folder")
    out.mkdir(parents=True, exist_ok=True)
    seen: dict[str, Article] = {}
    outputs: dict[int, dict[str, Path]] = {}
    refused: dict[int, FileResult] = {}
    for idx, article in enumerate(articles):
        try:
            claim_name(seen, article)
            outputs[idx] = checked_outputs(article, out)
        except Exception as exc:  # this input fails alone
            refused[idx] = failure(article.path, exc)
    return out, outputs, refused


def write_outputs(
    path: Path,
    doc: Document,
    records: list[Segment],
    outputs: dict[str, Path],
    engine: Engine,
    journal: Journal,
    doc_key: str,
    options: RunOptions,
    *,
    resumed: bool,
) -> FileResult:
    """Document, XLIFF, TSV and QA report of one translated input, framed by the journal's writing/done events."""
    journal.mark(doc_key, "writing", file=str(path))
    # from here on the outputs belong to this job, so a resumed run may replace them
    written: list[Path] = []
    try:
        write_document(doc, unit_translations(doc, records, engine.glossary), outputs["document"], overwrite=True)
        written.append(outputs["document"])
        write_xliff(outputs["xliff"], path.name, records, overwrite=True, target_mode=options.xliff_target)
        written.append(outputs["xliff"])
        write_tsv(outputs["tsv"], records, overwrite=True)
        written.append(outputs["tsv"])
        report = build_report(path.name, records, engine.settings(options.lines))
        write_report(report, outputs["qa_json"], outputs["qa_md"], overwrite=True)
    except BaseException:
        # an article completes or leaves nothing: a .txt without its .xlf/.tsv/.qa would pass for done
        for p in written:
            p.unlink(missing_ok=True)
        raise
    journal.mark(doc_key, "done", file=str(path))
    return FileResult(path, "resumed" if resumed else "translated", "", list(outputs.values()), report["summary"])


def failure(path: Path, exc: Exception) -> FileResult:
    """How one broken input is reported; the batch goes on."""
    if isinstance(exc, InputError):
        return FileResult(path, "failed", str(exc))
    return FileResult(path, "failed", f"{path}: {type(exc).__name__}: {exc}")


def _translate_one(
    article: Article,
    outputs: dict[str, Path],
    engine: Engine,
    journal: Journal,
    options: RunOptions,
    *,
    progress=None,
    segment_task=None,
) -> FileResult:
    path = article.path
    doc = article.document(options.lines)
    doc_key = document_key(article.content(), engine.settings_hash(options.lines), doc.kind)
    skipped = skip_or_refuse(path, outputs, doc_key, journal, overwrite=options.overwrite)
    if skipped is not None:
        return skipped
    segments = document_segments(doc)
    done = reusable(segments, journal.segments(doc_key))
    if progress is not None:
        progress.reset(segment_task, total=len(segments), description=f"segments of {path.name}")
    records = translate_segments(
        segments,
        engine,
        done=done,
        on_batch=lambda recs: journal.add_segments(doc_key, cast(list[dict], recs)),
        advance=(lambda n: progress.advance(segment_task, n)) if progress is not None else None,
    )
    return write_outputs(path, doc, records, outputs, engine, journal, doc_key, options, resumed=bool(done))


def translate_files(
    inputs: Sequence[str | os.PathLike | Article],
    out_dir: str | os.PathLike,
    engine: Engine,
    run_options: RunOptions | None = None,
    *,
    progress=None,
) -> list[FileResult]:
    """Translate each input (a file, or an :class:`Article` row) into ``out_dir``; a failing one is reported and the batch goes on."""
    options = run_options or RunOptions()
    articles = [as_article(raw) for raw in inputs]
    out, outputs, results = prepare_outputs(articles, out_dir)
    file_task = progress.add_task("files", total=len(inputs)) if progress is not None else None
    segment_task = progress.add_task("segments", total=None) if progress is not None else None
    with Journal(out / JOURNAL_NAME) as journal:
        for idx, article in enumerate(articles):
            if idx in outputs:
                try:
                    results[idx] = _translate_one(
                        article, outputs[idx], engine, journal, options, progress=progress, segment_task=segment_task
                    )
                except Exception as exc:  # one broken document must not stop the batch
                    results[idx] = failure(article.path, exc)
            if progress is not None:
                progress.advance(file_task)
    return [results[idx] for idx in range(len(articles))]
