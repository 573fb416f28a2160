"""`zhbridge train`: train or fine-tune a zh→en model; a thin layer over zhbridge.train.pipeline."""

from __future__ import annotations

import dataclasses
import inspect
import typing
from pathlib import Path
from typing import Any

import typer

from zhbridge.train.config import TrainConfig


def train(
    out: Path = typer.Option(..., "--out", help="Model directory to write (best model, checkpoint/, run.json, README.md card)."),
    base: str | None = typer.Option(
        None,
        "--base",
        "--init",
        help="Warm start: hub id (e.g. Helsinki-NLP/opus-mt-zh-en, needs a network) or local seq2seq directory to start from (e.g. models/zhbridge-default: its run history is carried into the new card).",
    ),
    data: Path | None = typer.Option(
        None, "--data", help="Corpus dataset directory (DatasetDict with train/validation/test); default corpus/dataset."
    ),
    from_scratch: bool = typer.Option(
        False,
        "--from-scratch",
        help="Build a new Marian model with a joint SentencePiece vocabulary trained on the training pairs.",
    ),
    size: str = typer.Option("small", "--size", help="Size for --from-scratch: tiny, small or base."),
    extra_data: list[Path] = typer.Option([], "--extra-data", help="Extra zh<TAB>en TSV of training pairs; repeatable."),
    postedits: bool = typer.Option(
        False,
        "--postedits",
        help="Add the post-edit memory corpus/tm/postedits.tmx (`zhbridge tm import`), repeated like the train split (--upsample).",
    ),
    postedits_file: list[Path] = typer.Option(
        [], "--postedits-file", help="A post-edit memory (TMX) to add instead of the default one; repeatable."
    ),
    project_translations: bool = typer.Option(
        False,
        "--project-translations",
        help="Add the project translations corpus/translations/project/*.tsv (validation/test documents excluded), repeated like the train split.",
    ),
    project_translations_dir: Path | None = typer.Option(
        None, "--translations-dir", help="Folder of DOC.tsv project translations instead of the default one."
    ),
    general: bool = typer.Option(
        False, "--general", help="Add the general-domain pairs of corpus/training (Tatoeba, WMT en-zh reversed)."
    ),
    general_sample: int | None = typer.Option(
        None, "--general-sample", help="Use at most this many general pairs (replay while fine-tuning)."
    ),
    general_mix: str = typer.Option(
        "news", "--general-mix", help="news: news and long prose twice, short everyday sentences half as often; flat: once each."
    ),
    min_similarity: float | None = typer.Option(
        None,
        "--min-similarity",
        help="Drop general pairs whose USE-multilingual cosine (corpus/training/similarity.tsv.gz) is below this.",
    ),
    corpus_train: bool = typer.Option(True, "--corpus-train/--no-corpus-train", help="Train on the dataset's train split."),
    upsample: int = typer.Option(1, "--upsample", min=1, help="Repeat the in-domain train pairs this many times."),
    cedict: int = typer.Option(0, "--cedict", min=0, help="Add this many CC-CEDICT headword→sense phrase pairs."),
    glossary_pairs: bool = typer.Option(False, "--glossary-pairs", help="Add glossary entries as phrase pairs."),
    validation: str = typer.Option(
        "corpus",
        "--validation",
        help="Validation set: corpus (dataset split), general (400 held-out zh-original news pairs) or both (mixed fine-tuning: early stopping on their mean).",
    ),
    term_annotate: bool = typer.Option(
        False, "--term-annotate", help="Annotate glossary terms inline in the source (Dinu et al. 2019)."
    ),
    term_placeholders: bool = typer.Option(
        False,
        "--term-placeholders",
        help="Replace glossary terms found in a pair's source and reference by <T1>, <T2>, ... on both sides (the model learns to copy them; translation restores the glossary English).",
    ),
    resume: bool = typer.Option(False, "--resume", help="Continue from OUT/checkpoint."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Write into an existing non-empty --out directory."),
    **config_options: Any,  # TrainConfig's fields, as options (see _config_parameters)
) -> None:
    """Train a zh→en model (from a base checkpoint or from scratch) with early stopping and a model card.

    Multi-GPU: launch with `torchrun --nproc_per_node N -m zhbridge train ...` (DDP, one process per GPU).
    """
    import json

    from zhbridge.io import InputError
    from zhbridge.train.feedback import DEFAULT_POSTEDITS, DEFAULT_PROJECT_DIR
    from zhbridge.train.pipeline import TrainJob, run

    metric = config_options["metric"]
    if metric not in ("chrf", "bleu"):
        raise InputError(f"--metric: expected chrf or bleu, got {metric!r}")
    if validation not in ("corpus", "general", "both"):
        raise InputError(f"--validation: expected corpus, general or both, got {validation!r}")
    import os

    first_process = os.environ.get("RANK", "0") == "0"  # under torchrun rank 0 may already be writing --out
    if first_process and out.exists() and any(out.iterdir()) and not (resume or overwrite):
        raise InputError(f"{out}: exists and is not empty; pass --resume to continue or --overwrite to retrain")
    config = config_from_options(config_options)
    job = TrainJob(
        base=base,
        out_dir=out,
        data_dir=data,
        from_scratch=from_scratch,
        size=size,
        corpus_train=corpus_train,
        corpus_upsample=upsample,
        general=general,
        general_sample=general_sample,
        general_mix=general_mix,
        min_similarity=min_similarity,
        cedict=cedict,
        glossary_pairs=glossary_pairs,
        extra_data=list(extra_data),
        postedits=list(postedits_file) or ([DEFAULT_POSTEDITS] if postedits else []),
        project_translations=project_translations_dir or (DEFAULT_PROJECT_DIR if project_translations else None),
        validation=validation,
        term_annotate=term_annotate,
        term_placeholders=term_placeholders,
        resume=resume,
        config=config,
    )
    record = run(job)
    if not record:  # a non-zero rank under torchrun: rank 0 reports
        return
    test = record["test"]
    scores = ", ".join(f"{k} {v['score']:.2f} ({v['signature']})" for k, v in test["scores"].items())
    typer.echo(
        f"saved {out} after {record['training']['steps']} steps ({record['training']['stopped_by']}); "
        f"test ({test['pairs']} pairs): {scores}"
    )
    if test.get("terms"):
        typer.echo(f"term accuracy: {json.dumps(test['terms'])}")


def _config_parameters() -> list[inspect.Parameter]:
    """One option per TrainConfig field with ``cli`` metadata (zhbridge.train.config.cli), in field order."""
    hints = typing.get_type_hints(TrainConfig)
    params = []
    for f in dataclasses.fields(TrainConfig):
        spec = f.metadata.get("cli")
        if spec is None:  # a knob for scripts and tests, not the command line
            continue
        flag = spec["flag"] or "--" + f.name.replace("_", "-")
        option = typer.Option(f.default, flag, help=spec["help"], **spec["limits"])
        params.append(inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=option, annotation=hints[f.name]))
    return params


def config_from_options(values: dict[str, Any]) -> TrainConfig:
    """The TrainConfig of parsed options (a scaled option, e.g. minutes → seconds, is converted; 0 is None)."""
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(TrainConfig):
        spec = f.metadata.get("cli")
        if spec is None or f.name not in values:
            continue
        value = values[f.name]
        kwargs[f.name] = (value * spec["scale"] if value else None) if spec["scale"] is not None else value
    return TrainConfig(**kwargs)


def _with_config_options(func):
    """``func``'s signature with the TrainConfig options after the data options (before --resume)."""
    own = [p for p in inspect.signature(func, eval_str=True).parameters.values() if p.kind is not p.VAR_KEYWORD]
    at = next(k for k, p in enumerate(own) if p.name == "resume")
    own = [p.replace(kind=p.KEYWORD_ONLY) for p in own]
    func.__signature__ = inspect.Signature(own[:at] + _config_parameters() + own[at:])
    return func


train = _with_config_options(train)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the top-level app."""
    app.command(name="train")(train)
