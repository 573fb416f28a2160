"""`zhbridge corpus` from the command line: the main job, exports, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import datasets
import pytest
from typer.testing import CliRunner

from zhbridge.cli import app
from zhbridge.io import parse_xml
from zhbridge.paths import CORPUS_DIR

runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "dataset"
    result = runner.invoke(app, ["corpus", "build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_build_on_the_shipped_corpus(built):
    out, output = built
    assert "aligned pairs" in output and "aligner:" in output
    dataset = datasets.load_from_disk(str(out))
    assert set(dataset) == {"train", "validation", "test", "monolingual", "comparable"}
    stats = json.loads(runner.invoke(app, ["corpus", "stats", "--dataset-dir", str(out), "--json"]).output)
    from zhbridge.corpus.manifest import read_manifest

    manifest = read_manifest(CORPUS_DIR / "manifest.tsv")
    assert stats["articles"] == len(manifest) and stats["unique_articles"] == sum(1 for r in manifest if not r.duplicate_of)
    test_docs = set(dataset["test"]["doc_id"])
    assert not test_docs & set(dataset["train"]["doc_id"]) and "002-01" not in test_docs  # split by article
    assert set(dataset["test"]["translation"]) <= {"published", "project"}
    assert (
        stats["aligned_pairs"]
        == sum(stats["pairs_per_bead"].values())
        == sum(len(dataset[s]) for s in ("train", "validation", "test"))
    )
    assert any(kind in stats["pairs_per_bead"] for kind in ("1-2", "1-3"))  # the 1-to-many renderings survive
    zh_only_docs = set(dataset["monolingual"]["doc_id"])
    assert "003-01" in zh_only_docs and "002-01" not in zh_only_docs


def test_build_output_matches_the_committed_dataset(built):
    out, _ = built
    shipped = datasets.load_from_disk(str(CORPUS_DIR / "dataset"))
    fresh = datasets.load_from_disk(str(out))
    assert set(shipped) == set(fresh)
    for split in shipped:
        for column in {"zh", "en"} & set(shipped[split].column_names):
            assert shipped[split][column] == fresh[split][column], (
                f"corpus/dataset is stale ({split}.{column}): rerun zhbridge corpus build"
            )
    # the card and the Parquet shard layout too, so a change to either is shipped with the code
    assert (out / "README.md").read_text(encoding="utf-8") == (CORPUS_DIR / "dataset" / "README.md").read_text(encoding="utf-8")
    parquet = sorted(p.name for p in (out / "parquet").iterdir())
    assert parquet == sorted(p.name for p in (CORPUS_DIR / "dataset" / "parquet").iterdir())


def test_export_tmx_opens_as_xml(built, tmp_path):
    out, _ = built
    result = runner.invoke(app, ["corpus", "export", str(tmp_path / "c.tmx"), "--format", "tmx", "--dataset-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert parse_xml(tmp_path / "c.tmx").find("body") is not None


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "zhbridge", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize(
    "name, content, layout, message",
    [
        ("empty.txt", b"", "zh", "empty file"),
        ("blob.bin", bytes(range(256)) * 64, "zh", "binary"),
        (
            "xxe.tmx",
            b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]><tmx><body><tu><tuv xml:lang="zh"><seg>&x;</seg></tuv></tu></body></tmx>',
            "parallel-tmx",
            "unsafe XML",
        ),
        (
            "bomb.tmx",
            b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><tmx><body><tu><tuv xml:lang="zh"><seg>&c;</seg></tuv></tu></body></tmx>',
            "parallel-tmx",
            "unsafe XML",
        ),
        ("broken.tmx", b"<tmx><body>", "parallel-tmx", "malformed XML"),
    ],
)
def test_bad_input_gets_one_line_error_and_writes_nothing(tmp_path, name, content, layout, message):
    (tmp_path / name).write_bytes(content)
    corpus = tmp_path / "corpus"
    result = _cli("corpus", "add", str(tmp_path / name), "--layout", layout, "--corpus-dir", str(corpus))
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not corpus.exists()


def test_huge_file_is_refused_before_reading(tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    result = _cli("corpus", "add", str(huge), "--layout", "zh", "--corpus-dir", str(tmp_path / "corpus"))
    assert result.returncode == 2 and "limit" in result.stderr and not (tmp_path / "corpus").exists()


@pytest.mark.parametrize("codec", ["gbk", "utf-16", "utf-8-sig"])
def test_other_encodings_are_read_and_stored_as_utf8(tmp_path, codec):
    (tmp_path / "a.txt").write_bytes("郑州被称为竖店。微短剧+\n".encode(codec))
    result = _cli("corpus", "add", str(tmp_path / "a.txt"), "--layout", "zh", "--corpus-dir", str(tmp_path / "corpus"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "corpus" / "raw" / "000-01.txt").read_text(encoding="utf-8") == "郑州被称为竖店。微短剧+\n"


def test_export_refuses_to_overwrite(built, tmp_path):
    out, _ = built
    target = tmp_path / "mine.tsv"
    target.write_text("keep", encoding="utf-8")
    result = _cli("corpus", "export", str(target), "--format", "tsv", "--dataset-dir", str(out))
    assert result.returncode == 2 and "already exists" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep"


def test_articles_writes_each_chinese_only_article_once(built, tmp_path):
    out, _ = built
    result = runner.invoke(app, ["corpus", "articles", str(tmp_path / "arts"), "--dataset-dir", str(out)])
    assert result.exit_code == 0, result.output
    mono = datasets.load_from_disk(str(out))["monolingual"]
    files = sorted((tmp_path / "arts").glob("*.txt"))
    assert [f.stem for f in files] == sorted(set(mono["doc_id"]))
    paragraphs = [p for f in files for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    assert sorted(p.strip() for p in paragraphs) == sorted(mono["zh"])


def test_edits_from_another_folder_go_to_that_workspace_not_the_checkout(tmp_path):
    from zhbridge.paths import REPO_ROOT

    shipped = REPO_ROOT / "corpus" / "glossary" / "glossary.tsv"
    before = shipped.read_bytes()
    result = _cli(
        "glossary",
        "add",
        "工作区词",
        "workspace term",
        "--category",
        "industry term",
        "--note",
        "test",
        "--source",
        "000",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert shipped.read_bytes() == before
    copy = (tmp_path / "corpus" / "glossary" / "glossary.tsv").read_text(encoding="utf-8")
    assert "工作区词\tworkspace term" in copy and "竖店" in copy  # the shipped entries, plus the edit
    result = _cli("corpus", "remove", "000-01", cwd=tmp_path)  # no manifest in this workspace: refused, nothing touched
    assert result.returncode == 2 and "manifest.tsv" in result.stderr and (REPO_ROOT / "corpus" / "raw" / "000-01.txt").exists()


def test_build_refuses_shard_rows_below_one_before_building(tmp_path):
    result = _cli("corpus", "build", "--out", str(tmp_path / "dataset"), "--shard-rows", "0")
    assert result.returncode == 2 and "--shard-rows 0" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "dataset").exists()


def test_a_new_dataset_folder_follows_the_umask(built):
    """mkdtemp's 0700 used to stick to the renamed dataset folder."""
    import os
    import stat

    out, _ = built
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~umask


def test_a_corrupt_dataset_folder_is_one_line(tmp_path):
    import datasets as hf

    hf.DatasetDict({"train": hf.Dataset.from_dict({"zh": ["甲"], "en": ["a"]})}).save_to_disk(str(tmp_path / "d"))
    arrow = next((tmp_path / "d" / "train").glob("*.arrow"))
    arrow.write_bytes(arrow.read_bytes()[:100])
    result = _cli("corpus", "export", str(tmp_path / "x.tsv"), "--format", "tsv", "--dataset-dir", str(tmp_path / "d"))
    assert result.returncode == 2 and "not a readable dataset" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
