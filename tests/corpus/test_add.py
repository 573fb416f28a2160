"""Adding a document (zhbridge.corpus.add): ids, validation before writing, the build check."""

from __future__ import annotations

import pytest

from zhbridge.corpus.add import add_document
from zhbridge.corpus.manifest import read_manifest
from zhbridge.io import InputError

PARALLEL = "".join(f"郑州第{k}号基地拍摄了微短剧。\nZhengzhou base number {k} shot mini series.\n" for k in range(4))


def test_add_document_with_an_id_url_and_licence(tmp_path):
    (tmp_path / "a.txt").write_text("郑州被称为竖店。\n", encoding="utf-8")
    row = add_document(tmp_path, tmp_path / "a.txt", "zh", doc_id="N1-07", url="https://example.org/a", licence="CC BY 4.0")
    assert row.file == "raw/N1-07.txt" and (tmp_path / "raw" / "N1-07.txt").exists()
    assert read_manifest(tmp_path / "manifest.tsv") == [row] and row.licence == "CC BY 4.0"
    with pytest.raises(InputError, match="already in the manifest"):
        add_document(tmp_path, tmp_path / "a.txt", "zh", doc_id="N1-07")
    with pytest.raises(InputError, match="--id"):
        add_document(tmp_path, tmp_path / "a.txt", "zh", doc_id="../x")
    assert add_document(tmp_path, tmp_path / "a.txt", "zh").id == "000-01"  # numbered ids ignore the N1 series


def test_add_document_validates_before_writing(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        add_document(tmp_path, tmp_path / "empty.txt", "zh")
    assert not (tmp_path / "manifest.tsv").exists() and not (tmp_path / "raw").exists()


def test_add_document_stores_gbk_input_as_utf8(tmp_path):
    (tmp_path / "gbk.txt").write_bytes("郑州被称为竖店。".encode("gbk"))
    row = add_document(tmp_path, tmp_path / "gbk.txt", "zh", title="竖店")
    assert (tmp_path / row.file).read_text(encoding="utf-8") == "郑州被称为竖店。"
    assert read_manifest(tmp_path / "manifest.tsv")[0].title == "竖店"


def test_add_refuses_a_parallel_document_without_pairs_naming_file_and_id(tmp_path):
    (tmp_path / "zh-only.txt").write_text("郑州被称为竖店。\n剧组同步开机。\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"zh-only\.txt \(would be manifest id 000-01\).*no Chinese–English sentence pairs"):
        add_document(tmp_path, tmp_path / "zh-only.txt", "parallel-interleaved")
    assert not (tmp_path / "manifest.tsv").exists() and not (tmp_path / "raw").exists()


def test_one_paragraph_article_added_then_builds(tmp_path):
    from zhbridge.corpus.build import build_rows

    (tmp_path / "p.txt").write_text(PARALLEL, encoding="utf-8")
    (tmp_path / "one.txt").write_text("郑州微短剧产业发展迅速，剧组同步开机。\n", encoding="utf-8")
    add_document(tmp_path, tmp_path / "p.txt", "parallel-interleaved")
    row = add_document(tmp_path, tmp_path / "one.txt", "zh")
    result = build_rows(tmp_path)  # once: "clipping page line 1: article … has no body"
    assert [r["zh"] for r in result.splits["monolingual"] if r["doc_id"] == row.id] == ["郑州微短剧产业发展迅速，剧组同步开机。"]
