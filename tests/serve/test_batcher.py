"""Concurrent requests are pooled into shared model passes, and every answer equals `zhbridge translate`'s output."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import threading

from .client import child_env, get, post
from .conftest import ZH

N = 50


def test_fifty_concurrent_requests_all_answered_equal_to_the_cli(server, engine_args, workspace, tmp_path):
    url, _ = server
    # two-sentence texts, all different: segmentation and reassembly run as well as the model
    texts = [a + b for a, b in itertools.islice(itertools.permutations(ZH, 2), N)]
    before = json.loads(get(url + "/health")[1])["batches"]
    answers: list = [None] * N
    start = threading.Barrier(N)

    def client(k: int) -> None:
        start.wait()
        answers[k] = post(url + "/translate", {"q": texts[k], "source": "zh", "target": "en"}, timeout=600)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a[0] for a in answers] == [200] * N
    passes = json.loads(get(url + "/health")[1])["batches"] - before
    assert 1 <= passes < N  # requests shared model passes instead of running one by one

    inputs = tmp_path / "in"
    inputs.mkdir()
    for k, text in enumerate(texts):
        (inputs / f"t{k:02d}.txt").write_text(text, encoding="utf-8")
    files = sorted(inputs.iterdir())
    cli = subprocess.run(
        [sys.executable, "-m", "zhbridge", "translate", *map(str, files), "--out", str(tmp_path / "out"), *engine_args],
        cwd=workspace, env=child_env(workspace), capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    expected = [(tmp_path / "out" / f.name).read_text(encoding="utf-8") for f in files]
    assert [a[1]["translatedText"] for a in answers] == expected
    assert len(set(expected)) > N // 2  # the tiny model tells inputs apart, so a mix-up would show


def test_a_list_request_is_one_queue_slot_and_keeps_order(server):
    url, _ = server
    single = [post(url + "/translate", {"q": q, "source": "zh"})[1]["translatedText"] for q in ZH[:4]]
    status, answer = post(url + "/translate", {"q": ZH[:4], "source": "zh"}, json_body=True)
    assert status == 200 and answer["translatedText"] == single
