"""One training run end to end: gather pairs, guard against leakage, (build,) train, score, card.

This is what ``zhbridge train`` calls; every choice it makes is recorded in ``run.json`` and in
the model card so that the run can be read back and repeated.
"""

from __future__ import annotations

import platform
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from zhbridge.io import InputError
from zhbridge.train import data
from zhbridge.train.config import TrainConfig
from zhbridge.train.distributed import barrier, dist_env, init_distributed
from zhbridge.train.finetune import train, write_json
from zhbridge.train.validation import translate_texts

Pair = tuple[str, str]


@dataclass
class TrainJob:
    base: str | None
    out_dir: Path
    data_dir: Path | None = None  # corpus dataset (train/validation/test); None = paths.DATASET_DIR
    from_scratch: bool = False
    size: str = "small"
    corpus_train: bool = True  # train on the dataset's train split
    corpus_upsample: int = 1  # repeat the in-domain pairs (they are few next to general data)
    general: bool = False  # add corpus/training (Tatoeba + WMT en-zh reversed)
    general_sample: int | None = None  # at most this many general pairs (replay during fine-tuning)
    general_mix: str = "news"  # "news": data.NEWS_WEIGHTS (news and long prose up, short sentences down); "flat"
    min_similarity: float | None = None  # drop general pairs whose sentence-encoder cosine is below (train.similarity)
    cedict: int = 0  # CC-CEDICT phrase pairs to add
    glossary_pairs: bool = False  # add glossary entries (zh term → preferred en) as phrase pairs
    extra_data: list[Path] = field(default_factory=list)
    postedits: list[Path] = field(default_factory=list)  # post-edit memories (TMX, `zhbridge tm import`)
    project_translations: Path | None = None  # folder of DOC.tsv project translations
    validation: str = "corpus"  # "corpus" (dataset validation split) or "general" (held-out general pairs)
    term_annotate: bool = False
    term_placeholders: bool = False  # glossary terms on both sides of a pair become <Tk> (mt.placeholders)
    resume: bool = False
    config: TrainConfig = field(default_factory=TrainConfig)
    test_beams: int = 4


# General validation comes from Chinese-original news, the nearest thing in the training data to the
# zh→en news test sets the model is judged on (which are never seen, not even as validation).
DEV_SOURCES = ("newstest2019_zhen", "newstest2020_zhen")
DEV_PAIRS = 400
# The general dev pairs are drawn with this seed, never the training seed: a run with another --seed must
# validate on the same held-out pairs, or its dev set is partly what earlier runs of the lineage trained on.
DEV_SEED = 0


def _held_out_general(sources: dict[str, list[Pair]], n: int, seed: int) -> tuple[dict[str, list[Pair]], list[Pair]]:
    """Take ``n`` dev pairs out of the news sources (or out of everything when those are absent)."""
    names = [s for s in DEV_SOURCES if sources.get(s)] or list(sources)
    pool = [(name, i) for name in names for i in range(len(sources[name]))]
    picked = set(random.Random(seed).sample(pool, min(n, len(pool))))
    dev = [sources[name][i] for name, i in sorted(picked)]
    dev_set = set(dev)
    # the same pair can sit in two sources (a second reference): keep it out of training everywhere
    return {name: [p for p in pairs if p not in dev_set] for name, pairs in sources.items()}, dev


def gather(job: TrainJob) -> tuple[dict[str, list[Pair]], list[Pair] | dict[str, list[Pair]], list[Pair], dict]:
    """Training sources (name → pairs, leakage-filtered), validation, in-domain test, and a data report."""
    splits = data.load_corpus_splits(job.data_dir)
    sources: dict[str, list[Pair]] = {}
    if job.corpus_train:
        sources["corpus-train"] = splits["train"] * max(1, job.corpus_upsample)
    valid: list[Pair] | dict[str, list[Pair]] = splits["validation"]
    if job.general:
        general = data.load_general_pairs(seed=job.config.seed)
        if job.validation in ("general", "both"):
            general, general_dev = _held_out_general(general, DEV_PAIRS, DEV_SEED)
            valid = general_dev if job.validation == "general" else {"in-domain": splits["validation"], "general": general_dev}
        if job.general_mix not in ("news", "flat"):
            raise InputError(f"general mix: expected news or flat, got {job.general_mix!r}")
        weights = data.NEWS_WEIGHTS if job.general_mix == "news" else None
        if job.min_similarity is not None:  # after the dev pairs are taken: validation is never filtered
            from zhbridge.train.similarity import filter_by_similarity

            general, similarity_dropped = filter_by_similarity(general, job.min_similarity)
        merged = data.weighted_merge(general, weights, job.config.seed)
        if job.general_sample and len(merged) > job.general_sample:
            merged = random.Random(job.config.seed).sample(merged, job.general_sample)
        sources["general"] = merged
    elif job.validation in ("general", "both"):
        raise InputError(f"--validation {job.validation} needs --general data")
    if job.cedict:
        sources["cc-cedict"] = data.cedict_pairs(job.cedict)
    if job.glossary_pairs:
        from zhbridge.terms.glossary import load_glossary

        sources["glossary"] = [(e.zh, e.en) for e in load_glossary()]
    for path in job.extra_data:
        sources[f"extra:{Path(path).name}"] = data.read_tsv_pairs(path)
    feedback_report = _add_feedback(job, splits, sources)
    if not sources:
        raise InputError("no training data selected (corpus train split, --general, --cedict or --extra-data)")
    held_out = [s for split in ("validation", "test") for p in splits[split] for s in p]
    held_out += [s for p in _all_pairs(valid) for s in p]
    held_out += data.bench_segments()
    report: dict = {"sources": {}, "leakage": {}}
    if job.general and job.min_similarity is not None:
        report["similarity_filter"] = {"min": job.min_similarity, "dropped": similarity_dropped}
    for name, pairs in sources.items():
        kept, leak = data.filter_leakage(pairs, held_out)
        sources[name] = kept
        report["sources"][name] = len(kept)
        report["leakage"][name] = {"dropped_exact": leak.dropped_exact, "dropped_near": leak.dropped_near}
    if feedback_report:
        report["feedback"] = feedback_report
    report["validation"] = {"from": job.validation, "pairs": len(_all_pairs(valid))}
    report["test"] = {"from": "corpus test split", "pairs": len(splits["test"])}
    return sources, valid, splits["test"], report


def _add_feedback(job: TrainJob, splits: dict[str, list[Pair]], sources: dict[str, list[Pair]]) -> dict:
    """Post-edits and project translations as in-domain sources, repeated like the corpus train split.

    A post-edit is the translator's word and always enters; a project translation whose Chinese
    already trains (built into the train split, or post-edited) is not added twice, and documents of
    the validation and test splits never enter. The leakage filter in :func:`gather` runs after this.
    """
    from zhbridge.train import feedback

    times = max(1, job.corpus_upsample)
    report: dict = {}
    postedits: list[Pair] = []
    if job.postedits:
        postedits = list(dict.fromkeys(p for path in job.postedits for p in feedback.postedit_pairs(path)))
        sources["postedits"] = postedits * times
        report["postedits"] = {"files": [str(p) for p in job.postedits], "pairs": len(postedits), "upsample": times}
    if job.project_translations is not None:
        held = feedback.held_out_documents(job.data_dir)
        pairs, info = feedback.project_translation_pairs(job.project_translations, exclude_docs=held)
        pairs, already = feedback.not_in(pairs, splits["train"] + postedits)
        sources["project-translations"] = pairs * times
        report["project_translations"] = {**info, "pairs": len(pairs), "already_training": already, "upsample": times}
    return report


def _all_pairs(valid: list[Pair] | dict[str, list[Pair]]) -> list[Pair]:
    return valid if isinstance(valid, list) else [p for pairs in valid.values() for p in pairs]


def lineage(base: str | None, this_run: dict) -> dict:
    """Every run that led to this model (the base's own lineage first) and their totals.

    Warm starts (``--base`` of an earlier zhbridge model) add up across sessions: the card shows
    the cumulative steps, tokens and CPU hours, not just the last run's.
    """
    runs: list[dict] = []
    if base and (Path(base) / "run.json").exists():
        import json

        earlier = json.loads((Path(base) / "run.json").read_text(encoding="utf-8"))
        runs = list(earlier.get("lineage", {}).get("runs", [])) or _run_before_lineage(base, earlier)
    runs.append(this_run)
    totals = {key: round(sum(r.get(key, 0) or 0 for r in runs), 2) for key in ("steps", "tokens", "cpu_hours", "wall_hours")}
    return {"runs": runs, "totals": totals}


def _run_before_lineage(base: str, record: dict) -> list[dict]:
    """The one run behind a model trained before run.json kept a lineage, rebuilt from its record.

    Such a run measured wall time only: CPU hours are estimated as wall × threads and tokens as
    steps × the token budget per batch (an upper bound); ``estimated`` lists which figures are.
    """
    training, config = record.get("training", {}), record.get("config", {})
    if not training.get("steps"):
        return []
    wall_h = (training.get("train_wall_s") or 0) / 3600
    return [
        {
            "out": str(base),
            "date": None,
            "base": record.get("base"),
            "steps": training["steps"],
            "epochs": training.get("epochs"),
            "tokens": training["steps"] * config.get("max_tokens", 0),
            "cpu_hours": round(wall_h * (config.get("threads") or 1), 3),
            "wall_hours": round(wall_h, 3),
            "device": training.get("device"),
            "data": dict(record.get("data", {}).get("sources", {})),
            "validation": record.get("data", {}).get("validation", {}).get("from"),
            "estimated": ["tokens", "cpu_hours"],
        }
    ]


def annotate(texts: list[str]) -> list[str]:
    """Inline term annotation of the training/evaluation sources (see ``Glossary.annotate``)."""
    from zhbridge.terms.glossary import load_glossary

    glossary = load_glossary()
    return [glossary.annotate(t) for t in texts]


def annotate_pairs(pairs: list[Pair]) -> list[Pair]:
    """``pairs`` with their Chinese side term-annotated (:func:`annotate`)."""
    return list(zip(annotate([z for z, _ in pairs]), [e for _, e in pairs]))


def placeholder_sources(sources: dict[str, list[Pair]]) -> tuple[dict[str, list[Pair]], dict[str, int]]:
    """Every source but the glossary's own phrase pairs through :func:`zhbridge.mt.placeholders.mask_pairs`.

    The glossary pairs stay as they are: masked they would be ``<T1>`` → ``<T1>``, and unmasked
    they still teach the model the terms for when a placeholder is lost.
    """
    from zhbridge.mt.placeholders import mask_pairs
    from zhbridge.terms.glossary import load_glossary

    find = load_glossary().find
    out, changed = {}, {}
    for name, pairs in sources.items():
        out[name], changed[name] = (pairs, 0) if name == "glossary" else mask_pairs(pairs, find)
    return out, changed


def _placeholder_hypotheses(model, tok, src: list[str], beams: int) -> list[str]:
    from zhbridge.mt.placeholders import mask_source, restore
    from zhbridge.terms.glossary import load_glossary

    find = load_glossary().find
    masked = [mask_source(s, find(s)) for s in src]
    hyps = translate_texts(model, tok, [m for m, _ in masked], num_beams=beams)
    return [restore(h, slots)[0] for h, (_, slots) in zip(hyps, masked)]


def evaluate_model(
    model_dir: Path,
    test: list[Pair],
    beams: int = 4,
    term_annotate: bool = False,
    threads: int | None = None,
    term_placeholders: bool = False,
) -> dict:
    """BLEU/chrF (with signatures) and term accuracy of a saved model on (zh, en) pairs."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from zhbridge.train.validation import score

    if threads:
        torch.set_num_threads(threads)
    tok = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModelForSeq2SeqLM.from_pretrained(str(model_dir))
    src = [z for z, _ in test]
    t0 = time.monotonic()
    if term_placeholders:
        hyps = _placeholder_hypotheses(model, tok, src, beams)
    else:
        hyps = translate_texts(model, tok, annotate(src) if term_annotate else src, num_beams=beams)
    result: dict = {"pairs": len(test), "beams": beams, "decode_s": round(time.monotonic() - t0, 1)}
    result["scores"] = {k: {"score": v[0], "signature": v[1]} for k, v in score(hyps, [e for _, e in test]).items()}
    result["terms"] = term_scores(src, hyps)
    result["hypotheses"] = hyps
    return result


def term_scores(src: list[str], hyps: list[str]) -> dict | None:
    try:
        from zhbridge.evaluate.terms import term_accuracy
        from zhbridge.terms.glossary import load_glossary
    except ImportError:
        return None
    acc = term_accuracy(src, hyps, load_glossary())
    return {"correct": acc.correct, "total": acc.total, "accuracy": acc.accuracy}


def run(job: TrainJob, progress: bool = True) -> dict:
    """Run the job; returns the run record (also written to ``OUT/run.json`` and the card)."""
    from zhbridge.train import card
    from zhbridge.train.scratch import build_marian

    started = time.monotonic()
    out = Path(job.out_dir)
    sources, valid, test, report = gather(job)
    if job.term_annotate and job.term_placeholders:
        raise InputError("--term-annotate and --term-placeholders are two ways of teaching terms; choose one")
    if job.term_placeholders:
        sources, report["placeholder_pairs"] = placeholder_sources(sources)
        valid = placeholder_sources({"valid": valid})[0]["valid"] if isinstance(valid, list) else placeholder_sources(valid)[0]
    pairs = [p for v in sources.values() for p in v]
    if job.term_annotate:
        pairs = annotate_pairs(pairs)
        valid = annotate_pairs(valid) if isinstance(valid, list) else {name: annotate_pairs(v) for name, v in valid.items()}
    base = job.base
    rank, world, local_rank = dist_env()
    init_distributed(world, local_rank)
    if job.from_scratch and not job.resume:
        if rank == 0:  # under torchrun only one process builds; the others wait and load it
            # the vocabulary also sees the in-domain train split, so domain words get pieces of their own
            vocab_pairs = pairs + data.load_corpus_splits(job.data_dir)["train"]
            build_marian(out, [z for z, _ in vocab_pairs], [e for _, e in vocab_pairs], size=job.size, seed=job.config.seed)
        barrier(world)
        base = str(out)
        report["vocabulary"] = "joint SentencePiece (unigram) trained on these training pairs + the corpus train split"
    elif not base and not job.resume:
        raise InputError("--base is required unless --from-scratch")
    if not job.from_scratch:
        job.config.validate_at_start = True
    result = train(base or str(out), pairs, valid, out, job.config, resume=job.resume, progress=progress)
    if rank != 0:
        return {}
    this_run = {
        "out": str(out),
        "date": time.strftime("%Y-%m-%d"),
        "base": "from scratch" if job.from_scratch else str(base),
        "steps": result.steps,
        "epochs": result.epochs_done,
        "tokens": round(result.tokens_per_epoch * result.epochs_done),
        "cpu_hours": round(result.cpu_s / 3600, 3),  # training CPU time, summed over resumed processes
        "wall_hours": round(result.wall_s / 3600, 3),
        "device": result.device,
        "data": dict(report["sources"]),
        "mix": job.general_mix if job.general else None,
        "validation": job.validation,
        # the validation curve travels with the lineage, so a learning curve over every run can be drawn
        "history": [{k: v for k, v in h.items() if k != "loss"} for h in result.history],
    }
    evaluation = evaluate_model(
        out,
        test,
        beams=job.test_beams,
        term_annotate=job.term_annotate,
        threads=job.config.threads,
        term_placeholders=job.term_placeholders,
    )
    record = {
        "base": "from scratch (" + job.size + ")" if job.from_scratch else job.base,
        "data": report,
        "config": job.config.to_dict(),
        "options": {
            "corpus_upsample": job.corpus_upsample,
            "general": job.general,
            "general_sample": job.general_sample,
            "general_mix": job.general_mix,
            "min_similarity": job.min_similarity,
            "cedict": job.cedict,
            "glossary_pairs": job.glossary_pairs,
            "term_annotate": job.term_annotate,
            "term_placeholders": job.term_placeholders,
            "extra_data": [str(p) for p in job.extra_data],
            "postedits": [str(p) for p in job.postedits],
            "project_translations": str(job.project_translations) if job.project_translations is not None else None,
        },
        "training": {
            "steps": result.steps,
            "epochs": result.epochs_done,
            "stopped_by": result.stopped_by,
            "best_validation": result.best_score,
            "best_step": result.best_step,
            "train_wall_s": result.wall_s,
            "device": result.device,
            "host": f"{platform.machine()} {platform.system()}",
            "history": result.history,
            "loss_curve": result.losses,
        },
        "test": {k: v for k, v in evaluation.items() if k != "hypotheses"},
        "total_wall_s": round(time.monotonic() - started, 1),
        "lineage": lineage(None if job.from_scratch else base, this_run),
    }
    write_json(out / "run.json", record)
    card.write_card(out, {**record, "_test_pairs": test}, evaluation["hypotheses"])
    return record
