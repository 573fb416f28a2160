"""The whole build on a small corpus made here: one parallel article, one Chinese-only article."""

from __future__ import annotations

import datasets
import pytest
import yaml

from zhbridge.corpus.build import _cut_into_sections, build_rows
from zhbridge.corpus.dataset import write_dataset
from zhbridge.corpus.manifest import add_document
from zhbridge.io import OutputExistsError, parse_xml

PARALLEL = (
    "\n".join(
        line
        for k in range(10)
        for line in (
            f"郑州第{k}号基地今年拍摄了{k + 10}部微短剧。演员们非常忙碌。",
            f"Zhengzhou base number {k} shot {k + 10} mini series this year. The actors are very busy.",
        )
    )
    + "\n"
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    (root / "in").mkdir()
    (root / "in" / "parallel.txt").write_text(PARALLEL, encoding="utf-8")
    (root / "in" / "article.txt").write_text("竖店的故事\n郑州被称为竖店。这里每天有上百个剧组开机。\n", encoding="utf-8")
    add_document(root, root / "in" / "parallel.txt", "parallel-interleaved", title="parallel")
    add_document(root, root / "in" / "article.txt", "zh", title="竖店的故事")
    return root


@pytest.fixture(scope="module")
def built(corpus):
    result = build_rows(corpus)
    write_dataset(result, corpus / "dataset")
    return result, corpus / "dataset"


def test_rows_cover_every_sentence_in_order(built):
    result, _ = built
    pairs = [row for name in ("train", "validation", "test") for row in result.splits[name]]
    assert len(pairs) == 20
    zh_paragraphs = PARALLEL.split("\n")[0::2]
    assert "".join(row["zh"] for row in pairs) == "".join(zh_paragraphs)
    assert [row["id"] for row in pairs] == sorted(row["id"] for row in pairs)
    assert all(row["bead"] == "1-1" for row in pairs)


def test_splits_are_contiguous_sections_of_the_document(built):
    result, _ = built
    order = [row["section"] for name in ("train", "validation", "test") for row in result.splits[name]]
    assert order == sorted(order, key=["train", "validation", "test"].index)
    paragraphs = {name: {row["para_id"] for row in result.splits[name]} for name in ("train", "validation", "test")}
    assert not (paragraphs["train"] & paragraphs["test"]) and not (paragraphs["train"] & paragraphs["validation"])
    assert [len(result.splits[name]) for name in ("train", "validation", "test")] == [14, 2, 4]


def test_section_cut_never_splits_a_paragraph_and_fills_every_split():
    assert _cut_into_sections([[1] * 5, [1] * 1, [1] * 2, [1] * 2]) == ["train", "train", "validation", "test"]
    assert _cut_into_sections([[1] * 20, [1], [1]]) == ["train", "validation", "test"]
    assert _cut_into_sections([[1], [1]]) == ["train", "validation"]


def test_dataset_on_disk_loads_with_all_splits(built):
    _, folder = built
    dataset = datasets.load_from_disk(str(folder))
    assert set(dataset) == {"train", "validation", "test", "monolingual"}  # no English summaries here
    assert {"id", "doc_id", "zh", "en", "bead", "score", "flagged", "source"} <= set(dataset["train"].column_names)
    assert dataset["monolingual"]["zh"] == ["竖店的故事", "郑州被称为竖店。这里每天有上百个剧组开机。"]
    parquet = datasets.load_dataset("parquet", data_files=str(folder / "parquet" / "train-00000-of-00001.parquet"))["train"]
    assert parquet["en"] == dataset["train"]["en"]


def test_card_has_metadata_and_split_rule(built):
    _, folder = built
    card = (folder / "README.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(card.split("---")[1])
    assert meta["language"] == ["zh", "en"] and meta["task_categories"] == ["translation"]
    assert {c["config_name"] for c in meta["configs"]} == {"parallel", "monolingual"}
    assert "never shuffled" in card and "| 1-1 | 20 |" in card


def test_tmx_and_document_alignment_written(built):
    _, folder = built
    root = parse_xml(folder / "zhbridge.tmx")
    assert len(root.findall(".//tu")) == 20
    assert (folder / "alignments" / "000-01.align").read_text().count("\n") == 20


def test_build_refuses_to_replace_a_foreign_folder(corpus, built):
    result, _ = built
    foreign = corpus / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputExistsError):
        write_dataset(result, foreign)
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_interrupted_build_leaves_previous_dataset_intact(corpus, built, monkeypatch):
    result, folder = built
    before = sorted(p.name for p in folder.iterdir())
    import zhbridge.corpus.dataset as dataset_module

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(dataset_module, "dataset_card", boom)
    with pytest.raises(KeyboardInterrupt):
        write_dataset(result, folder, overwrite=True)
    assert sorted(p.name for p in folder.iterdir()) == before
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".dataset")]


def test_staging_left_by_a_killed_build_is_removed(corpus, built):
    result, folder = built
    stale = folder.parent / ".dataset.k1ll3d"  # what mkdtemp leaves when the process is killed
    (stale / "train").mkdir(parents=True)
    write_dataset(result, folder, overwrite=True)
    assert not stale.exists() and datasets.load_from_disk(str(folder))["train"].num_rows > 0


def test_a_tiny_corpus_with_empty_splits_still_loads(tmp_path):
    (tmp_path / "p.txt").write_text(
        "郑州是微短剧之都。\nZhengzhou is the mini series capital.\n剧组同步开机。\nCrews start shooting together.\n",
        encoding="utf-8",
    )
    add_document(tmp_path, tmp_path / "p.txt", "parallel-interleaved")
    write_dataset(build_rows(tmp_path), tmp_path / "dataset")
    loaded = datasets.load_from_disk(str(tmp_path / "dataset"))  # once: IndexError on the empty splits
    assert sum(loaded[s].num_rows for s in ("train", "validation", "test")) == 2
