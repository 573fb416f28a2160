"""`zhbridge align --manifest` with the local engine: the single-pair command's bytes, failures, re-runs, manifest errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from zhbridge.align import batch
from zhbridge.align.batch import align_manifest, read_pairs
from zhbridge.align.evaluate import signature
from zhbridge.cli import app
from zhbridge.io import InputError
from zhbridge.journal import JOURNAL_NAME

from .pairs import files, write_pairs


def _statuses(out):
    return [(p["id"], p["status"]) for p in json.loads((out / "report.json").read_text(encoding="utf-8"))["pairs"]]


@pytest.mark.parametrize(("presplit", "features"), [(True, "full"), (False, "length")])
def test_batch_writes_the_single_pair_commands_bytes(tmp_path, presplit, features):
    manifest = write_pairs(tmp_path)
    flags = ["--presplit"] * presplit + ["--features", features]
    result = CliRunner().invoke(app, ["align", "--manifest", str(manifest), "--out", str(tmp_path / "out"), *flags])
    assert result.exit_code == 0, result.output
    assert "3 pairs" in result.output and "3 aligned, 0 skipped (done earlier), 0 failed" in result.output
    assert f"signature: {signature(features)}" in result.output
    single = tmp_path / "single"
    for k in range(3):
        docs = tmp_path / "docs"
        args = [str(docs / f"p{k}.zh"), str(docs / f"p{k}.en"), "--out", str(single / f"p{k}.align")]
        result = CliRunner().invoke(app, ["align", *args, "--tsv", str(single / f"p{k}.tsv"), *flags])
        assert result.exit_code == 0, result.output
    written, expected = files(tmp_path / "out"), files(single)
    assert len(expected) == 6 and {name: written[name] for name in expected} == expected
    assert written["SIGNATURE"].decode() == signature(features) + "\n"
    report = json.loads(written["report.json"])
    assert [(p["id"], p["status"], p["error"]) for p in report["pairs"]] == [(f"p{k}", "aligned", "") for k in range(3)]
    first = report["pairs"][0]
    assert first["beads"] == len((single / "p0.align").read_text().splitlines()) and first["zh_sentences"] >= 12


def test_align_eval_reads_the_batch_signature(tmp_path):
    manifest = write_pairs(tmp_path, n=1)
    align_manifest(manifest, tmp_path / "out", presplit=True, features="length")
    result = CliRunner().invoke(app, ["align-eval", str(tmp_path / "out"), str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert f"aligner: {signature('length')}" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01" * 50, "NUL byte"),
        (b"  \n\n", "empty file"),
        (b"\x81\x20\x80\xff" * 10, "not UTF-8, UTF-16 or GBK"),
        (None, "directory"),  # unreadable: a folder where the file should be
    ],
)
def test_a_broken_pair_is_reported_and_the_others_written(tmp_path, content, message):
    manifest = write_pairs(tmp_path)
    broken = tmp_path / "docs" / "p1.en"
    broken.unlink()
    if content is None:
        broken.mkdir()
    else:
        broken.write_bytes(content)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["align", "--manifest", str(manifest), "--out", str(out), "--features", "length"])
    assert result.exit_code == 1
    assert "2 aligned, 0 skipped (done earlier), 1 failed" in result.output
    failure = [line for line in result.output.splitlines() if line.startswith("zhbridge: pair p1 failed: ")]
    assert len(failure) == 1 and message in failure[0] and "p1.en" in failure[0]
    assert sorted(files(out)) == sorted([JOURNAL_NAME, "SIGNATURE", "report.json", "p0.align", "p0.tsv", "p2.align", "p2.tsv"])
    pairs = json.loads((out / "report.json").read_text(encoding="utf-8"))["pairs"]
    assert pairs[1]["status"] == "failed" and message in pairs[1]["error"] and pairs[1]["beads"] == 0


def test_rerun_redoes_only_the_pair_whose_outputs_are_gone(tmp_path):
    manifest, out = write_pairs(tmp_path), tmp_path / "out"
    first = align_manifest(manifest, out, presplit=True, features="length")
    before = files(out)
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    (out / "p1.align").unlink()
    again = align_manifest(manifest, out, presplit=True, features="length")
    assert [r.status for r in again] == ["skipped", "aligned", "skipped"]
    assert [r.counts() for r in again] == [r.counts() for r in first]  # skipped pairs keep their counts in the report
    after = files(out)
    assert {name: after[name] for name in before if name.endswith((".align", ".tsv"))} == {
        name: before[name] for name in before if name.endswith((".align", ".tsv"))
    }
    assert all(out.joinpath(name).stat().st_mtime_ns == stamps[name] for name in ("p0.align", "p0.tsv", "p2.align", "p2.tsv"))
    assert out.joinpath("p1.tsv").stat().st_mtime_ns != stamps["p1.tsv"]
    assert _statuses(out) == [("p0", "skipped"), ("p1", "aligned"), ("p2", "skipped")]


def test_a_run_killed_while_writing_finishes_on_rerun(tmp_path, monkeypatch):
    manifest, out = write_pairs(tmp_path), tmp_path / "out"
    align_manifest(write_pairs(tmp_path / "whole"), tmp_path / "whole_out", presplit=True, features="length")
    real_write = batch.atomic_write_text

    def killed_at_p1_tsv(path, text, **kwargs):
        if path.name == "p1.tsv":
            raise KeyboardInterrupt
        return real_write(path, text, **kwargs)

    monkeypatch.setattr(batch, "atomic_write_text", killed_at_p1_tsv)
    with pytest.raises(KeyboardInterrupt):
        align_manifest(manifest, out, presplit=True, features="length")
    assert (out / "p1.align").exists() and not (out / "p1.tsv").exists() and not (out / "report.json").exists()
    monkeypatch.undo()
    # p1.align is this job's (the journal says it was being written), so no --overwrite is needed
    results = align_manifest(manifest, out, presplit=True, features="length")
    assert [r.status for r in results] == ["skipped", "aligned", "aligned"]
    whole = files(tmp_path / "whole_out")
    assert {name: data for name, data in files(out).items() if name.endswith((".align", ".tsv", "SIGNATURE"))} == {
        name: data for name, data in whole.items() if name.endswith((".align", ".tsv", "SIGNATURE"))
    }


def test_files_this_job_did_not_write_need_overwrite(tmp_path):
    manifest, out = write_pairs(tmp_path), tmp_path / "out"
    out.mkdir()
    (out / "p1.align").write_text("keep me\n")
    with pytest.raises(InputError, match=r"p1\.align: already exists and is not from this batch; pass --overwrite"):
        align_manifest(manifest, out, presplit=True, features="length")
    assert files(out) == {"p1.align": b"keep me\n"}  # nothing written, not even the journal
    results = align_manifest(manifest, out, presplit=True, features="length", overwrite=True)
    assert [r.status for r in results] == ["aligned"] * 3 and (out / "p1.align").read_text() != "keep me\n"


def test_changed_input_is_not_taken_for_finished_work(tmp_path):
    manifest, out = write_pairs(tmp_path), tmp_path / "out"
    align_manifest(manifest, out, presplit=True, features="length")
    (tmp_path / "docs" / "p2.en").write_text("Only one sentence now.\n", encoding="utf-8")
    with pytest.raises(InputError, match="p2.align: already exists"):
        align_manifest(manifest, out, presplit=True, features="length")
    results = align_manifest(manifest, out, presplit=True, features="length", overwrite=True)
    assert [r.status for r in results] == ["skipped", "skipped", "aligned"] and results[2].en_sentences == 1


def test_signature_or_report_of_someone_else_needs_overwrite(tmp_path):
    manifest, out = write_pairs(tmp_path, n=1), tmp_path / "out"
    out.mkdir()
    (out / "SIGNATURE").write_text("another aligner\n")
    with pytest.raises(InputError, match="SIGNATURE: already exists"):
        align_manifest(manifest, out, presplit=True, features="length")
    assert (out / "SIGNATURE").read_text() == "another aligner\n" and not (out / JOURNAL_NAME).exists()


def _manifest(tmp_path, text):
    (tmp_path / "a.zh").write_text("第一句。\n", encoding="utf-8")
    (tmp_path / "a.en").write_text("The first.\n", encoding="utf-8")
    path = tmp_path / "pairs.tsv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("", "", "empty manifest"),
        ("\n\n", "", "empty manifest"),
        ("id\tzh\ten\n", "", "no pairs under the header line"),
        ("id\tzh\n", ":1", "header has no en column"),
        ("name\tchinese\tenglish\n", ":1", "header has no id or zh or en column"),
        ("id\tzh\ten\na\ta.zh\n", ":2", "2 columns, the header has 3"),
        ("id\tzh\ten\na\ta.zh\ta.en\nA\ta.zh\ta.en\n", ":3", "duplicate id 'A' (first on line 2)"),
        ("id\tzh\ten\n../a\ta.zh\ta.en\n", ":2", "not safe as a file name"),
        ("id\tzh\ten\n.a\ta.zh\ta.en\n", ":2", "not safe as a file name"),
        ("id\tzh\ten\na b\ta.zh\ta.en\n", ":2", "not safe as a file name"),
        ("id\tzh\ten\na\ta.zh\tmissing.en\n", ":2", "en file 'missing.en' not found"),
        ("id\tzh\ten\na\t\ta.en\n", ":2", "zh file '' not found"),
    ],
)
def test_manifest_errors_are_one_line_naming_file_and_line(tmp_path, text, where, message):
    path = _manifest(tmp_path, text)
    with pytest.raises(InputError) as error:
        read_pairs(path)
    assert str(error.value).startswith(f"{path}{where}: ") and message in str(error.value)
    assert "\n" not in str(error.value)


def test_manifest_paths_are_relative_to_its_folder(tmp_path):
    path = _manifest(tmp_path, "title\ten\tid\tzh\nx\ta.en\ta\ta.zh\n")  # any column order, extra columns ignored
    [pair] = read_pairs(path)
    assert (pair.id, pair.zh, pair.en, pair.line) == ("a", tmp_path / "a.zh", tmp_path / "a.en", 2)


def test_cli_manifest_error_is_one_line_with_status_2(tmp_path):
    path = _manifest(tmp_path, "id\tzh\ten\na\ta.zh\tmissing.en\n")
    result = subprocess.run(
        [sys.executable, "-m", "zhbridge", "align", "--manifest", str(path), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "pairs.tsv:2: en file 'missing.en' not found" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "out").exists()


@pytest.mark.parametrize("kind", ["dotdot", "absolute", "symlink"])
def test_cli_manifest_paths_outside_its_folder_are_refused(tmp_path, kind):
    """A pair naming /etc/passwd, ../x or a symlink out of the manifest's folder is refused; nothing is copied to --out."""
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    folder = tmp_path / "pairs"
    folder.mkdir()
    if kind == "symlink":
        (folder / "link.en").symlink_to(secret)
    name = {"dotdot": "../secret.txt", "absolute": str(secret), "symlink": "link.en"}[kind]
    path = _manifest(folder, f"id\tzh\ten\nabs\ta.zh\t{name}\n")
    result = subprocess.run(
        [sys.executable, "-m", "zhbridge", "align", "--manifest", str(path), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "pairs.tsv:2: en: file" in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "out").exists()
