#!/usr/bin/env python
"""Throughput and latency of `zhbridge serve` at 1, 8 and 32 concurrent clients vs `zhbridge translate` on the same sentences.

The sentences are the first N of the corpus's Chinese-only articles (the dataset's ``monolingual`` split,
segmented as the pipeline segments them); nothing from ../shared is read. The CLI translates them as one
``--lines`` file in its own process (wall time, and wall time less a one-line run's, i.e. without imports and
model load). The server is started once, on a free loopback port, warmed up, and then each level sends every
sentence as its own POST /translate from C client threads; latency is per request. TM and post-edits are off
on both sides, so every sentence goes through the model. Run it pinned to one core, e.g.

    taskset -c 1 python scripts/bench_serve.py [-n 24] [--model DIR] [--beams 4] [--clients 1 8 32]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path


def corpus_sentences(n: int) -> list[str]:
    import datasets

    from zhbridge import paths
    from zhbridge.text.normalize import normalize_paragraph
    from zhbridge.text.segment import split_zh

    seen: dict[str, None] = {}
    for row in datasets.load_from_disk(str(paths.DATASET_DIR))["monolingual"]:
        for s in split_zh(normalize_paragraph(row["zh"], "zh")):
            if s.strip():
                seen.setdefault(s.strip(), None)
        if len(seen) >= n:
            break
    return list(seen)[:n]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(lines: list[str], common: list[str], folder: Path) -> float:
    src = folder / f"in{len(lines)}.txt"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.perf_counter()
    out = folder / f"out{len(lines)}"
    cmd = [sys.executable, "-m", "zhbridge", "translate", str(src), "--lines", "--out", str(out), *common]
    subprocess.run(cmd, check=True, capture_output=True, timeout=1800)
    return time.perf_counter() - start


def post(url: str, q: str) -> float:
    body = urllib.parse.urlencode({"q": q, "source": "zh", "target": "en"}).encode()
    start = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url + "/translate", data=body), timeout=600) as response:
        json.loads(response.read())["translatedText"]
    return time.perf_counter() - start


def health(url: str) -> dict:
    with urllib.request.urlopen(url + "/health", timeout=30) as response:
        return json.loads(response.read())


def level(url: str, sentences: list[str], clients: int) -> dict:
    latencies: list[float] = []
    todo = list(range(len(sentences)))
    lock = threading.Lock()

    def client() -> None:
        while True:
            with lock:
                if not todo:
                    return
                k = todo.pop(0)
            seconds = post(url, sentences[k])
            with lock:
                latencies.append(seconds)

    passes = health(url)["batches"]
    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    latencies.sort()
    return {
        "clients": clients,
        "requests": len(latencies),
        "wall": wall,
        "rps": len(latencies) / wall,
        "p50": statistics.median(latencies),
        "p95": latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))],
        "passes": health(url)["batches"] - passes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=24, help="sentences (each level sends every one once)")
    parser.add_argument("--model", default=None, help="model dir (default models/zhbridge-default)")
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="torch threads, server and CLI alike")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--batch-window-ms", type=float, default=20.0)
    args = parser.parse_args()

    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    sentences = corpus_sentences(args.n)
    common = ["--tm", "none", "--postedits", "none", "--beams", str(args.beams), "--threads", str(args.threads)]
    if args.model:
        common += ["--model", args.model]
    with tempfile.TemporaryDirectory(prefix="bench_serve_") as tmp:
        folder = Path(tmp)
        cli_wall = run_cli(sentences, common, folder)
        cli_startup = run_cli(sentences[:1], common, folder)
        port = free_port()
        log = open(folder / "serve.log", "wb")
        server = subprocess.Popen(
            [sys.executable, "-m", "zhbridge", "serve", "--port", str(port), "--batch-window-ms", str(args.batch_window_ms),
             "--max-queue", str(max(64, 2 * max(args.clients))), *common],
            stdout=log, stderr=subprocess.STDOUT, cwd=folder,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 300
            while True:
                try:
                    health(url)
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit(f"server did not start: {(folder / 'serve.log').read_text()[-2000:]}") from None
                    time.sleep(0.3)
            for s in sentences[:2]:  # warm-up: first-call allocations are not throughput
                post(url, s)
            results = [level(url, sentences, c) for c in args.clients]
        finally:
            server.terminate()
            server.wait(timeout=60)
            log.close()
    n = len(sentences)
    translation_only = max(cli_wall - cli_startup, 1e-9)
    print(
        f"zhbridge serve vs zhbridge translate: {n} corpus sentences, model {args.model or 'models/zhbridge-default'}, "
        f"beams {args.beams}, {args.threads} torch thread(s), TM off, glossary enforcement on, batch window "
        f"{args.batch_window_ms:g} ms; {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs visible, "
        f"affinity {sorted(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}"
    )
    print(f"CLI (one --lines file): {cli_wall:.1f} s wall = {n / cli_wall:.2f} sentences/s; "
          f"less a 1-line run's {cli_startup:.1f} s (imports, model load): {n / translation_only:.2f} sentences/s")  # fmt: skip
    print("| clients | requests | wall s | requests/s | p50 s | p95 s | model passes |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['clients']} | {r['requests']} | {r['wall']:.1f} | {r['rps']:.2f} | {r['p50']:.2f} | {r['p95']:.2f} | {r['passes']} |"
        )


if __name__ == "__main__":
    main()
