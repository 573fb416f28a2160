"""Train any Hugging Face seq2seq checkpoint on (zh, en) pairs: a plain, resumable torch loop.

Why a hand loop and not ``Seq2SeqTrainer``: the loop is short, its checkpoint holds exactly
what resuming needs (weights, optimiser, schedule, RNG states, position inside the epoch), and
it runs the same under ``python``, ``torchrun`` (DDP, one process per GPU) and on a CPU.

* batches are built by tokens, from length-sorted buckets (little padding, fast on CPU);
* validation chrF (or BLEU) picks the best model and stops training after ``patience``
  evaluations without improvement;
* ``resume=True`` continues from ``OUT/checkpoint`` at the step where it stopped, with the
  same batch order and RNG state, so a resumed run matches an uninterrupted one.
"""
from __future__ import annotations

import json
import math
import os
import random
import re
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from zhbridge.io import InputError, atomic_write_text

Pair = tuple[str, str]
CHECKPOINT = "checkpoint"


@dataclass
class TrainConfig:
    epochs: int = 10
    max_steps: int | None = None
    lr: float = 5e-4
    warmup_steps: int = 400
    schedule_offset: int = 0  # steps a warm-started base already took: the lr decay continues from there
    max_tokens: int = 4096  # per batch, counted as padded source + target tokens
    max_len: int = 128  # pieces per side; longer segments are truncated
    label_smoothing: float = 0.1
    weight_decay: float = 0.0
    grad_clip: float = 1.0
    eval_every: int = 0  # steps between validations; 0 = once per epoch
    save_every: int = 200  # steps between checkpoints (also saved at each validation)
    patience: int = 3  # validations without improvement before stopping
    metric: str = "chrf"  # "chrf" or "bleu"
    eval_sentences: int = 400  # validation subset size (greedy decoding) to keep evaluation cheap
    seed: int = 0
    threads: int | None = None  # torch CPU threads; None = torch's default
    time_budget_s: float | None = None  # stop (and checkpoint) after this much training time

    def to_dict(self) -> dict:
        return asdict(self)


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
    history: list[dict] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    tokens_per_epoch: int = 0  # source + target pieces of one pass over the training pairs


# ---------------------------------------------------------------- distributed helpers

def _dist_env() -> tuple[int, int, int]:
    return int(os.environ.get("RANK", 0)), int(os.environ.get("WORLD_SIZE", 1)), int(os.environ.get("LOCAL_RANK", 0))


def _init_distributed(world: int, local_rank: int):
    import torch
    import torch.distributed as dist

    if world > 1 and not dist.is_initialized():
        backend = "nccl" if torch.cuda.is_available() else "gloo"
        if torch.cuda.is_available():
            torch.cuda.set_device(local_rank)
        dist.init_process_group(backend)


def _barrier(world: int) -> None:
    if world > 1:
        import torch.distributed as dist

        dist.barrier()


def _broadcast(obj, world: int):
    if world == 1:
        return obj
    import torch.distributed as dist

    box = [obj]
    dist.broadcast_object_list(box, src=0)
    return box[0]


# ---------------------------------------------------------------- data

def encode_pairs(tokenizer, pairs: list[Pair], max_len: int) -> list[tuple[list[int], list[int]]]:
    """Token ids of both sides; empty pairs dropped, long ones truncated (keeping </s>)."""
    out = []
    step = 512
    for i in range(0, len(pairs), step):
        chunk = pairs[i : i + step]
        enc = tokenizer([p[0] for p in chunk], text_target=[p[1] for p in chunk], truncation=True, max_length=max_len)
        out += [(s, t) for s, t in zip(enc["input_ids"], enc["labels"]) if len(s) > 1 and len(t) > 1]
    return out


def make_batches(lengths: list[tuple[int, int]], max_tokens: int, seed: int, epoch: int) -> list[list[int]]:
    """Token-bounded batches of similar-length examples, in an order fixed by (seed, epoch)."""
    rng = random.Random(seed * 1_000_003 + epoch)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    bucket = 100 * max(1, max_tokens // 32)  # sort inside large random buckets: little padding, some mixing
    batches: list[list[int]] = []
    for b in range(0, len(order), bucket):
        chunk = sorted(order[b : b + bucket], key=lambda i: (lengths[i][0], lengths[i][1]))
        cur: list[int] = []
        longest = 0
        for i in chunk:
            longest_new = max(longest, *lengths[i])
            if cur and longest_new * 2 * (len(cur) + 1) > max_tokens:
                batches.append(cur)
                cur, longest_new = [], max(lengths[i])
            cur.append(i)
            longest = longest_new
        if cur:
            batches.append(cur)
    rng.shuffle(batches)
    return batches


def collate(examples, pad_id: int):
    import torch

    src_len = max(len(s) for s, _ in examples)
    tgt_len = max(len(t) for _, t in examples)
    input_ids = torch.full((len(examples), src_len), pad_id, dtype=torch.long)
    attention = torch.zeros((len(examples), src_len), dtype=torch.long)
    labels = torch.full((len(examples), tgt_len), -100, dtype=torch.long)
    for row, (s, t) in enumerate(examples):
        input_ids[row, : len(s)] = torch.tensor(s)
        attention[row, : len(s)] = 1
        labels[row, : len(t)] = torch.tensor(t)
    return input_ids, attention, labels


# ---------------------------------------------------------------- decoding and scores

def translate_texts(model, tokenizer, texts: list[str], batch_size: int = 32, num_beams: int = 1, max_len: int = 128) -> list[str]:
    """Translate in length-sorted batches, returned in input order (used for validation and cards)."""
    import torch

    device = next(model.parameters()).device
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = [""] * len(texts)
    was_training = model.training
    model.eval()
    with torch.inference_mode():
        for b in range(0, len(order), batch_size):
            idx = order[b : b + batch_size]
            enc = tokenizer([texts[i] for i in idx], return_tensors="pt", padding=True, truncation=True, max_length=max_len).to(device)
            # room for English to run longer than the Chinese, within the position table
            limit = getattr(model.config, "max_position_embeddings", 512) - 2
            budget = min(limit, 2 * enc["input_ids"].shape[1] + 10)
            gen = model.generate(**enc, num_beams=num_beams, max_new_tokens=budget, max_length=None, do_sample=False)
            for i, text in zip(idx, tokenizer.batch_decode(gen, skip_special_tokens=True)):
                out[i] = text.strip()
    model.train(was_training)
    return out


def score(hyps: list[str], refs: list[str]) -> dict[str, tuple[float, str]]:
    """BLEU and chrF with their sacrebleu signatures (through zhbridge.evaluate when present)."""
    try:
        from zhbridge.evaluate.metrics import score_corpus
    except ImportError:
        score_corpus = None
    if score_corpus is not None:
        result = score_corpus(hyps, [refs], metrics=("BLEU", "chrF"))
        return {k.lower(): (round(v[0], 2), v[1]) for k, v in result.items()}
    from sacrebleu.metrics import BLEU, CHRF

    out = {}
    for name, metric in (("bleu", BLEU()), ("chrf", CHRF())):
        s = metric.corpus_score(hyps, [refs])
        out[name] = (round(s.score, 2), str(metric.get_signature()))
    return out


def validation_scores(model, tokenizer, valid: list[Pair] | dict[str, list[Pair]], cfg: TrainConfig) -> tuple[float, dict]:
    """The value early stopping follows, and every score for the history.

    Several named sets (mixed fine-tuning: in-domain and general) are scored apart and the
    value is their mean, so a step that gains in-domain but forgets general English is not "best".
    """
    groups = {"": valid} if isinstance(valid, list) else {name: pairs[: cfg.eval_sentences] for name, pairs in valid.items()}
    flat: dict[str, float] = {}
    values = []
    for name, pairs in groups.items():
        hyps = translate_texts(model, tokenizer, [z for z, _ in pairs], max_len=cfg.max_len)
        scores = score(hyps, [e for _, e in pairs])
        values.append(scores[cfg.metric][0])
        flat.update({(f"{name}_{k}" if name else k): v[0] for k, v in scores.items()})
    value = round(sum(values) / len(values), 2)
    if len(groups) > 1:
        flat[cfg.metric] = value
    return value, flat


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
            "rng": {"torch": torch.get_rng_state(), "python": random.getstate(),
                    "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None},
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

def freeze_unsaved_parameters(model) -> list[str]:
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
    import torch
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    cfg = config or TrainConfig()
    out = Path(out_dir)
    rank, world, local_rank = _dist_env()
    _init_distributed(world, local_rank)
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    if not train_pairs:
        raise InputError("no training pairs left (after the leakage filter?)")
    out.mkdir(parents=True, exist_ok=True)
    if not resume and (out / "train_log.jsonl").exists():
        (out / "train_log.jsonl").unlink()
    ckpt = out / CHECKPOINT
    state: dict = {"step": 0, "epoch": 0, "batch_in_epoch": 0, "best": None, "best_step": None,
                   "bad_evals": 0, "history": [], "losses": [], "elapsed_s": 0.0, "base": str(base)}
    if resume and not (ckpt / "trainer_state.json").exists():
        raise InputError(f"{out}: nothing to resume (no {CHECKPOINT}/trainer_state.json)")
    load_from = ckpt if resume else base
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
    total_steps = min(cfg.max_steps or 10**12, per_epoch * cfg.epochs)

    decay = [p for n, p in model.named_parameters() if p.ndim > 1]
    no_decay = [p for n, p in model.named_parameters() if p.ndim <= 1]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=cfg.lr, betas=(0.9, 0.98), eps=1e-9,
    )
    warm = max(1, cfg.warmup_steps)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: lr_factor(s, warm, cfg.schedule_offset))
    use_amp = device.type == "cuda"
    amp_dtype = torch.bfloat16 if use_amp and torch.cuda.is_bf16_supported() else torch.float16
    scaler = torch.amp.GradScaler("cuda") if use_amp and amp_dtype == torch.float16 else None

    if resume:
        saved = torch.load(ckpt / "trainer.pt", map_location=device, weights_only=False)
        optimizer.load_state_dict(saved["optimizer"])
        scheduler.load_state_dict(saved["scheduler"])
        if scaler is not None and saved["scaler"]:
            scaler.load_state_dict(saved["scaler"])
        state = json.loads((ckpt / "trainer_state.json").read_text(encoding="utf-8"))
        torch.set_rng_state(saved["rng"]["torch"].cpu())
        random.setstate(saved["rng"]["python"])
        if torch.cuda.is_available() and saved["rng"]["cuda"] is not None:
            torch.cuda.set_rng_state_all(saved["rng"]["cuda"])

    net = model
    if world > 1:
        net = torch.nn.parallel.DistributedDataParallel(model, device_ids=[local_rank] if device.type == "cuda" else None)
    pad_id = tokenizer.pad_token_id
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100, label_smoothing=cfg.label_smoothing)
    eval_every = cfg.eval_every or per_epoch
    valid = valid_pairs[: cfg.eval_sentences] if isinstance(valid_pairs, list) else valid_pairs
    started = time.monotonic() - state["elapsed_s"]
    stopped_by = "epochs"

    def validate(collective: bool = True) -> bool:
        """Score on validation (rank 0), keep the best model; True when patience is used up."""
        stop = False
        if rank == 0 and valid:
            value, scores = validation_scores(model, tokenizer, valid, cfg)
            state["history"].append({"step": state["step"], "epoch": round(state["epoch"] + state["batch_in_epoch"] / max(per_epoch, 1), 2),
                                     **scores, "loss": state["losses"][-1] if state["losses"] else None})
            if state["best"] is None or value > state["best"]:
                state["best"], state["best_step"], state["bad_evals"] = value, state["step"], 0
                _save_best(out, model, tokenizer)
            else:
                state["bad_evals"] += 1
                stop = state["bad_evals"] >= cfg.patience
        return _broadcast(stop, world) if collective else stop

    columns = [TextColumn("[progress.description]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} steps"), TimeElapsedColumn()]
    with Progress(*columns, disable=not progress or rank != 0, transient=False) as bar:
        task = bar.add_task("training", total=total_steps, completed=state["step"])
        done = False
        running: list[float] = []
        while not done and state["epoch"] < cfg.epochs:
            batches = make_batches(lengths, cfg.max_tokens, cfg.seed, state["epoch"])
            # every rank takes the same number of batches, or DDP's gradient all-reduce would hang
            batches = batches[: len(batches) // world * world][rank::world] if world > 1 else batches
            while state["batch_in_epoch"] < len(batches):
                batch = collate([examples[i] for i in batches[state["batch_in_epoch"]]], pad_id)
                input_ids, attention, labels = (t.to(device) for t in batch)
                decoder_input_ids = model.prepare_decoder_input_ids_from_labels(labels=labels.masked_fill(labels == -100, pad_id))
                with torch.autocast(device.type, dtype=amp_dtype, enabled=use_amp):
                    logits = net(input_ids=input_ids, attention_mask=attention, decoder_input_ids=decoder_input_ids).logits
                    loss = loss_fn(logits.float().view(-1, logits.size(-1)), labels.view(-1))
                optimizer.zero_grad(set_to_none=True)
                if scaler is not None:
                    scaler.scale(loss).backward()
                    scaler.unscale_(optimizer)
                else:
                    loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
                if scaler is not None:
                    scaler.step(optimizer)
                    scaler.update()
                else:
                    optimizer.step()
                scheduler.step()
                state["step"] += 1
                state["batch_in_epoch"] += 1
                running.append(loss.item())
                bar.update(task, advance=1, description=f"epoch {state['epoch'] + 1} loss {loss.item():.3f}")
                if state["step"] % 20 == 0 or state["step"] <= 20:
                    state["losses"].append(round(sum(running) / len(running), 4))
                    running = []
                    if rank == 0:  # a file to follow long runs with `tail -f` (the bar is not shown in logs)
                        with open(out / "train_log.jsonl", "a", encoding="utf-8") as log:
                            log.write(json.dumps({"step": state["step"], "epoch": state["epoch"], "loss": state["losses"][-1],
                                                  "lr": scheduler.get_last_lr()[0], "elapsed_s": round(time.monotonic() - started, 1)}) + "\n")
                state["elapsed_s"] = time.monotonic() - started
                if state["step"] % eval_every == 0 and validate():
                    done, stopped_by = True, "early_stopping"
                if cfg.max_steps and state["step"] >= cfg.max_steps:
                    done, stopped_by = True, "max_steps"
                if cfg.time_budget_s and state["elapsed_s"] >= cfg.time_budget_s:
                    done, stopped_by = True, "time_budget"
                if world > 1:  # rank 0's clock and validation decide for everyone
                    done, stopped_by = _broadcast((done, stopped_by), world)
                if rank == 0 and (done or state["step"] % cfg.save_every == 0):
                    _save_checkpoint(out, model, tokenizer, optimizer, scheduler, scaler, state)
                if done:
                    break
            if not done:
                state["epoch"] += 1
                state["batch_in_epoch"] = 0
        if rank == 0:
            if valid and (not state["history"] or state["history"][-1]["step"] != state["step"]):
                validate(collective=False)
            if not valid:
                _save_best(out, model, tokenizer)
            _save_checkpoint(out, model, tokenizer, optimizer, scheduler, scaler, state)
    if world > 1:
        import torch.distributed as dist

        dist.barrier()
    return TrainResult(
        out_dir=out, steps=state["step"], epochs_done=round(state["epoch"] + state["batch_in_epoch"] / max(per_epoch, 1), 2),
        best_score=state["best"], best_step=state["best_step"], stopped_by=stopped_by,
        wall_s=round(time.monotonic() - started, 1), device=_describe_device(device),
        history=state["history"], losses=state["losses"], tokens_per_epoch=sum(s + t for s, t in lengths),
    )


def _describe_device(device) -> str:
    import torch

    if device.type == "cuda":
        return f"{torch.cuda.get_device_name(device)} x{int(os.environ.get('WORLD_SIZE', 1))}"
    return f"CPU ({torch.get_num_threads()} threads)"


def write_json(path: Path, data: dict) -> None:
    atomic_write_text(path, json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n")
