"""A translation run killed with kill -9 resumes from its journal (zhbridge.journal) and finishes identically."""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

from zhbridge.journal import DELAY_ENV, JOURNAL_NAME


def _segment_lines(path):
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if rec.get("type") == "segment":
            out.append(rec)
    return out


def test_kill_9_then_rerun_finishes_identically_each_segment_once(translate_args, tmp_path, zh_sentences):
    from typer.testing import CliRunner

    from zhbridge.cli import app

    docs = tmp_path / "in"
    docs.mkdir()
    inputs = []
    for n in range(2):
        p = docs / f"a{n}.txt"
        p.write_text(
            "\n\n".join("".join(zh_sentences[(k + n) % 10 : (k + n) % 10 + 2]) for k in range(0, 4, 2)) + "\n", encoding="utf-8"
        )
        inputs.append(str(p))

    def args(out):
        return translate_args(inputs, out)

    reference = tmp_path / "uninterrupted"
    assert CliRunner().invoke(app, args(reference)).exit_code == 0
    total = len(_segment_lines(reference / JOURNAL_NAME))
    assert total == 8

    out = tmp_path / "killed"
    env = {**os.environ, DELAY_ENV: "0.3", "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "zhbridge", *args(out)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.time() + 60
    while len(_segment_lines(out / JOURNAL_NAME)) < 2 and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    journaled = len(_segment_lines(out / JOURNAL_NAME))
    assert 2 <= journaled < total

    rerun = CliRunner().invoke(app, args(out))
    assert rerun.exit_code == 0, rerun.output
    for name in ("a0.txt", "a1.txt"):
        for suffix in ("", ".xlf", ".tsv", ".qa.json", ".qa.md"):
            assert (out / f"{name}{suffix}").read_bytes() == (reference / f"{name}{suffix}").read_bytes(), name + suffix
    per_segment = Counter((r["doc"], r["i"]) for r in _segment_lines(out / JOURNAL_NAME))
    assert len(per_segment) == total and set(per_segment.values()) == {1}
