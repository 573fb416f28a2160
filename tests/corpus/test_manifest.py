from __future__ import annotations

import pytest

from zhbridge.corpus.add import add_document
from zhbridge.corpus.manifest import ManifestRow, import_seeds, mark_duplicates, read_manifest, write_manifest
from zhbridge.io import InputError
from zhbridge.paths import MANIFEST, RAW_DIR


def _row(id, title, publisher=""):
    return ManifestRow(id=id, title=title, publisher=publisher, date="", layout="zh", origin="x")


def test_duplicate_story_keeps_the_copy_with_a_header():
    rows = [
        _row("000-04", "西安和郑州,争当微短剧“霸总”"),
        _row("001-07", "西安和郑州，争当微短剧“霸总”", "21世纪经济报道"),
        _row("002-01", "别的"),
    ]
    mark_duplicates(rows)
    assert [r.duplicate_of for r in rows] == ["001-07", "", ""]


def test_manifest_round_trip(tmp_path):
    rows = [_row("000-01", "标题"), _row("000-02", "另一个\t标题?")]
    write_manifest(tmp_path / "m.tsv", rows)
    assert read_manifest(tmp_path / "m.tsv") == rows


def test_shipped_manifest_matches_raw_files():
    rows = read_manifest(MANIFEST)
    assert {r.file for r in rows} == {f"raw/{p.name}" for p in RAW_DIR.iterdir()}
    assert sum(1 for r in rows if r.duplicate_of) == 2
    assert {r.layout for r in rows} == {"parallel-interleaved", "parallel-interleaved-en-first", "zh", "zh+en-summary"}
    collected = [r for r in rows if r.id.startswith("N1-")]
    assert collected and all(r.url.startswith("http") and r.licence for r in collected)


def test_manifest_without_url_and_licence_columns_still_reads(tmp_path):
    old = "id\ttitle\tpublisher\tdate\tlayout\torigin\tduplicate_of\tfile\n000-01\t标题\t\t\tzh\tx\t\traw/000-01.txt\n"
    (tmp_path / "m.tsv").write_text(old, encoding="utf-8")
    (row,) = read_manifest(tmp_path / "m.tsv")
    assert (row.id, row.url, row.licence) == ("000-01", "", "")


def test_import_splits_clipping_pages_and_keeps_text_verbatim(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    page = (
        "Workflow\n微短剧\nicon\nSearch documents\n郑州,太能演了\n3 6 Ke· 2025-12-15 10:22\n在郑州航空港区,工人们夜以继日。\n"
        "深圳微短剧产业借势起飞\nCore Insights - Shenzhen supports the sector [1]\n"
    )
    (seeds / "000_abc.txt").write_text(page, encoding="utf-8")
    rows = import_seeds(seeds, tmp_path / "raw", tmp_path / "manifest.tsv")
    assert [(r.id, r.layout, r.publisher) for r in rows] == [("000-01", "zh", "3 6 Ke"), ("000-02", "zh+en-summary", "")]
    assert (tmp_path / "raw" / "000-01.txt").read_text(
        encoding="utf-8"
    ) == "郑州,太能演了\n3 6 Ke· 2025-12-15 10:22\n在郑州航空港区,工人们夜以继日。\n"


PARALLEL = "".join(f"郑州第{k}号基地拍摄了微短剧。\nZhengzhou base number {k} shot mini series.\n" for k in range(4))


def test_build_errors_name_the_file_and_manifest_id(tmp_path):
    from zhbridge.corpus.build import build_rows

    (tmp_path / "p.txt").write_text(PARALLEL, encoding="utf-8")
    row = add_document(tmp_path, tmp_path / "p.txt", "parallel-interleaved")
    (tmp_path / row.file).write_bytes(b"\x00\x01binary")
    with pytest.raises(InputError, match=rf"000-01\.txt.*{row.id}.*NUL byte"):
        build_rows(tmp_path)


def test_build_with_no_pairs_is_refused(tmp_path):
    from zhbridge.corpus.build import build_rows

    (tmp_path / "a.txt").write_text("郑州被称为竖店。\n\n剧组同步开机。\n", encoding="utf-8")
    add_document(tmp_path, tmp_path / "a.txt", "zh")
    with pytest.raises(InputError, match="no aligned sentence pairs"):
        build_rows(tmp_path)


def test_remove_drops_the_row_and_its_file(tmp_path):
    from zhbridge.corpus.manifest import read_manifest, remove_document

    (tmp_path / "p.txt").write_text(PARALLEL, encoding="utf-8")
    (tmp_path / "a.txt").write_text("郑州被称为竖店。\n", encoding="utf-8")
    first = add_document(tmp_path, tmp_path / "p.txt", "parallel-interleaved")
    second = add_document(tmp_path, tmp_path / "a.txt", "zh")
    assert remove_document(tmp_path, second.id) == second
    assert [r.id for r in read_manifest(tmp_path / "manifest.tsv")] == [first.id]
    assert not (tmp_path / second.file).exists() and (tmp_path / first.file).exists()
    with pytest.raises(InputError, match="no document with id '009-01'"):
        remove_document(tmp_path, "009-01")


def test_failed_import_writes_nothing_and_keeps_the_old_corpus(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "000_a.txt").write_text(PARALLEL, encoding="utf-8")
    rows = import_seeds(seeds, tmp_path / "raw", tmp_path / "manifest.tsv")
    before = {p.name: p.read_bytes() for p in [tmp_path / "manifest.tsv", *(tmp_path / "raw").iterdir()]}
    (seeds / "000_a.txt").write_text("新的内容。\nNew content.\n", encoding="utf-8")
    (seeds / "001_bad.txt").write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(InputError, match="001_bad.txt"):
        import_seeds(seeds, tmp_path / "raw", tmp_path / "manifest.tsv")
    after = {p.name: p.read_bytes() for p in [tmp_path / "manifest.tsv", *(tmp_path / "raw").iterdir()]}
    assert after == before and len(rows) == 1


@pytest.mark.parametrize("kind", ["dotdot", "absolute", "symlink"])
def test_corpus_remove_never_deletes_outside_the_corpus(tmp_path, kind):
    """A manifest row naming ../victim.txt, an absolute path or a symlink out of the corpus is refused, file kept."""
    import subprocess
    import sys

    corpus = tmp_path / "corpus"
    (corpus / "raw").mkdir(parents=True)
    victim = tmp_path / "victim" / "victim.txt"
    victim.parent.mkdir()
    victim.write_text("keep me\n", encoding="utf-8")
    if kind == "symlink":
        (corpus / "raw" / "link").symlink_to(victim.parent)
    name = {"dotdot": "../victim/victim.txt", "absolute": str(victim), "symlink": "raw/link/victim.txt"}[kind]
    write_manifest(corpus / "manifest.tsv", [ManifestRow("000-01", "t", "", "", "zh", "x", "", name)])
    result = subprocess.run(
        [sys.executable, "-m", "zhbridge", "corpus", "remove", "000-01", "--corpus-dir", str(corpus)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2, result.stderr
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert len(result.stderr.strip().splitlines()) == 1
    assert "outside" in result.stderr or "inside" in result.stderr
