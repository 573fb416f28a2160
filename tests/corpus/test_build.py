"""The whole build on a small corpus made here: ten parallel articles, one Chinese-only article with a project translation."""

from __future__ import annotations

import datasets
import pytest
import yaml

from zhbridge.corpus.add import add_document
from zhbridge.corpus.build import ALWAYS_TRAIN, BuildResult, assign_splits, build_rows
from zhbridge.corpus.dataset import write_dataset
from zhbridge.io import OutputExistsError, parse_xml


def parallel_article(k: int) -> str:
    return (
        f"郑州第{k}号基地今年拍摄了{k + 10}部微短剧。演员们非常忙碌。\n"
        f"Zhengzhou base number {k} shot {k + 10} mini series this year. The actors are very busy.\n"
    )


ARTICLE = "竖店的故事\n郑州被称为竖店。这里每天有上百个剧组开机。\n"
PROJECT = "0\t竖店的故事\tThe story of Shudian\n1\t郑州被称为竖店。\tZhengzhou is called Shudian.\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    (root / "in").mkdir()
    for k in range(10):
        (root / "in" / f"parallel{k}.txt").write_text(parallel_article(k), encoding="utf-8")
        add_document(root, root / "in" / f"parallel{k}.txt", "parallel-interleaved", title=f"parallel {k}")
    (root / "in" / "article.txt").write_text(ARTICLE, encoding="utf-8")
    row = add_document(root, root / "in" / "article.txt", "zh", title="竖店的故事")
    (root / "translations" / "project").mkdir(parents=True)
    (root / "translations" / "project" / f"{row.id}.tsv").write_text(PROJECT, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(corpus):
    result = build_rows(corpus)
    write_dataset(result, corpus / "dataset")
    return result, corpus / "dataset"


def _pairs(result):
    return [row for name in ("train", "validation", "test") for row in result.splits[name]]


def test_rows_cover_every_sentence_and_say_who_translated(built):
    result, _ = built
    pairs = _pairs(result)
    assert len(pairs) == 22
    published = sorted((row for row in pairs if row["translation"] == "published"), key=lambda row: row["id"])
    assert "".join(row["zh"] for row in published) == "".join(parallel_article(k).split("\n")[0] for k in range(10))
    assert all(row["bead"] == "1-1" for row in pairs)
    project = [row for row in pairs if row["translation"] == "project"]
    assert [(row["zh"], row["en"]) for row in project] == [
        ("竖店的故事", "The story of Shudian"),
        ("郑州被称为竖店。", "Zhengzhou is called Shudian."),
    ]
    assert [row["para_id"] for row in project] == [0, 1] and not any(row["flagged"] for row in project)
    assert "project translation 010-01.tsv: 2 of 3 sentences" in result.repairs["010-01"]


def test_splits_are_by_article(built):
    result, _ = built
    docs = {name: {row["doc_id"] for row in result.splits[name]} for name in ("train", "validation", "test")}
    assert (
        not (docs["train"] & docs["test"])
        and not (docs["train"] & docs["validation"])
        and not (docs["validation"] & docs["test"])
    )
    assert all(row["section"] == name for name in docs for row in result.splits[name])
    # 22 pairs: test may hold 40% (8 pairs), validation 10% (2 pairs)
    assert [len(result.splits[name]) for name in ("train", "validation", "test")] == [12, 2, 8]


def _fake(docs: dict[str, int]) -> BuildResult:
    pairs = [{"doc_id": doc, "n": k} for doc, n in docs.items() for k in range(n)]
    return BuildResult(splits={"train": [], "validation": [], "test": [], "parallel": pairs})


def test_split_depends_on_article_ids_only_and_keeps_pinned_articles_in_train():
    docs = {f"N9-{k:02d}": 40 for k in range(40)} | {next(iter(ALWAYS_TRAIN)): 69}
    first, second = _fake(docs), _fake(dict(reversed(docs.items())))
    assign_splits(first)
    assign_splits(second)
    of = [{row["doc_id"]: name for name in ("train", "validation", "test") for row in r.splits[name]} for r in (first, second)]
    assert of[0] == of[1]  # manifest order does not matter
    test_docs = [doc for doc, name in of[0].items() if name == "test"]
    assert len(test_docs) == 10 and sum(docs[d] for d in test_docs) == 400  # 10 articles, >= 300 pairs
    assert of[0][next(iter(ALWAYS_TRAIN))] == "train"
    assert sum(1 for name in of[0].values() if name == "validation") == 3  # 5% of 1,669 pairs needs a third article


def test_dataset_on_disk_loads_with_all_splits(built):
    _, folder = built
    dataset = datasets.load_from_disk(str(folder))
    assert set(dataset) == {"train", "validation", "test", "monolingual"}  # no English summaries here
    assert {"id", "doc_id", "zh", "en", "bead", "score", "flagged", "source"} <= set(dataset["train"].column_names)
    assert dataset["monolingual"]["zh"] == ["竖店的故事", "郑州被称为竖店。这里每天有上百个剧组开机。"]
    assert set(dataset["train"]["translation"]) | set(dataset["test"]["translation"]) == {"published", "project"}
    parquet = datasets.load_dataset("parquet", data_files=str(folder / "parquet" / "train-00000-of-00001.parquet"))["train"]
    assert parquet["en"] == dataset["train"]["en"]


def test_card_has_metadata_and_split_rule(built):
    _, folder = built
    card = (folder / "README.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(card.split("---")[1])
    assert meta["language"] == ["zh", "en"] and meta["task_categories"] == ["translation"]
    assert {c["config_name"] for c in meta["configs"]} == {"parallel", "published", "project", "monolingual"}
    assert "Splits are by article" in card and "| 1-1 | 22 |" in card
    assert "an AI model working as project engineer" in card and "Not professionally" in card


def test_tmx_and_document_alignment_written(built):
    _, folder = built
    root = parse_xml(folder / "zhbridge.tmx")
    assert len(root.findall(".//tu")) == 22
    assert (folder / "alignments" / "000-01.align").read_text().count("\n") == 2


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
