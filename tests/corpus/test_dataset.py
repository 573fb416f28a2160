"""The dataset folder's Parquet shards: Hub naming, row order, the card's configs and empty splits."""

from __future__ import annotations

import datasets
import pyarrow.parquet as pq
import pytest
import yaml

from zhbridge.corpus.add import add_document
from zhbridge.corpus.build import build_rows
from zhbridge.corpus.dataset import PARALLEL_COLUMNS, shard_count, shard_name, write_dataset
from zhbridge.io import InputError

ARTICLE = "竖店的故事\n郑州被称为竖店。\n这里每天有上百个剧组开机。\n演员们在片场之间奔波。\n"


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    (root / "in").mkdir()
    for k in range(10):  # ten articles, so that the by-article split fills every split
        (root / "in" / f"p{k}.txt").write_text(
            f"郑州第{k}号基地今年拍摄了{k + 10}部微短剧。演员们非常忙碌。\n"
            f"Zhengzhou base number {k} shot {k + 10} mini series this year. The actors are very busy.\n",
            encoding="utf-8",
        )
        add_document(root, root / "in" / f"p{k}.txt", "parallel-interleaved", title=f"parallel {k}")
    (root / "in" / "article.txt").write_text(ARTICLE, encoding="utf-8")
    row = add_document(root, root / "in" / "article.txt", "zh", title="竖店的故事")
    (root / "translations" / "project").mkdir(parents=True)
    (root / "translations" / "project" / f"{row.id}.tsv").write_text(
        "1\t郑州被称为竖店。\tZhengzhou is called Shudian.\n2\t这里每天有上百个剧组开机。\tHundreds of crews start shooting here every day.\n",
        encoding="utf-8",
    )
    return build_rows(root)


@pytest.fixture(scope="module")
def sharded(result, tmp_path_factory):
    return write_dataset(result, tmp_path_factory.mktemp("sharded") / "dataset", shard_rows=2)


def _card_configs(folder):
    card = (folder / "README.md").read_text(encoding="utf-8")
    return card, {c["config_name"]: c["data_files"] for c in yaml.safe_load(card.split("---")[1])["configs"]}


def test_shard_counts_and_names():
    assert [shard_count(n, 2) for n in (0, 1, 2, 3, 4, 5)] == [1, 1, 1, 2, 2, 3]
    assert shard_count(69, 100_000) == 1
    assert shard_name("train", 0, 3) == "train-00000-of-00003.parquet"


def test_each_split_is_cut_into_hub_named_shards_in_row_order(result, sharded):
    loaded = datasets.load_from_disk(str(sharded))
    for name in loaded:
        rows = len(result.splits[name])
        count = shard_count(rows, 2)
        files = sorted((sharded / "parquet").glob(f"{name}-*.parquet"))
        assert [f.name for f in files] == [shard_name(name, i, count) for i in range(count)]
        tables = [pq.read_table(f) for f in files]
        assert all(t.num_rows <= 2 for t in tables) and sum(t.num_rows for t in tables) == rows
        assert [r for t in tables for r in t.to_pylist()] == loaded[name].to_list()
    assert len(list((sharded / "parquet").glob("train-*.parquet"))) == 6  # 12 train pairs, 2 per shard
    assert not (sharded / "parquet" / "train.parquet").exists()


def test_card_configs_load_every_shard(result, sharded):
    card, configs = _card_configs(sharded)
    assert set(configs) == {"parallel", "published", "project", "monolingual"}
    for config, data_files in configs.items():
        files = {entry["split"]: str(sharded / entry["path"]) for entry in data_files}
        assert all("*" in path for path in files.values())
        loaded = datasets.load_dataset("parquet", data_files=files)
        for split in files:
            source = config if config == "monolingual" else split
            kind = config if config in ("published", "project") else None
            expected = [row["id"] for row in result.splits[source] if kind is None or row["translation"] == kind]
            assert loaded[split]["id"] == expected and expected
    split_shards = sum(1 for p in (sharded / "parquet").glob("*.parquet") if not p.name.startswith(("published-", "project-")))
    published, project = (sum(1 for r in result.splits["train"] if r["translation"] == k) for k in ("published", "project"))
    assert f"| train | 12 | {published} | {project} |" in card and f"({split_shards} files" in card and "at most 2 rows" in card


def test_card_names_the_folder_loader_config(result, sharded, tmp_path):
    # a cache of its own: the shared cache can answer for an earlier build that had the same folder path
    parallel = datasets.load_dataset(str(sharded), "parallel", cache_dir=str(tmp_path / "cache"))
    assert parallel["train"]["en"] == [row["en"] for row in result.splits["train"]]


def test_default_size_keeps_one_shard_per_split(result, tmp_path):
    folder = write_dataset(result, tmp_path / "dataset")
    names = sorted(p.name for p in (folder / "parquet").iterdir())
    splits = ["train", "validation", "test"]
    provenance = [f"{kind}-{s}" for kind in ("published", "project") for s in splits]
    assert names == sorted(shard_name(s, 0, 1) for s in [*splits, "monolingual", *provenance])


def test_an_empty_split_gets_one_readable_empty_shard(tmp_path):
    (tmp_path / "p.txt").write_text(
        "郑州是微短剧之都。\nZhengzhou is the mini series capital.\n剧组同步开机。\nCrews start shooting together.\n",
        encoding="utf-8",
    )
    add_document(tmp_path, tmp_path / "p.txt", "parallel-interleaved")
    built = build_rows(tmp_path)
    empty = [name for name in ("train", "validation", "test") if not built.splits[name]]
    assert empty  # one article cannot fill three splits
    folder = write_dataset(built, tmp_path / "dataset", shard_rows=2)
    for name in empty:
        assert [p.name for p in (folder / "parquet").glob(f"{name}-*.parquet")] == [shard_name(name, 0, 1)]
        table = pq.read_table(folder / "parquet" / shard_name(name, 0, 1))
        assert table.num_rows == 0 and table.column_names == list(PARALLEL_COLUMNS)
    _, configs = _card_configs(folder)
    files = {entry["split"]: str(folder / entry["path"]) for entry in configs["parallel"]}
    assert sorted(files) == sorted(set(("train", "validation", "test")) - set(empty))  # datasets cannot load them
    loaded = datasets.load_dataset("parquet", data_files=files)
    assert sum(loaded[name].num_rows for name in files) == 2


def test_shard_rows_below_one_is_refused_before_writing(result, tmp_path):
    with pytest.raises(InputError, match="shard-rows"):
        write_dataset(result, tmp_path / "dataset", shard_rows=0)
    assert not (tmp_path / "dataset").exists()
