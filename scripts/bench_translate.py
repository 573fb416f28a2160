#!/usr/bin/env python
"""Throughput and peak memory of the HF and CTranslate2 backends on the same Chinese sentences.

Each backend runs in its own child process so that peak RSS (ru_maxrss) belongs to that
backend alone. Batching is the pipeline's (sorted by length, bounded by padded tokens).
Prints the settings with the numbers.

    python scripts/bench_translate.py --model models/zhbridge-default [--ct2 DIR] [--input FILE] [-n 300]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def default_sentences(n: int) -> list[str]:
    """Chinese sentences from the corpus test split, else from the raw Chinese articles."""
    from zhbridge import paths
    from zhbridge.text.segment import split_zh

    shards = sorted((paths.DATASET_DIR / "parquet").glob("test-*-of-*.parquet"))  # name order is row order
    if shards:
        import pyarrow.parquet as pq

        zh = [s for f in shards for s in pq.read_table(f, columns=["zh"]).column("zh").to_pylist() if s.strip()]
        if len(zh) >= n:
            return zh[:n]
    sentences = []
    for f in sorted(paths.RAW_DIR.glob("*.txt")):
        for line in f.read_text(encoding="utf-8").splitlines():
            sentences += [s for s in split_zh(line) if len(s) > 4]
        if len(sentences) >= n:
            break
    return sentences[:n]


def worker(args) -> dict:
    from zhbridge.mt.models import load_translator
    from zhbridge.mt.translate import token_batches

    if args.backend == "hf" or args.device == "cuda":  # CTranslate2 alone needs no torch: keep it out of its RSS
        import torch

        torch.set_num_threads(args.threads)
    sentences = Path(args.sentences).read_text(encoding="utf-8").splitlines()
    model = args.ct2 if args.backend == "ct2" else args.model
    translator = load_translator(model, backend=args.backend, beams=args.beams, device=args.device, threads=args.threads)
    lengths = translator.source_lengths(sentences)
    items = [{"i": i} for i in range(len(sentences))]
    batches = token_batches(items, lengths, args.batch_tokens)
    translator.translate(sentences[:2])  # warm-up: lazy initialisation is not throughput
    if args.device == "cuda":
        torch.cuda.reset_peak_memory_stats()  # noqa: F821 (imported above for cuda)
    start = time.perf_counter()
    outputs = [""] * len(sentences)
    for batch in batches:
        for k, out in zip(batch, translator.translate([sentences[k] for k in batch])):
            outputs[k] = out
    elapsed = time.perf_counter() - start
    out_tokens = sum(len(ids) for ids in translator.tokenizer(text_target=outputs, add_special_tokens=False)["input_ids"])
    result = {
        "backend": args.backend,
        "device": translator.device if hasattr(translator, "device") else args.device,
        "sentences": len(sentences),
        "seconds": round(elapsed, 3),
        "sentences_per_s": round(len(sentences) / elapsed, 2),
        "src_tokens_per_s": round(sum(lengths) / elapsed, 1),
        "tgt_tokens_per_s": round(out_tokens / elapsed, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if args.device == "cuda":
        result["peak_gpu_mib"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=None, help="HF model dir (default models/zhbridge-default)")
    ap.add_argument("--ct2", default=None, help="CTranslate2 export of the same model (default: export to a temp dir, int8)")
    ap.add_argument("--input", default=None, help="one Chinese sentence per line (default: corpus test split / raw articles)")
    ap.add_argument("-n", type=int, default=300, help="number of sentences")
    ap.add_argument("--beams", type=int, default=4)
    ap.add_argument("--batch-tokens", type=int, default=4096)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--device", default=None, help="cpu, cuda, or both when a GPU exists (default)")
    ap.add_argument("--backend", default=None, help=argparse.SUPPRESS)  # worker mode
    ap.add_argument("--sentences", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.backend:
        print(json.dumps(worker(args)))
        return

    from zhbridge.mt.export import export_ct2
    from zhbridge.mt.models import resolve_model

    args.model = resolve_model(args.model)
    tmp = tempfile.TemporaryDirectory(prefix="zhbridge-bench-")
    if args.input:
        from zhbridge.io import read_lines

        sentences = [s for s in read_lines(args.input) if s.strip()][: args.n]
    else:
        sentences = default_sentences(args.n)
    sentence_file = Path(tmp.name) / "sentences.zh"
    sentence_file.write_text("\n".join(sentences) + "\n", encoding="utf-8")
    if args.ct2 is None:
        args.ct2 = str(export_ct2(args.model, Path(tmp.name) / "ct2", quantization="int8"))
    import torch

    devices = [args.device] if args.device else (["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"])
    meta = (
        json.loads((Path(args.ct2) / "zhbridge_export.json").read_text())
        if (Path(args.ct2) / "zhbridge_export.json").exists()
        else {}
    )
    print(
        f"settings: model={args.model} ct2={args.ct2} (quantization {meta.get('quantization', '?')}) "
        f"sentences={len(sentences)} beams={args.beams} batch_tokens={args.batch_tokens} threads={args.threads} "
        f"cpu={platform.processor() or platform.machine()} cores={os.cpu_count()} python={platform.python_version()}"
    )
    rows = []
    for device in devices:
        for backend in ("hf", "ct2"):
            cmd = [
                sys.executable,
                __file__,
                "--backend",
                backend,
                "--model",
                args.model,
                "--ct2",
                args.ct2,
                "--sentences",
                str(sentence_file),
                "--beams",
                str(args.beams),
                "--batch-tokens",
                str(args.batch_tokens),
                "--threads",
                str(args.threads),
                "--device",
                device,
            ]
            env = {**os.environ, "OMP_NUM_THREADS": str(args.threads)}
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
            if proc.returncode != 0:
                print(f"{backend}/{device}: failed\n{proc.stderr[-2000:]}")
                continue
            rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    header = (
        "backend",
        "device",
        "sentences",
        "seconds",
        "sentences_per_s",
        "src_tokens_per_s",
        "tgt_tokens_per_s",
        "peak_rss_mib",
        "peak_gpu_mib",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        print("| " + " | ".join(str(r.get(h, "")) for h in header) + " |")
    tmp.cleanup()


if __name__ == "__main__":
    main()
