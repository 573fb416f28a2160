"""Train any Hugging Face seq2seq checkpoint on (zh, en) pairs: a plain, resumable torch loop.

Why a hand loop and not ``Seq2SeqTrainer``: the loop is short, its checkpoint holds exactly
what resuming needs (weights, optimiser, schedule, RNG states, position inside the epoch), and
it runs the same under ``python``, ``torchrun`` (DDP, one process per GPU) and on a CPU.

* batches are built by tokens, from length-sorted buckets (little padding, fast on CPU);
* validation chrF (or BLEU) picks the best model and stops training after ``patience``
  evaluations without improvement;
* ``resume=True`` continues from ``OUT/checkpoint`` at the step where it stopped, with the
  same batch order and RNG state, so a resumed run matches an uninterrupted one.

:func:`train` reads as its steps: ``_setup`` (inputs, seed, model, data), ``_build_optimizer``,
``_restore_checkpoint``, ``_train_epochs`` (``_train_step``, ``_record_loss``, ``_stop_reason`` →
``_validate``) and ``_finish``. Batching is in :mod:`zhbridge.train.batching`, decoding and scores
in :mod:`zhbridge.train.validation`, the torchrun collectives in :mod:`zhbridge.train.distributed`.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhbridge.io import InputError, atomic_write_text
from zhbridge.train.batching import collate, encode_pairs, make_batches
from zhbridge.train.config import TrainConfig
from zhbridge.train.distributed import barrier, broadcast, dist_env, init_distributed
from zhbridge.train.validation import validation_scores

if TYPE_CHECKING:
    import torch

Pair = tuple[str, str]
CHECKPOINT = "checkpoint"


@dataclass
class TrainResult:
    out_dir: Path
    steps: int
    epochs_done: float
    best_score: float | None
    best_step: int | None
    stopped_by: str
    wall_s: float
    device: str
    cpu_s: float = 0.0  # CPU time of the training, summed over every process (DDP ranks) and every resume
    history: list[dict] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    tokens_per_epoch: int = 0  # source + target pieces of one pass over the training pairs


# ---------------------------------------------------------------- checkpoints


def _save_checkpoint(out_dir: Path, model, tokenizer, optimizer, scheduler, scaler, state: dict) -> None:
    import torch

    tmp = out_dir / (CHECKPOINT + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    torch.save(
        {
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(),
            "scaler": scaler.state_dict() if scaler is not None else None,
            "rng": {
                "torch": torch.get_rng_state(),
                "python": random.getstate(),
                "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
            },
        },
        tmp / "trainer.pt",
    )
    (tmp / "trainer_state.json").write_text(json.dumps(state, indent=1), encoding="utf-8")
    final = out_dir / CHECKPOINT
    old = out_dir / (CHECKPOINT + ".old")
    if final.exists():
        final.rename(old)
    tmp.rename(final)  # the checkpoint is replaced in one step; a crash leaves .old or the new one
    if old.exists():
        shutil.rmtree(old)


def _save_best(out_dir: Path, model, tokenizer) -> None:
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)


# ---------------------------------------------------------------- the loop


def freeze_unsaved_parameters(model: Any) -> list[str]:
    """Freeze the parameters ``save_pretrained`` leaves out of a checkpoint; their names are returned.

    Why: transformers 5 re-creates every loaded parameter with ``requires_grad=True``, which unfreezes
    Marian's sinusoidal position tables (built frozen, and listed in ``_keys_to_ignore_on_save``). The
    optimiser then trained them, but no checkpoint kept the change: a resumed run restarted from the
    pristine tables and drifted from the uninterrupted one, and the saved best model differed from the
    one that was validated. A parameter that cannot be saved must not be trained.
    """
    patterns = getattr(model, "_keys_to_ignore_on_save", None) or []
    frozen = []
    for name, param in model.named_parameters():
        if param.requires_grad and any(re.search(pattern, name) for pattern in patterns):
            param.requires_grad_(False)
            frozen.append(name)
    return frozen


def lr_factor(step: int, warmup: int, offset: int = 0) -> float:
    """Linear warmup, then inverse-square-root decay.

    With an ``offset`` (a warm start from a base that already took that many steps) the decay goes on
    from where the base's schedule was instead of restarting at the peak, so runs across sessions
    follow one schedule; the short warmup only re-settles the fresh optimiser state.
    """
    reference = max(warmup, offset)
    return min((step + 1) / warmup, math.sqrt(reference / (step + 1 + offset)))


def cooldown_factor(progress: float, cooldown: float) -> float:
    """1 until the last ``cooldown`` share of a run (``progress`` 0..1), then linearly down to 0 at its end."""
    if cooldown <= 0:
        return 1.0
    return max(0.0, min(1.0, (1.0 - progress) / cooldown))


def _progress(state: dict[str, Any], cfg: TrainConfig) -> float:
    """How far the run is towards whichever of ``max_steps`` and the time budget ends it first (0..1)."""
    shares = [state["step"] / cfg.max_steps] if cfg.max_steps else []
    if cfg.time_budget_s:
        shares.append(state["elapsed_s"] / cfg.time_budget_s)
    return max(shares, default=0.0)


@dataclass
class _Run:
    """What the steps of one training run share. ``state`` is the part a checkpoint keeps (trainer_state.json)."""

    cfg: TrainConfig
    out: Path
    rank: int
    world: int
    local_rank: int
    device: torch.device
    tokenizer: Any
    model: Any
    examples: list[tuple[list[int], list[int]]]
    lengths: list[tuple[int, int]]
    per_epoch: int  # optimiser steps per epoch on each rank
    total_steps: int
    valid: list[Pair] | dict[str, list[Pair]]
    eval_every: int
    loss_fn: torch.nn.Module
    state: dict[str, Any]
    optimizer: torch.optim.Optimizer | None = None
    scheduler: torch.optim.lr_scheduler.LambdaLR | None = None
    scaler: torch.amp.GradScaler | None = None
    use_amp: bool = False
    amp_dtype: torch.dtype | None = None
    net: Any = None  # the model, or its DDP wrapper under torchrun
    started: float = 0.0  # time.monotonic() at which this run would have started had it never stopped
    cpu_started: float = 0.0  # time.process_time() when this process started
    cpu_before: float = 0.0  # CPU seconds of every process of the runs this one resumes
    running: list[float] = field(default_factory=list)  # step losses since the last entry in state["losses"]
    step_lr: float = 0.0  # the learning rate the last optimiser step used (after any cooldown scaling)


def train(
    base: str | Path,
    train_pairs: list[Pair],
    valid_pairs: list[Pair] | dict[str, list[Pair]],
    out_dir: str | Path,
    config: TrainConfig | None = None,
    resume: bool = False,
    progress: bool = True,
) -> TrainResult:
    """Fine-tune ``base`` (hub id or local seq2seq dir) on ``train_pairs``; best model saved in ``out_dir``."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    run = _setup(base, train_pairs, valid_pairs, Path(out_dir), config or TrainConfig(), resume)
    _build_optimizer(run)
    if resume:
        _restore_checkpoint(run)
    run.net = _wrap_for_ddp(run)
    run.started = time.monotonic() - run.state["elapsed_s"]
    run.cpu_started, run.cpu_before = time.process_time(), run.state.get("cpu_s", 0.0)  # old checkpoints lack cpu_s
    columns = [
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} steps"),
        TimeElapsedColumn(),
    ]
    with Progress(*columns, disable=not progress or run.rank != 0, transient=False) as bar:
        task = bar.add_task("training", total=run.total_steps, completed=run.state["step"])
        if run.cfg.validate_at_start and not resume and run.state["step"] == 0:
            _validate(run)
        stopped_by = _train_epochs(run, lambda description: bar.update(task, advance=1, description=description))
        if run.rank == 0:
            _finish(run)
    barrier(run.world)
    return _result(run, stopped_by)


def _setup(
    base: str | Path,
    train_pairs: list[Pair],
    valid_pairs: list[Pair] | dict[str, list[Pair]],
    out: Path,
    cfg: TrainConfig,
    resume: bool,
) -> _Run:
    """Check the inputs, seed, load tokenizer and model (from ``base``, or the checkpoint when resuming) and encode the data."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    rank, world, local_rank = dist_env()
    init_distributed(world, local_rank)
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    if not train_pairs:
        raise InputError("no training pairs left (after the leakage filter?)")
    if cfg.cooldown > 0 and not (cfg.max_steps or cfg.time_budget_s):
        raise InputError("cooldown needs --max-steps or --time-budget: it is a share of the run's length")
    out.mkdir(parents=True, exist_ok=True)
    if not resume and (out / "train_log.jsonl").exists():
        (out / "train_log.jsonl").unlink()
    ckpt = out / CHECKPOINT
    if resume and not (ckpt / "trainer_state.json").exists():
        raise InputError(f"{out}: nothing to resume (no {CHECKPOINT}/trainer_state.json)")
    load_from = ckpt if resume else base
    # seeded before loading: the RNG stream that dropout then draws from starts at the same point in every run
    random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    tokenizer = AutoTokenizer.from_pretrained(str(load_from))
    model = AutoModelForSeq2SeqLM.from_pretrained(str(load_from))
    freeze_unsaved_parameters(model)
    device = torch.device(f"cuda:{local_rank}" if torch.cuda.is_available() else "cpu")
    model.to(device)
    model.train()

    examples = encode_pairs(tokenizer, train_pairs, cfg.max_len)
    lengths = [(len(s), len(t)) for s, t in examples]
    per_epoch = math.ceil(len(make_batches(lengths, cfg.max_tokens, cfg.seed, 0)) / world)
    state: dict[str, Any] = {
        "step": 0,
        "epoch": 0,
        "batch_in_epoch": 0,
        "best": None,
        "best_step": None,
        "bad_evals": 0,
        "history": [],
        "losses": [],
        "elapsed_s": 0.0,
        "base": str(base),
    }
    return _Run(
        cfg=cfg,
        out=out,
        rank=rank,
        world=world,
        local_rank=local_rank,
        device=device,
        tokenizer=tokenizer,
        model=model,
        examples=examples,
        lengths=lengths,
        per_epoch=per_epoch,
        total_steps=min(cfg.max_steps or 10**12, per_epoch * cfg.epochs),
        valid=valid_pairs[: cfg.eval_sentences] if isinstance(valid_pairs, list) else valid_pairs,
        eval_every=cfg.eval_every or per_epoch,
        loss_fn=torch.nn.CrossEntropyLoss(ignore_index=-100, label_smoothing=cfg.label_smoothing),
        state=state,
    )


def _build_optimizer(run: _Run) -> None:
    """AdamW (no weight decay on biases and norms), the warmup/decay schedule, and mixed precision on GPUs."""
    import torch

    cfg = run.cfg
    decay = [p for n, p in run.model.named_parameters() if p.ndim > 1]
    no_decay = [p for n, p in run.model.named_parameters() if p.ndim <= 1]
    run.optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=cfg.lr,
        betas=(0.9, 0.98),
        eps=1e-9,
    )
    warm = max(1, cfg.warmup_steps)
    # a lambda, not a callable object: LambdaLR then stores no state for it, and checkpoints stay as they were
    run.scheduler = torch.optim.lr_scheduler.LambdaLR(run.optimizer, lambda s: lr_factor(s, warm, cfg.schedule_offset))
    run.use_amp, run.amp_dtype = autocast_plan(run.device.type, cfg.precision)
    run.scaler = torch.amp.GradScaler("cuda") if run.use_amp and run.amp_dtype == torch.float16 else None


def cpu_has_bf16() -> bool:
    """True when this CPU does bf16 arithmetic natively (AVX512-BF16 or AMX-BF16; read from /proc/cpuinfo).

    Why not just try: on a CPU without these instructions bf16 autocast still runs, emulated, and is
    slower than fp32, so "auto" must know before it chooses.
    """
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return bool(re.search(r"\b(avx512_bf16|amx_bf16)\b", flags))


def autocast_plan(device_type: str, precision: str = "auto") -> tuple[bool, Any]:
    """(autocast on?, its dtype) for a device type and a ``precision`` setting (auto, fp32, bf16)."""
    import torch

    if precision not in ("auto", "fp32", "bf16"):
        raise InputError(f"precision: expected auto, fp32 or bf16, got {precision!r}")
    if precision == "fp32":
        return False, None
    if device_type == "cuda":
        return True, torch.bfloat16 if precision == "bf16" or torch.cuda.is_bf16_supported() else torch.float16
    if precision == "bf16" or cpu_has_bf16():
        return True, torch.bfloat16
    return False, None


def _restore_checkpoint(run: _Run) -> None:
    """Optimiser, schedule, loss scaler, loop position and RNG states from ``OUT/checkpoint`` (the weights came with the model)."""
    import torch

    assert run.optimizer is not None and run.scheduler is not None
    ckpt = run.out / CHECKPOINT
    saved = torch.load(ckpt / "trainer.pt", map_location=run.device, weights_only=False)
    run.optimizer.load_state_dict(saved["optimizer"])
    run.scheduler.load_state_dict(saved["scheduler"])
    if run.scaler is not None and saved["scaler"]:
        run.scaler.load_state_dict(saved["scaler"])
    run.state = json.loads((ckpt / "trainer_state.json").read_text(encoding="utf-8"))
    torch.set_rng_state(saved["rng"]["torch"].cpu())
    random.setstate(saved["rng"]["python"])
    if torch.cuda.is_available() and saved["rng"]["cuda"] is not None:
        torch.cuda.set_rng_state_all(saved["rng"]["cuda"])


def _wrap_for_ddp(run: _Run) -> Any:
    if run.world == 1:
        return run.model
    import torch

    return torch.nn.parallel.DistributedDataParallel(
        run.model, device_ids=[run.local_rank] if run.device.type == "cuda" else None
    )


def _train_epochs(run: _Run, advance: Callable[[str], None]) -> str:
    """Train from the saved position until the epochs, ``max_steps``, the time budget or patience run out; returns which."""
    state, cfg = run.state, run.cfg
    while state["epoch"] < cfg.epochs:
        batches = make_batches(run.lengths, cfg.max_tokens, cfg.seed, state["epoch"])
        # every rank takes the same number of batches, or DDP's gradient all-reduce would hang
        batches = batches[: len(batches) // run.world * run.world][run.rank :: run.world] if run.world > 1 else batches
        while state["batch_in_epoch"] < len(batches):
            loss = _train_step(run, batches[state["batch_in_epoch"]])
            state["step"] += 1
            state["batch_in_epoch"] += 1
            run.running.append(loss)
            advance(f"epoch {state['epoch'] + 1} loss {loss:.3f}")
            _record_loss(run)
            state["elapsed_s"] = time.monotonic() - run.started
            state["cpu_s"] = _cpu_seconds(run)
            stop = _stop_reason(run)
            if run.rank == 0 and (stop or state["step"] % cfg.save_every == 0):
                _save_checkpoint(run.out, run.model, run.tokenizer, run.optimizer, run.scheduler, run.scaler, state)
            if stop:
                return stop
        state["epoch"] += 1
        state["batch_in_epoch"] = 0
    return "epochs"


def _train_step(run: _Run, batch_ids: list[int]) -> float:
    """One optimiser step on one batch; returns its loss."""
    import torch

    assert run.optimizer is not None and run.scheduler is not None
    pad_id = run.tokenizer.pad_token_id
    batch = collate([run.examples[i] for i in batch_ids], pad_id)
    input_ids, attention, labels = (t.to(run.device) for t in batch)
    decoder_input_ids = run.model.prepare_decoder_input_ids_from_labels(labels=labels.masked_fill(labels == -100, pad_id))
    with torch.autocast(run.device.type, dtype=run.amp_dtype, enabled=run.use_amp):
        logits = run.net(input_ids=input_ids, attention_mask=attention, decoder_input_ids=decoder_input_ids).logits
        loss = run.loss_fn(logits.float().view(-1, logits.size(-1)), labels.view(-1))
    run.optimizer.zero_grad(set_to_none=True)
    if run.scaler is not None:
        run.scaler.scale(loss).backward()
        run.scaler.unscale_(run.optimizer)
    else:
        loss.backward()
    torch.nn.utils.clip_grad_norm_(run.model.parameters(), run.cfg.grad_clip)
    run.step_lr = run.optimizer.param_groups[0]["lr"]
    if run.scaler is not None:
        run.scaler.step(run.optimizer)
        run.scaler.update()
    else:
        run.optimizer.step()
    run.scheduler.step()
    return loss.item()


def _record_loss(run: _Run) -> None:
    """Every step of the first 20, then every 20th: the mean loss since the last record, into the state and train_log.jsonl."""
    state = run.state
    if state["step"] % 20 == 0 or state["step"] <= 20:
        state["losses"].append(round(sum(run.running) / len(run.running), 4))
        run.running = []
        if run.rank == 0:  # a file to follow long runs with `tail -f` (the bar is not shown in logs)
            with open(run.out / "train_log.jsonl", "a", encoding="utf-8") as log:
                log.write(
                    json.dumps(
                        {
                            "step": state["step"],
                            "epoch": state["epoch"],
                            "loss": state["losses"][-1],
                            "lr": run.step_lr,
                            "elapsed_s": round(time.monotonic() - run.started, 1),
                        }
                    )
                    + "\n"
                )


def _stop_reason(run: _Run) -> str | None:
    """Why training stops after this step (None: it goes on); validates when due. Rank 0 decides for every rank."""
    state, cfg = run.state, run.cfg
    reason = None
    if state["step"] % run.eval_every == 0 and _validate(run):
        reason = "early_stopping"
    if cfg.max_steps and state["step"] >= cfg.max_steps:
        reason = "max_steps"
    if cfg.time_budget_s and state["elapsed_s"] >= cfg.time_budget_s:
        reason = "time_budget"
    # rank 0's clock sets the cooldown too, so every rank steps with the same learning rate
    reason, scale = broadcast((reason, cooldown_factor(_progress(state, cfg), cfg.cooldown)), run.world)
    if cfg.cooldown > 0:
        assert run.optimizer is not None and run.scheduler is not None
        for group, scheduled in zip(run.optimizer.param_groups, run.scheduler.get_last_lr()):
            group["lr"] = scheduled * scale  # the next scheduler step recomputes from its base, so scales never compound
    return reason


def _validate(run: _Run, collective: bool = True) -> bool:
    """Score on validation (rank 0), keep the best model; True when patience is used up."""
    state = run.state
    stop = False
    if run.rank == 0 and run.valid:
        value, scores = validation_scores(run.model, run.tokenizer, run.valid, run.cfg)
        state["history"].append(
            {
                "step": state["step"],
                "epoch": _epochs_done(run),
                **scores,
                "loss": state["losses"][-1] if state["losses"] else None,
            }
        )
        if state["best"] is None or value > state["best"]:
            state["best"], state["best_step"], state["bad_evals"] = value, state["step"], 0
            _save_best(run.out, run.model, run.tokenizer)
        else:
            state["bad_evals"] += 1
            stop = state["bad_evals"] >= run.cfg.patience
    return broadcast(stop, run.world) if collective else stop


def _finish(run: _Run) -> None:
    """Rank 0 at the end: validate the last step unless just done (no validation: the last model is the best) and checkpoint."""
    if run.valid and (not run.state["history"] or run.state["history"][-1]["step"] != run.state["step"]):
        _validate(run, collective=False)
    if not run.valid:
        _save_best(run.out, run.model, run.tokenizer)
    _save_checkpoint(run.out, run.model, run.tokenizer, run.optimizer, run.scheduler, run.scaler, run.state)


def _cpu_seconds(run: _Run) -> float:
    """CPU seconds of the whole training so far: this process's time × the ranks (they do the same work), plus earlier runs'."""
    return run.cpu_before + (time.process_time() - run.cpu_started) * run.world


def _epochs_done(run: _Run) -> float:
    return round(run.state["epoch"] + run.state["batch_in_epoch"] / max(run.per_epoch, 1), 2)


def _result(run: _Run, stopped_by: str) -> TrainResult:
    state = run.state
    return TrainResult(
        out_dir=run.out,
        steps=state["step"],
        epochs_done=_epochs_done(run),
        best_score=state["best"],
        best_step=state["best_step"],
        stopped_by=stopped_by,
        wall_s=round(time.monotonic() - run.started, 1),
        cpu_s=round(_cpu_seconds(run), 3),
        device=_describe_device(run.device)
        + (f", {str(run.amp_dtype).removeprefix('torch.')} autocast" if run.use_amp else ", fp32"),
        history=state["history"],
        losses=state["losses"],
        tokens_per_epoch=sum(s + t for s, t in run.lengths),
    )


def _describe_device(device: torch.device) -> str:
    import torch

    if device.type == "cuda":
        return f"{torch.cuda.get_device_name(device)} x{int(os.environ.get('WORLD_SIZE', 1))}"
    world = int(os.environ.get("WORLD_SIZE", 1))
    processes = f", {world} processes" if world > 1 else ""
    return f"CPU ({torch.get_num_threads()} threads{processes})"


def write_json(path: Path, data: dict) -> None:
    atomic_write_text(path, json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n")
