"""The settings of one training run (:func:`zhbridge.train.finetune.train`), recorded in its card.

Its own module because both the loop (``finetune``) and validation (``validation``) read it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


def cli(help: str = "", *, flag: str | None = None, scale: float | None = None, **limits: float) -> dict[str, Any]:
    """Field metadata that makes a :class:`TrainConfig` field a ``zhbridge train`` option (read by
    ``zhbridge.cli.train``, so a new option is one field): its help, the flag when it is not
    ``--field-name``, ``scale`` from the flag's unit to the field's, and typer's ``min``/``max``."""
    return {"cli": {"help": help or None, "flag": flag, "scale": scale, "limits": limits}}


@dataclass
class TrainConfig:
    epochs: int = field(default=10, metadata=cli(min=1))
    max_steps: int | None = field(default=None, metadata=cli("Stop after this many optimiser steps.", min=1))
    lr: float = field(default=5e-4, metadata=cli())
    warmup_steps: int = field(default=400, metadata=cli(flag="--warmup"))
    # steps a warm-started base already took: the lr decay continues from there
    schedule_offset: int = field(
        default=0,
        metadata=cli(
            "Warm start: steps the base already trained (its card's cumulative steps); the learning-rate decay continues from there instead of restarting.",
            min=0,
        ),
    )
    # per batch, counted as padded source + target tokens
    max_tokens: int = field(default=4096, metadata=cli("Padded source+target tokens per batch (per process)."))
    max_len: int = 128  # pieces per side; longer segments are truncated
    label_smoothing: float = 0.1
    weight_decay: float = 0.0
    grad_clip: float = 1.0
    eval_every: int = field(default=0, metadata=cli("Steps between validations (0 = once per epoch)."))
    save_every: int = 200  # steps between checkpoints (also saved at each validation)
    patience: int = field(default=3, metadata=cli("Validations without improvement before early stopping.", min=1))
    metric: str = field(default="chrf", metadata=cli("Validation metric for early stopping: chrf or bleu."))
    # validation subset size (greedy decoding) to keep evaluation cheap
    eval_sentences: int = field(
        default=400,
        metadata=cli(
            "Validate on at most this many pairs of each validation set (greedy decoding; fewer = cheaper validations).",
            min=1,
        ),
    )
    seed: int = field(default=0, metadata=cli())
    # torch CPU threads; None = torch's default
    threads: int | None = field(default=None, metadata=cli("torch CPU threads (keep low on a shared machine)."))
    # stop (and checkpoint) after this much training time; the option is in minutes
    time_budget_s: float | None = field(
        default=None,
        metadata=cli(
            "Stop after this many minutes of training (checkpointed; --resume continues).", flag="--time-budget", scale=60
        ),
    )
    # the last share of the run (of --max-steps or --time-budget, whichever ends it first) in which the
    # learning rate falls linearly to zero: without it a warm-started run restarts near the peak rate
    # and stops there, so the annealing gain never reaches the shipped weights
    cooldown: float = field(
        default=0.0,
        metadata=cli(
            "Share of the run (of --max-steps or --time-budget) at its end over which the learning rate falls linearly to zero (0 = off).",
            min=0,
            max=1,
        ),
    )
    # score the starting weights first (warm starts): the card shows before/after, and a run that never
    # beats its base on the validation score keeps the base's weights as "best"
    validate_at_start: bool = False
    # "auto": bf16 autocast on a GPU with bf16 (else fp16) and on a CPU with native bf16 arithmetic
    # (AVX512-BF16 / AMX-BF16), fp32 elsewhere; master weights and the optimiser stay fp32 either way.
    precision: str = field(
        default="auto",
        metadata=cli("auto (bf16 autocast where the GPU or CPU has native bf16, else fp32), fp32 or bf16; weights stay fp32."),
    )

    def to_dict(self) -> dict:
        return asdict(self)
