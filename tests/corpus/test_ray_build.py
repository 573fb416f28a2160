"""`zhbridge corpus build --engine ray` against the local build on a real local Ray cluster: the same dataset bytes, shard for shard."""

from __future__ import annotations

import pytest

from zhbridge.corpus.add import add_document
from zhbridge.corpus.build import build_rows
from zhbridge.corpus.ray_build import ray_documents
from zhbridge.io import InputError


def _parallel(n: int) -> str:
    return (
        "\n".join(
            line
            for k in range(8)
            for line in (
                f"郑州第{k + n}号基地今年拍摄了{k + 10}部微短剧。演员们非常忙碌。",
                f"Zhengzhou base number {k + n} shot {k + 10} mini series this year. The actors are very busy.",
            )
        )
        + "\n"
    )


@pytest.fixture
def corpus(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    for n in range(3):
        (source / f"p{n}.txt").write_text(_parallel(n), encoding="utf-8")
        add_document(tmp_path, source / f"p{n}.txt", "parallel-interleaved", title=f"parallel {n}")
    (source / "a.txt").write_text("竖店的故事\n郑州被称为竖店。这里每天有上百个剧组开机。\n", encoding="utf-8")
    add_document(tmp_path, source / "a.txt", "zh", title="竖店的故事")
    return tmp_path


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_ray_build_writes_the_local_dataset_bytes(corpus, ray_cluster):
    from typer.testing import CliRunner

    from zhbridge.cli import app

    for engine in ("local", "ray"):
        # shards of 3 rows: several per split, so the shard boundaries are compared too
        args = ["corpus", "build", "--corpus-dir", str(corpus), "--out", str(corpus / engine), "--engine", engine]
        result = CliRunner().invoke(app, [*args, "--shard-rows", "3"])
        assert result.exit_code == 0, result.output
    local, remote = _files(corpus / "local"), _files(corpus / "ray")
    assert "README.md" in local and "zhbridge.tmx" in local and len(local) > 10
    train_shards = [name for name in local if name.startswith("parquet/train-")]
    assert len(train_shards) > 1 and "parquet/train-00000-of-" in train_shards[0]
    assert sorted(remote) == sorted(local)
    assert [name for name in local if remote[name] != local[name]] == []


def test_ray_build_reports_the_local_builds_error(corpus, ray_cluster):
    (corpus / "raw").joinpath(sorted(p.name for p in (corpus / "raw").iterdir())[1]).write_bytes(b"\x00\x01" * 200)
    with pytest.raises(InputError) as local:
        build_rows(corpus)
    with pytest.raises(InputError) as remote:
        build_rows(corpus, map_documents=ray_documents)
    assert str(remote.value) == str(local.value) and "manifest id" in str(local.value)
