"""Over-long sentences become clause-sized segments: nothing is dropped, and a residual cut is flagged."""

from __future__ import annotations

import dataclasses
import time

import pytest

from zhbridge.mt.clauses import MAX_SEGMENT_CHARS, split_long
from zhbridge.mt.documents import parse_text
from zhbridge.mt.translate import document_segments, translate_text

CLAUSE = "郑州市微短剧产业联盟成立大会在竖店举行，"


def _paragraph(chars: int) -> str:
    """One 'sentence' of ``chars`` characters: clauses joined by commas, no full stop until the end."""
    return (CLAUSE * (chars // len(CLAUSE) + 1))[: chars - 1] + "。"


@pytest.mark.parametrize(
    "text",
    [
        _paragraph(3000),
        "、".join(["微短剧"] * 400),
        "微短剧" * 1000,  # no cut point at all: hard cut
        ("AI short drama " * 60) + "微短剧" * 200,  # spaces, then hard
        "短",
    ],
)
def test_pieces_concatenate_back_and_stay_under_the_limit(text):
    pieces = split_long(text)
    assert "".join(pieces) == text
    assert all(0 < len(p) <= MAX_SEGMENT_CHARS for p in pieces)


def test_clause_marks_are_preferred_to_spaces_and_hard_cuts():
    pieces = split_long(_paragraph(400))
    assert len(pieces) > 1 and all(p.endswith(("，", "。")) for p in pieces)


def test_a_3000_character_paragraph_is_segmented_whole():
    """It used to be one 3,000-character segment, cut at the model's 512 positions."""
    text = _paragraph(3000)
    segments = document_segments(parse_text(text, "txt"))
    assert len(segments) >= 3000 // MAX_SEGMENT_CHARS
    assert "".join(s["src"] for s in segments) == text
    assert [s["id"] for s in segments[:2]] == ["u1-s1", "u1-s2"]


def test_a_3000_character_paragraph_is_translated_whole_and_fast(engine):
    text = _paragraph(3000)
    start = time.perf_counter()
    english, report = translate_text(text, engine)
    elapsed = time.perf_counter() - start
    s = report["summary"]
    assert s["segments"] >= 20 and s["mt"] + s["tm_exact"] + s["tm_fuzzy"] == s["segments"]
    assert s["source_cut"] == 0 and not [i for i in report["issues"] if i["kind"] == "source-cut"]
    assert english.count(" ") >= s["segments"] - 1
    assert elapsed < 120, f"{elapsed:.0f} s for 3,000 characters"


def test_a_residual_cut_is_flagged_and_counted(engine, monkeypatch):
    # a model window smaller than a clause: the cut cannot be avoided, so QA must say so
    monkeypatch.setattr(engine.translator, "options", dataclasses.replace(engine.translator.options, max_positions=8))
    _, report = translate_text("郑州是微短剧创作之都，竖店吸引了很多演员。", engine)
    assert report["summary"]["source_cut"] >= 1
    assert any(i["kind"] == "source-cut" for i in report["issues"])
