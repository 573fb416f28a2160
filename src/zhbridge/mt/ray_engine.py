"""`zhbridge translate --engine ray`: the local engine's steps spread over a Ray cluster.

Two Ray Data passes, both calling the local engine's functions:

1. read and segment every input in parallel tasks (``Article.document``, ``document_segments``);
   this pass is collected because the driver must look each document up in the journal
   before it knows what is left to translate;
2. translate each document's pending segments in an actor pool (``map_batches`` with a
   callable class: one model load per actor, CUDA when Ray gave the actor a GPU). The actor
   runs :func:`zhbridge.mt.translate.translate_segments` unchanged: TM, glossary terms, MT
   batched by tokens, enforcement and number repair, the same batches as a local run.

The driver alone appends to the journal and writes the outputs (``write_outputs``), so the
outputs are byte-identical to a local run and resuming works as it does locally: segments an
earlier run (local or Ray) journaled are not sent again. Each document is one Ray block and
is journaled when it comes back, so a killed driver loses at most the documents in flight; a
killed actor is restarted by Ray Data and its document retried, and nothing of it was journaled.
Input files and the model must be readable at the same path on every node (a shared folder);
rows of an articles dataset travel as text. Only the driver writes into ``--out``. ``ray`` is
imported here only, and lazily.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from zhbridge.io import InputError
from zhbridge.journal import JOURNAL_NAME, Journal
from zhbridge.mt.articles import Article, as_article
from zhbridge.mt.engine import EngineConfig, Resources, RunOptions, load_engine
from zhbridge.mt.segments import Segment, SourceSegment, merge_done, reusable
from zhbridge.mt.translate import (
    Engine,
    FileResult,
    document_key,
    document_segments,
    failure,
    prepare_outputs,
    skip_or_refuse,
    translate_segments,
    write_outputs,
)
from zhbridge.ray_cluster import RayOptions, import_ray, start_ray


def _article(row: dict) -> Article:
    return Article(Path(row["path"]), row["text"], row["origin"], row["id"], row["error"])


def _row(idx: int, article: Article, lines: bool, settings: str) -> dict:
    # Ray Data rows hold plain values; a file's text is None (each task reads it), a dataset row's travels
    return {
        "idx": idx,
        "path": str(article.path),
        "text": article.text,
        "origin": article.origin,
        "id": article.id,
        "error": article.error,
        "lines": lines,
        "settings": settings,
    }


def _read_and_segment(row: dict) -> dict:
    """Pass 1, one input per call: the local engine's reading and segmentation; a broken input becomes an error row."""
    article = _article(row)
    try:
        doc = article.document(row["lines"])
        key = document_key(article.content(), row["settings"], doc.kind)
        segments = json.dumps(document_segments(doc), ensure_ascii=False)
        return {"idx": row["idx"], "key": key, "segments": segments, "failed": ""}
    except Exception as exc:  # reported per file, as the local engine does
        return {"idx": row["idx"], "key": "", "segments": "", "failed": failure(article.path, exc).message}


class TranslateActor:
    """Pass 2: one Engine per actor, loaded by :func:`zhbridge.mt.engine.load_engine` from the driver's
    config, with the driver's glossary and TM; TM → terms → MT → enforcement per document."""

    def __init__(self, config: EngineConfig, resources: Resources, lines: bool, expected_settings: str):
        import ray

        if isinstance(resources, ray.ObjectRef):
            resources = ray.get(resources)
        self.engine = load_engine(config, resources)
        # a node whose model copy differs (other files, other mtime) would journal under the wrong key
        if self.engine.settings_hash(lines) != expected_settings:
            raise RuntimeError(
                f"worker settings {self.engine.settings(lines)} differ from the driver's; "
                "is the model at the same path with the same files on every node?"
            )

    def __call__(self, batch: dict) -> dict:
        records, errors = [], []
        for path, pending in zip(batch["path"], batch["pending"]):
            try:
                records.append(json.dumps(translate_segments(json.loads(pending), self.engine), ensure_ascii=False))
                errors.append("")
            except Exception as exc:  # one broken document must not stop the batch
                records.append("")
                errors.append(failure(Path(str(path)), exc).message)
        return {"idx": batch["idx"], "records": records, "error": errors}


def actor_config(engine: Engine, device: str | None, threads: int | None, cpus: float) -> EngineConfig:
    """The driver's engine as the actors load it: the model it resolved, on the device asked for
    (the driver's own copy runs on the CPU), with as many threads as the actor has CPUs unless told."""
    return engine.config(device=device, threads=threads or max(1, int(cpus)))


def translate_files_ray(
    inputs: Sequence[str | os.PathLike | Article],
    out_dir: str | os.PathLike,
    engine: Engine,
    run_options: RunOptions | None = None,
    *,
    options: RayOptions | None = None,
    device: str | None = None,
    threads: int | None = None,
) -> list[FileResult]:
    """Same contract and outputs as :func:`zhbridge.mt.translate.translate_files`, run on Ray.

    ``engine`` is the driver's: it gives the settings (journal keys, QA reports), the glossary
    and the TM that the actors receive; its model is not used to translate. ``device`` and
    ``threads`` are the actors'.
    """
    run = run_options or RunOptions()
    options = options or RayOptions()
    articles = [as_article(raw) for raw in inputs]
    out, outputs, refused = prepare_outputs(articles, out_dir)
    ray = import_ray()
    settings = engine.settings_hash(run.lines)
    results: list[FileResult | None] = [refused.get(idx) for idx in range(len(articles))]
    with Journal(out / JOURNAL_NAME) as journal:
        started = start_ray(options)
        try:
            items = [_row(idx, articles[idx], run.lines, settings) for idx in outputs]
            read = (
                ray.data.from_items(items, override_num_blocks=max(1, len(items))).map(_read_and_segment).take_all()
                if items
                else []
            )
            work: list[dict] = []
            segments_of: dict[int, list[SourceSegment]] = {}
            done_of: dict[int, dict[int, Segment]] = {}
            for row in sorted(read, key=lambda r: r["idx"]):
                idx, path = row["idx"], articles[row["idx"]].path
                try:
                    if row["failed"]:
                        raise InputError(row["failed"])
                    skipped = skip_or_refuse(path, outputs[idx], row["key"], journal, overwrite=run.overwrite)
                    if skipped is not None:
                        results[idx] = skipped
                        continue
                    segments_of[idx] = json.loads(row["segments"])
                    # as locally: journaled records are reused only where the segment is still the same
                    done_of[idx] = reusable(segments_of[idx], journal.segments(row["key"]))
                    pending = [s for s in segments_of[idx] if s["i"] not in done_of[idx]]
                    if pending:
                        work.append(
                            {"idx": idx, "path": str(path), "key": row["key"], "pending": json.dumps(pending, ensure_ascii=False)}
                        )
                    else:
                        results[idx] = _finish(
                            articles[idx], segments_of[idx], done_of[idx], [], outputs[idx], engine, journal, row["key"], run
                        )
                except Exception as exc:
                    results[idx] = failure(path, exc)
            if work:
                keys = {w["idx"]: w["key"] for w in work}
                translated = ray.data.from_items(work, override_num_blocks=len(work)).map_batches(
                    TranslateActor,
                    fn_constructor_kwargs={
                        "config": actor_config(engine, device, threads, options.cpus_per_worker),
                        "resources": ray.put(engine.resources()),
                        "lines": run.lines,
                        "expected_settings": settings,
                    },
                    compute=ray.data.ActorPoolStrategy(size=options.workers),
                    batch_size=1,
                    num_cpus=options.cpus_per_worker,
                    num_gpus=options.gpus_per_worker or None,
                )
                # rows arrive as documents finish; each is journaled before its outputs are written
                for row in translated.iter_rows():
                    idx = int(row["idx"])
                    path = articles[idx].path
                    try:
                        if row["error"]:
                            raise InputError(str(row["error"]))
                        new = json.loads(row["records"])
                        journal.add_segments(keys[idx], new)
                        results[idx] = _finish(
                            articles[idx], segments_of[idx], done_of[idx], new, outputs[idx], engine, journal, keys[idx], run
                        )
                    except Exception as exc:
                        results[idx] = failure(path, exc)
        finally:
            if started:
                ray.shutdown()
    return [
        r if r is not None else FileResult(a.path, "failed", f"{a.path}: not translated (lost by Ray)")
        for r, a in zip(results, articles)
    ]


def _finish(
    article: Article,
    segments: list[SourceSegment],
    done: dict[int, Segment],
    new: list[Segment],
    outputs: dict[str, Path],
    engine: Engine,
    journal: Journal,
    key: str,
    run: RunOptions,
) -> FileResult:
    records = merge_done(segments, done, {r["i"]: r for r in new})
    # the driver parses the input again to render it: a parsed .docx does not travel between processes
    doc = article.document(run.lines)
    return write_outputs(article.path, doc, records, outputs, engine, journal, key, run, resumed=bool(done))
