from __future__ import annotations

import csv
import json

import pytest

from zhbridge.corpus.export import export_pairs, write_articles
from zhbridge.corpus.readers import read_tmx
from zhbridge.io import OutputExistsError

PAIRS = [
    {
        "id": "a-0",
        "doc_id": "a",
        "zh": "郑州被称为“竖店”。",
        "en": 'Zhengzhou is called "Shudian".',
        "bead": "1-1",
        "score": 0.9,
        "flagged": False,
    },
    {
        "id": "a-1",
        "doc_id": "a",
        "zh": "微短剧+\t<标签>&",
        "en": "mini series+ <tag> & more",
        "bead": "1-2",
        "score": 0.4,
        "flagged": True,
    },
]


def test_tmx_round_trips_through_the_reader(tmp_path):
    export_pairs(PAIRS, tmp_path / "out.tmx", "tmx")
    reading = read_tmx(tmp_path / "out.tmx")
    assert [(b.zh[0], b.en[0]) for b in reading.beads] == [(p["zh"].replace("\t", " "), p["en"]) for p in PAIRS]
    text = (tmp_path / "out.tmx").read_text(encoding="utf-8")
    assert '<tmx version="1.4">' in text and 'srclang="zh-CN"' in text and 'type="x-bead">1-2<' in text


def test_tsv_and_jsonl_keep_every_field(tmp_path):
    export_pairs(PAIRS, tmp_path / "out.tsv", "tsv")
    with open(tmp_path / "out.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert [row["zh"] for row in rows] == [p["zh"] for p in PAIRS]
    export_pairs(PAIRS, tmp_path / "out.jsonl", "jsonl")
    assert [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()] == PAIRS


def test_export_never_overwrites_unless_asked(tmp_path):
    target = tmp_path / "mine.tmx"
    target.write_text("user file", encoding="utf-8")
    with pytest.raises(OutputExistsError):
        export_pairs(PAIRS, target, "tmx")
    assert target.read_text(encoding="utf-8") == "user file"
    export_pairs(PAIRS, target, "tmx", overwrite=True)
    assert len(read_tmx(target).beads) == 2


def test_articles_regroup_paragraphs_in_order(tmp_path):
    rows = [
        {"doc_id": "b", "para_id": 1, "zh": "乙二。", "title": "乙一。"},
        {"doc_id": "a", "para_id": 0, "zh": "甲一。", "title": "甲一。"},
        {"doc_id": "b", "para_id": 0, "zh": "乙一。", "title": "乙一。"},
    ]
    written = write_articles(rows, tmp_path / "arts")
    assert sorted(p.name for p in written) == ["a.txt", "b.txt"]
    assert (tmp_path / "arts" / "b.txt").read_text(encoding="utf-8") == "乙一。\n\n乙二。\n"


def test_articles_refuse_to_replace_any_file_before_writing(tmp_path):
    rows = [{"doc_id": d, "para_id": 0, "zh": "文。", "title": ""} for d in ("a", "b")]
    (tmp_path / "b.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(OutputExistsError):
        write_articles(rows, tmp_path)
    assert not (tmp_path / "a.txt").exists() and (tmp_path / "b.txt").read_text(encoding="utf-8") == "keep"


def test_tmx_is_reproducible_with_readable_props(tmp_path, monkeypatch):
    import numpy as np

    from zhbridge.corpus.export import tmx_bytes

    pairs = [{**PAIRS[0], "score": float(np.float32(0.9895)), "flagged": False}]  # as datasets returns them
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = tmx_bytes(pairs)
    assert b"creationdate" not in first  # no wall clock: same pairs, same bytes
    assert b'type="x-score">0.9895<' in first and b'type="x-flagged">false<' in first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert b'creationdate="20260101T000000Z"' in tmx_bytes(pairs)


def test_export_to_dash_writes_stdout(tmp_path, monkeypatch, capsysbinary):
    monkeypatch.chdir(tmp_path)
    export_pairs(PAIRS, "-", "jsonl")
    assert [json.loads(line) for line in capsysbinary.readouterr().out.decode("utf-8").splitlines()] == PAIRS
    assert not (tmp_path / "-").exists()


def test_tmx_is_valid_tmx_1_4_and_read_by_translate_toolkit(check_tmx):
    from translate.storage import tmx as tt_tmx

    from zhbridge.corpus.export import tmx_bytes

    data = tmx_bytes(PAIRS)
    check_tmx(data)
    assert [(u.source, u.target) for u in tt_tmx.tmxfile.parsestring(data).units] == [(p["zh"], p["en"]) for p in PAIRS]
