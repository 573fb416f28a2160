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
from typing import Any

from zhbridge.io import InputError
from zhbridge.journal import JOURNAL_NAME, Journal
from zhbridge.mt.articles import Article, as_article
from zhbridge.mt.translate import (
    Engine,
    FileResult,
    checked_outputs,
    claim_name,
    document_key,
    document_segments,
    failure,
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
    """Pass 2: one Engine per actor, built like the driver's; TM → terms → MT → enforcement per document."""

    def __init__(self, spec: dict, glossary, memory, expected_settings: str):
        import ray

        from zhbridge.mt.models import load_translator

        glossary, memory = (ray.get(x) if isinstance(x, ray.ObjectRef) else x for x in (glossary, memory))
        translator = load_translator(
            spec["model"],
            backend=spec["backend"],
            beams=spec["beams"],
            device=spec["device"],
            threads=spec["threads"],
            source_prefix=spec["source_prefix"],
        )
        self.engine = Engine(
            translator,
            glossary,
            memory,
            enforce=spec["enforce"],
            batch_tokens=spec["batch_tokens"],
            glossary_name=spec["glossary_name"],
        )
        # a node whose model copy differs (other files, other mtime) would journal under the wrong key
        if self.engine.settings_hash(spec["lines"]) != expected_settings:
            raise RuntimeError(
                f"worker settings {self.engine.settings(spec['lines'])} differ from the driver's; "
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


def _actor_spec(engine: Engine, lines: bool, device: str | None, threads: int | None, cpus: float) -> dict:
    t: Any = engine.translator  # zhbridge.mt.models.Translator
    return {
        "model": t.model_dir,
        "backend": t.backend,
        "beams": t.options.beams,
        "device": device,
        "threads": threads or max(1, int(cpus)),
        "source_prefix": t.source_prefix,
        "enforce": engine.enforce,
        "batch_tokens": engine.batch_tokens,
        "glossary_name": engine.glossary_name,
        "lines": lines,
    }


def translate_files_ray(
    inputs: Sequence[str | os.PathLike | Article],
    out_dir: str | os.PathLike,
    engine: Engine,
    *,
    options: RayOptions | None = None,
    lines: bool = False,
    overwrite: bool = False,
    xliff_target: str = "source",
    device: str | None = None,
    threads: int | None = None,
) -> list[FileResult]:
    """Same contract and outputs as :func:`zhbridge.mt.translate.translate_files`, run on Ray.

    ``engine`` is the driver's: it gives the settings (journal keys, QA reports), the glossary
    and the TM that the actors receive; its model is not used to translate.
    """
    options = options or RayOptions()
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: --out must be a folder")
    out.mkdir(parents=True, exist_ok=True)
    ray = import_ray()
    settings = engine.settings_hash(lines)
    articles = [as_article(raw) for raw in inputs]
    results: list[FileResult | None] = [None] * len(articles)
    with Journal(out / JOURNAL_NAME) as journal:
        started = start_ray(options)
        try:
            seen: dict[str, Article] = {}
            outputs: dict[int, dict[str, Path]] = {}
            for idx, article in enumerate(articles):
                try:
                    claim_name(seen, article)
                    outputs[idx] = checked_outputs(article, out)
                except Exception as exc:
                    results[idx] = failure(article.path, exc)
            items = [_row(idx, articles[idx], lines, settings) for idx in outputs]
            read = (
                ray.data.from_items(items, override_num_blocks=max(1, len(items))).map(_read_and_segment).take_all()
                if items
                else []
            )
            work, segments_of, done_of = [], {}, {}
            for row in sorted(read, key=lambda r: r["idx"]):
                idx, path = row["idx"], articles[row["idx"]].path
                try:
                    if row["failed"]:
                        raise InputError(row["failed"])
                    skipped = skip_or_refuse(path, outputs[idx], row["key"], journal, overwrite=overwrite)
                    if skipped is not None:
                        results[idx] = skipped
                        continue
                    segments_of[idx], done_of[idx] = json.loads(row["segments"]), journal.segments(row["key"])
                    pending = [s for s in segments_of[idx] if s["i"] not in done_of[idx]]
                    if pending:
                        work.append(
                            {"idx": idx, "path": str(path), "key": row["key"], "pending": json.dumps(pending, ensure_ascii=False)}
                        )
                    else:
                        results[idx] = _finish(
                            articles[idx],
                            lines,
                            segments_of[idx],
                            done_of[idx],
                            [],
                            outputs[idx],
                            engine,
                            journal,
                            row["key"],
                            xliff_target,
                        )
                except Exception as exc:
                    results[idx] = failure(path, exc)
            if work:
                keys = {w["idx"]: w["key"] for w in work}
                spec = _actor_spec(engine, lines, device, threads, options.cpus_per_worker)
                translated = ray.data.from_items(work, override_num_blocks=len(work)).map_batches(
                    TranslateActor,
                    fn_constructor_kwargs={
                        "spec": spec,
                        "glossary": ray.put(engine.glossary),
                        "memory": ray.put(engine.memory),
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
                            articles[idx],
                            lines,
                            segments_of[idx],
                            done_of[idx],
                            new,
                            outputs[idx],
                            engine,
                            journal,
                            keys[idx],
                            xliff_target,
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
    lines: bool,
    segments: list[dict],
    done: dict[int, dict],
    new: list[dict],
    outputs: dict[str, Path],
    engine: Engine,
    journal: Journal,
    key: str,
    xliff_target: str,
) -> FileResult:
    merged = {**done, **{r["i"]: r for r in new}}
    records = [merged[s["i"]] for s in segments]
    # the driver parses the input again to render it: a parsed .docx does not travel between processes
    doc = article.document(lines)
    return write_outputs(
        article.path, doc, records, outputs, engine, journal, key, lines=lines, resumed=bool(done), xliff_target=xliff_target
    )
