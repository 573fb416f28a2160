#!/usr/bin/env python
"""Training throughput on this machine: today's fp32 one-thread step against the fast path.

Same model architecture as the shipped one (``models/zhbridge-general``'s weights), the same real
token-bounded batches of general training pairs (``corpus/training``), the same optimiser step as
``zhbridge train`` (AdamW, clipping, label-smoothed loss). Modes, each timed on the same batches:

* ``fp32``      — one process, one thread, fp32 (the recipe of the earlier sessions);
* ``bf16``      — one process, one thread, bf16 autocast with fp32 master weights (``--precision auto``);
* ``bf16-ddp2`` — two processes of one thread each, DDP over gloo (``torchrun --nproc_per_node 2``),
  each on its own batches: the fast path when both cores are free;
* ``bf16-compile`` (with ``--compile``) — ``bf16`` through ``torch.compile(dynamic=True)`` (inductor, C++ on
  CPU); its compile time is printed apart, as the warmup steps absorb it. Not adopted unless it beats ``bf16``.

The last line is exactly ``fp32_tokens_per_s=X fast_tokens_per_s=Y speedup=Z`` (fast = the best mode).
Run it on an otherwise idle machine: another job on a core halves what the two-process mode measures.

    python scripts/bench_train.py [--model models/zhbridge-general] [--steps 12] [--warmup 2] [--compile]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _batches(model_dir: str, n: int, max_tokens: int, seed: int = 0):
    from transformers import AutoTokenizer

    from zhbridge.parallel import load_parallel
    from zhbridge.train.batching import collate, encode_pairs, make_batches

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    sources = load_parallel(seed=seed)
    pairs = [
        p
        for name in ("newstest2019_zhen", "newstest2020_zhen", "aichallenger2017_sample", "un_v1_dev_test")
        for p in sources[name]
    ]
    examples = encode_pairs(tokenizer, pairs, 128)
    lengths = [(len(s), len(t)) for s, t in examples]
    batches = make_batches(lengths, max_tokens, seed, 0)[:n]
    return tokenizer, [collate([examples[i] for i in b], tokenizer.pad_token_id) for b in batches]


def _run(mode: str, model_dir: str, batches, pad_id: int, warmup: int, rank: int = 0, world: int = 1) -> tuple[float, int]:
    """Seconds and tokens (source + target, unpadded) of the timed steps of one process."""
    import torch
    from transformers import AutoModelForSeq2SeqLM

    from zhbridge.train.finetune import freeze_unsaved_parameters

    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir)
    freeze_unsaved_parameters(model)
    model.train()
    net = model
    if world > 1:
        net = torch.nn.parallel.DistributedDataParallel(model)
    if mode.endswith("-compile"):
        # dynamic: token-bounded batches change shape every step; static shapes would recompile each time
        net = torch.compile(model, dynamic=True)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-9)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100, label_smoothing=0.1)
    use_amp = mode != "fp32"
    mine = batches[rank::world]
    seconds, tokens, warm_s = 0.0, 0, 0.0
    for i, (input_ids, attention, labels) in enumerate(mine):
        start = time.perf_counter()
        decoder_input_ids = model.prepare_decoder_input_ids_from_labels(labels=labels.masked_fill(labels == -100, pad_id))
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=use_amp):
            logits = net(input_ids=input_ids, attention_mask=attention, decoder_input_ids=decoder_input_ids).logits
            loss = loss_fn(logits.float().view(-1, logits.size(-1)), labels.view(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if i >= warmup:
            seconds += time.perf_counter() - start
            tokens += int(attention.sum()) + int((labels != -100).sum())
        else:
            warm_s += time.perf_counter() - start
    if mode.endswith("-compile"):
        print(f"{mode}: {warmup} warmup steps (compilation included) took {warm_s:.1f} s")
    return seconds, tokens


def _ddp_worker(rank: int, world: int, model_dir: str, batches, pad_id: int, warmup: int, queue) -> None:
    import torch.distributed as dist

    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=os.environ.get("BENCH_PORT", "29533"))
    dist.init_process_group("gloo", rank=rank, world_size=world)
    seconds, tokens = _run("bf16", model_dir, batches, pad_id, warmup, rank, world)
    queue.put((rank, seconds, tokens))
    dist.destroy_process_group()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(ROOT / "models" / "zhbridge-general"))
    parser.add_argument("--steps", type=int, default=12, help="timed steps per process (plus --warmup)")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=4096)
    parser.add_argument("--no-ddp", action="store_true", help="skip the two-process mode")
    parser.add_argument("--compile", action="store_true", help="also time bf16 through torch.compile")
    args = parser.parse_args()

    import torch
    import torch.multiprocessing as mp

    from zhbridge.train.finetune import cpu_has_bf16

    per_process = args.steps + args.warmup
    tokenizer, batches = _batches(args.model, 2 * per_process, args.max_tokens)
    pad_id = tokenizer.pad_token_id
    print(f"torch {torch.__version__}; native bf16: {cpu_has_bf16()}; {len(batches)} batches of <= {args.max_tokens} tokens")
    results: dict[str, float] = {}
    for mode in ("fp32", "bf16") + (("bf16-compile",) if args.compile else ()):
        # both single-process modes run the first per_process batches: the same work, timed alike
        seconds, tokens = _run(mode, args.model, batches[:per_process], pad_id, args.warmup)
        results[mode] = tokens / seconds
        print(f"{mode:10s} 1 process x 1 thread: {seconds / args.steps:.3f} s/step, {results[mode]:.0f} tokens/s")
    if not args.no_ddp:
        ctx = mp.get_context("spawn")
        queue = ctx.Queue()
        mp.spawn(_ddp_worker, args=(2, args.model, batches, pad_id, args.warmup, queue), nprocs=2, join=True)
        parts = [queue.get() for _ in range(2)]
        # the processes step in lockstep (DDP all-reduce), so the slower one's time is the wall time
        seconds = max(s for _, s, _ in parts)
        tokens = sum(t for _, _, t in parts)
        results["bf16-ddp2"] = tokens / seconds
        print(f"bf16-ddp2  2 processes x 1 thread: {seconds / args.steps:.3f} s/step, {results['bf16-ddp2']:.0f} tokens/s")
    fast = max(("bf16", "bf16-ddp2"), key=lambda m: results.get(m, 0.0))
    print(f"fast path: {fast}")
    print(
        f"fp32_tokens_per_s={results['fp32']:.0f} fast_tokens_per_s={results[fast]:.0f} speedup={results[fast] / results['fp32']:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
