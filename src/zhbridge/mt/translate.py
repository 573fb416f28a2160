"""The translation pipeline: normalize → segment → TM → glossary terms → MT → enforcement → reassembly.

:func:`translate_segments` works on plain segment dicts and is what the batch runner,
the stdin mode and the evaluation scripts share. :func:`translate_files` adds the batch
behaviour: per-file outputs, review files, QA, resumable journal and per-file failures.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from zhbridge.io import InputError
from zhbridge.mt.articles import Article, as_article
from zhbridge.mt.clauses import split_long
from zhbridge.mt.documents import Document, parse_text, render_text, write_document
from zhbridge.mt.enforce import enforce_terms
from zhbridge.mt.inline import has_markup, segment_entries
from zhbridge.mt.inline_map import translate_inline, unit_pieces
from zhbridge.mt.journal import JOURNAL_NAME, Journal
from zhbridge.mt.numbers import number_only, repair_numbers
from zhbridge.mt.qa import build_report, write_report
from zhbridge.mt.review import attach_confidence
from zhbridge.mt.termstyle import apply_term_style
from zhbridge.mt.xliff import write_tsv, write_xliff
from zhbridge.text.script import to_simplified

if TYPE_CHECKING:
    from zhbridge.mt.memory import TranslationMemory
    from zhbridge.mt.models import Translator
    from zhbridge.terms.glossary import Glossary

DEFAULT_BATCH_TOKENS = 4096


@dataclass
class Engine:
    """Everything shared by the documents of one run."""

    translator: Translator
    glossary: Glossary | None = None
    memory: TranslationMemory | None = None
    enforce: bool = True
    batch_tokens: int = DEFAULT_BATCH_TOKENS
    glossary_name: str = ""
    lexicon: object = None  # zhbridge.align.lexicon.Lexicon for placing inline tags; loaded when first needed
    # the glossary whose ⟨English⟩ hints a term-annotated model sees (the shipped one when no glossary is given)
    annotation_glossary: Glossary | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        from zhbridge.mt.models import trained_with_term_annotation

        if trained_with_term_annotation(self.translator.model_dir):
            from zhbridge.terms.glossary import load_glossary

            # the model learnt to copy ⟨English⟩ hints; without them it would see an input it never trained on
            self.annotation_glossary = self.glossary or load_glossary()
            self.translator.source_annotator = self.annotation_glossary.annotate

    def settings(self, lines: bool = False) -> dict:
        out = {
            "model": self.translator.model_dir,
            "backend": self.translator.backend,
            "translator": self.translator.fingerprint,
            "glossary": glossary_fingerprint(self.glossary, self.glossary_name) if self.glossary is not None else "",
            "tm": self.memory.fingerprint if self.memory is not None else "",
            "enforce": self.enforce,
            "lines": lines,
        }
        if self.annotation_glossary is not None:
            # the hints are part of the model's input: another glossary is another translation, even with
            # --glossary none (the shipped glossary annotates) or enforcement off
            name = self.glossary_name if self.glossary is not None else Path(self.annotation_glossary.path or "").name
            out["annotation"] = glossary_fingerprint(self.annotation_glossary, name)
        return out

    def settings_hash(self, lines: bool = False) -> str:
        return hashlib.sha256(json.dumps(self.settings(lines), sort_keys=True).encode()).hexdigest()[:16]


def glossary_fingerprint(glossary: Glossary, name: str = "") -> str:
    """Identity of a glossary for resume keys: name, size and a digest of every term and its renderings."""
    digest = hashlib.sha256()
    for e in glossary:
        digest.update(json.dumps([e.zh, *e.renderings], ensure_ascii=False).encode())
    return f"{name}:{len(glossary)}:{digest.hexdigest()[:16]}"


def document_segments(doc: Document) -> list[dict]:
    """One dict per sentence: id, unit index, sentence index, normalised Chinese source."""
    from zhbridge.text.normalize import normalize_paragraph
    from zhbridge.text.segment import split_zh

    segments: list[dict] = []
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
                segments[-1].update(inline=inline[s]["entries"], tags=inline[s]["roles"])
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


def token_batches(items: list[dict], lengths: list[int], budget: int) -> list[list[int]]:
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
    segments: list[dict],
    engine: Engine,
    *,
    done: dict[int, dict] | None = None,
    on_batch: Callable[[list[dict]], None] | None = None,
    advance: Callable[[int], None] | None = None,
) -> list[dict]:
    """Translate every segment not in ``done``; ``on_batch`` receives each batch's finished records."""
    done = dict(done or {})
    pending = [s for s in segments if s["i"] not in done]
    if advance and len(segments) > len(pending):
        advance(len(segments) - len(pending))

    def finish(records: list[dict]) -> None:
        for r in records:
            done[r["i"]] = r
        if on_batch:
            on_batch(records)
        if advance:
            advance(len(records))

    def terms_of(src: str):
        return engine.glossary.find(src) if engine.glossary is not None else []

    # the TM, the glossary and the model know Simplified Chinese: a Traditional segment is converted for
    # them (same length, so term offsets still point into the original), while the record keeps the user's text
    simplified = {s["i"]: to_simplified(s["src"]) for s in pending}

    tm_records, to_translate = [], []
    for seg in pending:
        src = simplified[seg["i"]]
        match = engine.memory.lookup(src) if engine.memory is not None else None
        if match is None:
            to_translate.append(seg)
            continue
        record = {**seg, "origin": "tm-exact" if match.exact else "tm-fuzzy", "score": match.score}
        verbatim = "TM exact match reused verbatim" if match.exact else ""
        tgt, checks = enforce_terms(
            src, match.target, terms_of(src), translator=None, enabled=engine.enforce, verbatim_reason=verbatim
        )
        record.update(tgt=tgt, terms=[c.to_dict() for c in checks])
        if not match.exact:
            record.update(tm_source=match.source, tm_target=match.target)
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
            records = []
            for seg, out in zip(segs, outputs):
                src = simplified[seg["i"]]
                tgt, checks = enforce_terms(src, out, terms_of(src), translator=engine.translator, enabled=engine.enforce)
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
            attach_confidence(records, engine.translator)
            finish(records)
    return [done[s["i"]] for s in segments]


def unit_translations(doc: Document, records: list[dict], glossary=None) -> list:
    """Each unit's English: a string, or one stretch per inline span (see :mod:`zhbridge.mt.inline`)."""
    parts: list[list[dict]] = [[] for _ in doc.units]
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


def write_outputs(
    path: Path,
    doc: Document,
    records: list[dict],
    outputs: dict[str, Path],
    engine: Engine,
    journal: Journal,
    doc_key: str,
    *,
    lines: bool,
    resumed: bool,
    xliff_target: str = "source",
) -> FileResult:
    """Document, XLIFF, TSV and QA report of one translated input, framed by the journal's writing/done events."""
    journal.mark(doc_key, "writing", file=str(path))
    # from here on the outputs belong to this job, so a resumed run may replace them
    written: list[Path] = []
    try:
        write_document(doc, unit_translations(doc, records, engine.glossary), outputs["document"], overwrite=True)
        written.append(outputs["document"])
        write_xliff(outputs["xliff"], path.name, records, overwrite=True, target_mode=xliff_target)
        written.append(outputs["xliff"])
        write_tsv(outputs["tsv"], records, overwrite=True)
        written.append(outputs["tsv"])
        report = build_report(path.name, records, engine.settings(lines))
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
    out_dir: Path,
    engine: Engine,
    journal: Journal,
    *,
    lines: bool,
    overwrite: bool,
    progress=None,
    segment_task=None,
    xliff_target: str = "source",
) -> FileResult:
    path = article.path
    outputs = checked_outputs(article, out_dir)
    doc = article.document(lines)
    doc_key = document_key(article.content(), engine.settings_hash(lines), doc.kind)
    skipped = skip_or_refuse(path, outputs, doc_key, journal, overwrite=overwrite)
    if skipped is not None:
        return skipped
    segments = document_segments(doc)
    # a journal from a release that segmented differently (long sentences are now clauses) is reused
    # only where the segment is the same
    done = {i: r for i, r in journal.segments(doc_key).items() if i < len(segments) and segments[i]["src"] == r.get("src")}
    if progress is not None:
        progress.reset(segment_task, total=len(segments), description=f"segments of {path.name}")
    records = translate_segments(
        segments,
        engine,
        done=done,
        on_batch=lambda recs: journal.add_segments(doc_key, recs),
        advance=(lambda n: progress.advance(segment_task, n)) if progress is not None else None,
    )
    return write_outputs(
        path, doc, records, outputs, engine, journal, doc_key, lines=lines, resumed=bool(done), xliff_target=xliff_target
    )


def translate_files(
    inputs: Sequence[str | os.PathLike | Article],
    out_dir: str | os.PathLike,
    engine: Engine,
    *,
    lines: bool = False,
    overwrite: bool = False,
    progress=None,
    xliff_target: str = "source",
) -> list[FileResult]:
    """Translate each input (a file, or an :class:`Article` row) into ``out_dir``; a failing one is reported and the batch goes on."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: --out must be a folder")
    out.mkdir(parents=True, exist_ok=True)
    results: list[FileResult] = []
    seen: dict[str, Article] = {}
    file_task = progress.add_task("files", total=len(inputs)) if progress is not None else None
    segment_task = progress.add_task("segments", total=None) if progress is not None else None
    with Journal(out / JOURNAL_NAME) as journal:
        for raw in inputs:
            article = as_article(raw)
            try:
                claim_name(seen, article)
                results.append(
                    _translate_one(
                        article,
                        out,
                        engine,
                        journal,
                        lines=lines,
                        overwrite=overwrite,
                        progress=progress,
                        segment_task=segment_task,
                        xliff_target=xliff_target,
                    )
                )
            except Exception as exc:  # one broken document must not stop the batch
                results.append(failure(article.path, exc))
            if progress is not None:
                progress.advance(file_task)
    return results
