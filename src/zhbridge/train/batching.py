"""Training batches: token ids of the pairs, token-bounded batches of similar lengths, padded tensors.

The batch order is a pure function of (seed, epoch), so a resumed run can rebuild the epoch it
stopped in and continue at the same batch.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch

Pair = tuple[str, str]


def encode_pairs(tokenizer: Any, pairs: list[Pair], max_len: int) -> list[tuple[list[int], list[int]]]:
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


def collate(examples: list[tuple[list[int], list[int]]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Padded source ids, attention mask and labels (-100 where padded, so the loss skips them)."""
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
