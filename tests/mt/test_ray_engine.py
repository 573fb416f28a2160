"""`--engine ray` against the local engine on a real local Ray cluster: same bytes, same resume behaviour."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from zhbridge.io import InputError
from zhbridge.journal import DELAY_ENV, JOURNAL_NAME
from zhbridge.mt.articles import as_article, expand_inputs
from zhbridge.mt.ray_engine import translate_files_ray
from zhbridge.mt.translate import output_paths, translate_files
from zhbridge.ray_cluster import RayOptions


def _articles(folder, zh_sentences, count=4):
    folder.mkdir()
    paths = []
    for n in range(count):
        paragraphs = ["".join(zh_sentences[(k + n) % 10 : (k + n) % 10 + 2]) for k in range(0, 6, 2)]
        if n % 2:  # Markdown: heading and list markers stay verbatim; bold is inline markup carried through
            path = folder / f"a{n}.md"
            bold = f"**{paragraphs[2][:4]}**{paragraphs[2][4:]}"
            path.write_text(f"# {paragraphs[0]}\n\n- {paragraphs[1]}\n- {bold}\n", encoding="utf-8")
        else:
            path = folder / f"a{n}.txt"
            path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def _journal(folder):
    path = folder / JOURNAL_NAME
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:  # a line torn by kill -9
            continue
    return out


def _assert_same_outputs(paths, a, b):
    for path in paths:
        for kind, produced in output_paths(path, b).items():
            expected = output_paths(path, a)[kind]
            assert produced.read_bytes() == expected.read_bytes(), f"{path.name} {kind}"


def test_ray_engine_writes_the_local_engines_bytes(engine, zh_sentences, tmp_path, ray_cluster):
    import docx

    paths = _articles(tmp_path / "in", zh_sentences)
    word = docx.Document()
    word.add_paragraph(zh_sentences[0] + zh_sentences[3])
    word.add_paragraph("竖店吸引了许多演员。")  # fuzzy TM match
    styled = word.add_paragraph(zh_sentences[7][:4])
    styled.add_run(zh_sentences[7][4:]).bold = True  # a run format: inline markup
    word.save(tmp_path / "in" / "w.docx")
    broken = tmp_path / "in" / "broken.txt"
    broken.write_bytes(b"\x00\x01\x02" * 100)
    # an articles dataset: its rows travel to the Ray tasks as text, not as paths
    dataset = tmp_path / "in" / "batch.jsonl"
    rows = [
        {"id": "r0", "text": zh_sentences[8] + zh_sentences[9]},
        {"id": "r1", "text": ""},
        {"id": "r2", "text": f"# {zh_sentences[1]}", "format": "md"},
    ]
    dataset.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    [(_, _, articles)] = expand_inputs([dataset])
    inputs = [*paths, tmp_path / "in" / "w.docx", *articles, broken]

    local = translate_files(inputs, tmp_path / "local", engine)
    remote = translate_files_ray(inputs, tmp_path / "ray", engine, options=RayOptions(workers=2))
    assert [(r.path, r.status, r.message, r.summary) for r in remote] == [(r.path, r.status, r.message, r.summary) for r in local]
    assert [r.status for r in remote] == ["translated"] * 6 + ["failed", "translated", "failed"]
    assert "binary" in remote[-1].message and "text is empty" in remote[-3].message
    done = [item for item, r in zip(inputs, remote) if r.status == "translated"]
    _assert_same_outputs([as_article(item).path for item in done], tmp_path / "local", tmp_path / "ray")
    segments = [r for r in _journal(tmp_path / "ray") if r["type"] == "segment"]
    assert len(segments) == sum(r.summary["segments"] for r in remote if r.summary)

    # a second run finds the job done, as the local engine would
    again = translate_files_ray(done, tmp_path / "ray", engine, options=RayOptions(workers=1))
    assert [r.status for r in again] == ["skipped"] * 7


def test_kill_9_of_the_ray_driver_then_rerun_finishes_like_local(translate_args, zh_sentences, tmp_path, ray_cluster):
    from typer.testing import CliRunner

    from zhbridge.cli import app

    paths = _articles(tmp_path / "in", zh_sentences, count=5)

    def args(out, *extra):
        return translate_args(paths, out, *extra)

    reference = tmp_path / "local"
    assert CliRunner().invoke(app, args(reference)).exit_code == 0
    total = Counter(r["doc"] for r in _journal(reference) if r["type"] == "segment")

    # the driver sleeps after journaling each document, so it dies with some documents journaled and some not
    out = tmp_path / "killed"
    env = {**os.environ, DELAY_ENV: "1.5", "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "zhbridge", *args(out, "--engine", "ray", "--address", ray_cluster)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 120
    while not any(r["type"] == "segment" for r in _journal(out)) and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()[-3000:]
    journaled = Counter(r["doc"] for r in _journal(out) if r["type"] == "segment")
    assert 1 <= len(journaled) < len(total)

    rerun = CliRunner().invoke(app, args(out, "--engine", "ray", "--workers", "1"))
    assert rerun.exit_code == 0, rerun.output
    # a journaled document is skipped (outputs written) or resumed (killed before writing them); the rest translated
    statuses = Counter(
        line.split(" ", 1)[0]
        for line in rerun.output.splitlines()
        if line.startswith(("skipped ", "resumed ", "translated ", "failed "))
    )
    assert statuses["skipped"] + statuses["resumed"] == len(journaled)
    assert statuses["translated"] == len(total) - len(journaled) and not statuses["failed"]
    _assert_same_outputs(paths, reference, out)
    per_segment = Counter((r["doc"], r["i"]) for r in _journal(out) if r["type"] == "segment")
    assert len(per_segment) == sum(total.values()) and set(per_segment.values()) == {1}


def _translate_actor_pids():
    """PIDs of Ray worker processes running a TranslateActor (Ray titles them ``ray::MapWorker(MapBatches(TranslateActor))``)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                title = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if title.startswith(b"ray::") and b"TranslateActor" in title:
                pids.append(int(proc.name))
    return pids


def test_kill_9_of_a_ray_worker_mid_run_still_finishes_like_local(translate_args, zh_sentences, tmp_path, ray_cluster):
    from typer.testing import CliRunner

    from zhbridge.cli import app

    paths = _articles(tmp_path / "in", zh_sentences, count=4)
    reference = tmp_path / "local"
    assert CliRunner().invoke(app, translate_args(paths, reference)).exit_code == 0

    out = tmp_path / "ray"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "zhbridge",
            *translate_args(paths, out, "--engine", "ray", "--address", ray_cluster, "--workers", "1"),
        ],
        env={**os.environ, "OMP_NUM_THREADS": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # the actor is killed as soon as it exists: it is loading the model or translating the first document
    deadline, killed = time.time() + 120, []
    while not killed and proc.poll() is None and time.time() < deadline:
        for pid in _translate_actor_pids():
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        time.sleep(0.02)
    _, stderr = proc.communicate(timeout=300)
    assert killed, "no TranslateActor process was seen"
    assert proc.returncode == 0, stderr.decode()[-3000:]
    # Ray restarted the actor and retried its batch; the driver journaled each segment once
    _assert_same_outputs(paths, reference, out)
    per_segment = Counter((r["doc"], r["i"]) for r in _journal(out) if r["type"] == "segment")
    assert set(per_segment.values()) == {1}
    assert len(per_segment) == sum(1 for r in _journal(reference) if r["type"] == "segment")


def test_engine_option_is_checked(tiny_model, tmp_path):
    from typer.testing import CliRunner

    from zhbridge.cli import app

    result = CliRunner().invoke(
        app, ["translate", "x.txt", "--out", str(tmp_path), "--model", str(tiny_model), "--engine", "spark"]
    )
    assert isinstance(result.exception, InputError) and "choose local or ray" in str(result.exception)
