from __future__ import annotations

import csv
import json

import pytest

from zhbridge.corpus.export import export_pairs
from zhbridge.corpus.readers import read_tmx
from zhbridge.io import OutputExistsError

PAIRS = [
    {"id": "a-0", "doc_id": "a", "zh": "郑州被称为“竖店”。", "en": 'Zhengzhou is called "Shudian".', "bead": "1-1", "score": 0.9, "flagged": False},
    {"id": "a-1", "doc_id": "a", "zh": "微短剧+\t<标签>&", "en": "mini series+ <tag> & more", "bead": "1-2", "score": 0.4, "flagged": True},
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
