#!/usr/bin/env python
"""Throughput of `zhbridge translate` with the local engine and with Ray (1 and 2 workers) on the same articles.

Each configuration runs as its own `python -m zhbridge translate` process into a fresh
folder, so every figure includes what a user waits for: imports, model loads and, for Ray,
starting a local cluster. For Ray runs the time of the translation pass alone (Ray Data's
"execution finished in" for the actor-pool pass) is printed too. Outputs of every run are
compared byte for byte with the local run's. Prints the settings with the table.

    python scripts/bench_scale.py [--articles DIR] [-n 20] [--model DIR] [--beams 4] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def corpus_articles(folder: Path) -> list[Path]:
    """The corpus's Chinese-only articles as text files (what `zhbridge corpus articles DIR` writes)."""
    import datasets

    from zhbridge import paths
    from zhbridge.corpus.export import write_articles

    dataset = datasets.load_from_disk(str(paths.DATASET_DIR))
    return sorted(Path(p) for p in write_articles(list(dataset["monolingual"]), folder))


def count_segments(files: list[Path]) -> int:
    from zhbridge.mt.documents import read_document
    from zhbridge.mt.translate import document_segments

    return sum(len(document_segments(read_document(f))) for f in files)


def run(files: list[Path], out: Path, args, engine: str, workers: int = 1) -> dict:
    cmd = [
        sys.executable,
        "-m",
        "zhbridge",
        "translate",
        *map(str, files),
        "--out",
        str(out),
        "--beams",
        str(args.beams),
        "--engine",
        engine,
    ]
    if args.model:
        cmd += ["--model", args.model]
    if engine == "ray":
        cmd += ["--workers", str(workers)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    out.with_name(out.name + ".log").write_text(f"$ {' '.join(cmd)}\n{proc.stderr}", encoding="utf-8")
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    finished = re.findall(r"execution finished in ([0-9.]+) seconds", proc.stderr)
    return {"wall": wall, "mt_pass": float(finished[-1]) if engine == "ray" and finished else None, "log": proc.stderr}


def same_bytes(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir() if not p.name.startswith("."))
    return names == sorted(p.name for p in b.iterdir() if not p.name.startswith(".")) and all(
        (a / n).read_bytes() == (b / n).read_bytes() for n in names
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, help="folder of .txt articles (default: the corpus's Chinese-only articles)")
    parser.add_argument("-n", type=int, default=20, help="articles to translate")
    parser.add_argument("--model", help="model dir (default: models/zhbridge-default)")
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--keep", type=Path, help="keep each run's outputs and its stderr (Ray's progress) in this new folder")
    args = parser.parse_args()
    if args.keep and args.keep.exists():
        sys.exit(f"{args.keep}: already exists")
    with tempfile.TemporaryDirectory(prefix="zhbridge-bench-scale-") as tmp:
        tmp = args.keep or Path(tmp)
        files = sorted(args.articles.glob("*.txt")) if args.articles else corpus_articles(tmp / "articles")
        files = files[: args.n]
        segments = count_segments(files)
        import ray
        import torch

        print(
            f"settings: {len(files)} articles, {segments} segments, model {args.model or 'models/zhbridge-default'}, "
            f"beams {args.beams}, HF backend on CPU; local engine: torch {torch.get_num_threads()} threads; "
            f"Ray {ray.__version__}: local cluster started by each run, 1 CPU (1 torch thread) per worker; "
            f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, load average "
            f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at start"
        )
        rows = [("local", "-", run(files, tmp / "local", args, "local"))]
        print(f"local: {rows[0][2]['wall']:.1f} s", file=sys.stderr, flush=True)
        for w in args.workers:
            rows.append(("ray", str(w), run(files, tmp / f"ray{w}", args, "ray", w)))
            print(f"ray {w} worker(s): {rows[-1][2]['wall']:.1f} s", file=sys.stderr, flush=True)
        print("\n| engine | workers | wall s | segments/s (wall) | translation pass s | segments/s (pass) | bytes = local |")
        print("|---|---|---|---|---|---|---|")
        for engine, workers, r in rows:
            out = tmp / ("local" if engine == "local" else f"ray{workers}")
            mt = f"{r['mt_pass']:.1f} | {segments / r['mt_pass']:.2f}" if r["mt_pass"] else "- | -"
            print(
                f"| {engine} | {workers} | {r['wall']:.1f} | {segments / r['wall']:.2f} | {mt} | "
                f"{'yes' if same_bytes(tmp / 'local', out) else 'NO'} |"
            )
        print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
