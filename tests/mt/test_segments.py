"""The segment record (zhbridge.mt.segments): what document_segments builds, what readers get back."""

from __future__ import annotations

import json

from zhbridge.mt.documents import parse_text
from zhbridge.mt.segments import merge_done, reusable, source_text, target_text
from zhbridge.mt.translate import document_segments


def _record(i: int, src: str, tgt: str, **extra) -> dict:
    return {
        "i": i,
        "id": f"u1-s{i + 1}",
        "unit": 0,
        "sent": i,
        "src": src,
        "origin": "mt",
        "score": None,
        "tgt": tgt,
        "terms": [],
        **extra,
    }


def test_document_segments_build_source_segments_with_markup_keys_only_where_there_is_markup():
    plain = document_segments(parse_text("郑州是竖店。我们回家吧。\n", "txt"))
    assert [list(s) for s in plain] == [["i", "id", "unit", "sent", "src"]] * 2
    assert [(s["id"], s["src"]) for s in plain] == [("u1-s1", "郑州是竖店。"), ("u1-s2", "我们回家吧。")]
    marked = document_segments(parse_text("郑州是**竖店**。\n", "md"))
    [seg] = marked
    assert list(seg) == ["i", "id", "unit", "sent", "src", "inline", "tags"]
    assert [seg["src"][e["start"] : e["end"]] for e in seg["inline"]] == ["郑州是", "竖店", "。"]
    assert set(seg["inline"][0]) == {"span", "start", "end", "tags", "x"}
    # a journal or a Ray actor gets the record back from JSON unchanged
    assert json.loads(json.dumps(marked, ensure_ascii=False)) == marked


def test_source_and_target_text_follow_the_inline_entries():
    seg = _record(0, "郑州是竖店。", "Zhengzhou is Shudian.")
    assert source_text(seg) == ["郑州是竖店。"]
    assert target_text(seg) == ["Zhengzhou is Shudian."]
    entries = [
        {"span": 0, "start": 0, "end": 3, "tags": [], "x": None},
        {"span": 1, "start": 3, "end": 5, "tags": [1], "x": None},
        {"span": 2, "start": 5, "end": 6, "tags": [], "x": None},
    ]
    marked = {**seg, "inline": entries}
    assert source_text(marked) == ["郑州是", "竖店", "。"]
    assert target_text(marked) == ["Zhengzhou is Shudian."]  # tags not placed yet: one stretch
    placed = {**marked, "tgt_inline": ["Zhengzhou is ", "Shudian", "."]}
    assert target_text(placed) == ["Zhengzhou is ", "Shudian", "."]


def test_reusable_keeps_journaled_records_only_where_the_segment_is_unchanged():
    segments = [
        {"i": 0, "id": "u1-s1", "unit": 0, "sent": 0, "src": "甲。"},
        {"i": 1, "id": "u1-s2", "unit": 0, "sent": 1, "src": "乙。"},
    ]
    journaled = {0: _record(0, "甲。", "A."), 1: _record(1, "乙丙。", "B C."), 2: _record(2, "丁。", "D.")}
    assert reusable(segments, journaled) == {0: journaled[0]}  # 1 was split differently, 2 is past the end


def test_merge_done_orders_by_segment_and_lets_new_records_win():
    segments = [{"i": k, "id": f"u1-s{k + 1}", "unit": 0, "sent": k, "src": s} for k, s in enumerate(["甲。", "乙。", "丙。"])]
    done = {0: _record(0, "甲。", "old A"), 2: _record(2, "丙。", "C")}
    new = {0: _record(0, "甲。", "new A"), 1: _record(1, "乙。", "B")}
    assert [r["tgt"] for r in merge_done(segments, done, new)] == ["new A", "B", "C"]
