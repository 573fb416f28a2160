"""Greedy decoding and corpus scores for validation during training (and for scoring a finished run)."""

from __future__ import annotations

from typing import Any

from zhbridge.train.config import TrainConfig

Pair = tuple[str, str]


def translate_texts(
    model: Any, tokenizer: Any, texts: list[str], batch_size: int = 32, num_beams: int = 1, max_len: int = 128
) -> list[str]:
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
            enc = tokenizer([texts[i] for i in idx], return_tensors="pt", padding=True, truncation=True, max_length=max_len).to(
                device
            )
            # room for English to run longer than the Chinese, within the position table
            limit = getattr(model.config, "max_position_embeddings", 512) - 2
            budget = min(limit, 2 * enc["input_ids"].shape[1] + 10)
            gen = model.generate(**enc, num_beams=num_beams, max_new_tokens=budget, max_length=None, do_sample=False)
            for i, text in zip(idx, tokenizer.batch_decode(gen, skip_special_tokens=True)):
                out[i] = text.strip()
    model.train(was_training)
    return out


def score(hyps: list[str], refs: list[str]) -> dict[str, tuple[float, str]]:
    """``{"bleu": (score, signature), "chrf": ...}``, scores rounded to 2 decimals (zhbridge.evaluate's metrics)."""
    from zhbridge.evaluate.metrics import score_corpus

    result = score_corpus(hyps, [refs], metrics=("BLEU", "chrF"))
    return {k.lower(): (round(v[0], 2), v[1]) for k, v in result.items()}


def validation_scores(
    model: Any, tokenizer: Any, valid: list[Pair] | dict[str, list[Pair]], cfg: TrainConfig
) -> tuple[float, dict]:
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
