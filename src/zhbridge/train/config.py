"""The settings of one training run (:func:`zhbridge.train.finetune.train`), recorded in its card.

Its own module because both the loop (``finetune``) and validation (``validation``) read it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


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
    # score the starting weights first (warm starts): the card shows before/after, and a run that never
    # beats its base on the validation score keeps the base's weights as "best"
    validate_at_start: bool = False
    # "auto": bf16 autocast on a GPU with bf16 (else fp16) and on a CPU with native bf16 arithmetic
    # (AVX512-BF16 / AMX-BF16), fp32 elsewhere; master weights and the optimiser stay fp32 either way.
    precision: str = "auto"  # "auto", "fp32" or "bf16"

    def to_dict(self) -> dict:
        return asdict(self)
