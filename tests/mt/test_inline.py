"""Inline markup across translation: span structure, tag placement, and round trips through the pipeline."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhbridge.mt.inline import Span, map_spans, markdown_render, markdown_spans, move_spaces, segment_entries

ISSUE_MD = "郑州被称为**竖店**，微短剧产业发展迅速。"


def entries_of(spans):
    out, pos = [], 0
    for s in spans:
        out.append({"start": pos, "end": pos + len(s.text), "tags": list(s.tags), "x": s.x})
        pos += len(s.text)
    return out


@pytest.mark.parametrize(
    "text",
    [
        ISSUE_MD,
        "运行`zhbridge translate`命令，见[官网](https://example.org/a_b)和*斜体*[^1]。",
        "![封面图片](img/cover.png)与~~旧~~数据<br>以及__粗体中的[链接](u)__。",
        "没有任何标记的一句话。",
    ],
)
def test_markdown_inline_syntax_round_trips_unchanged(text):
    spans, tags = markdown_spans(text)
    assert markdown_render(spans, tags, [s.text for s in spans]) == text


def test_markdown_spans_lift_markup_out_of_the_model_text():
    spans, tags = markdown_spans("运行`pip`，见[官网](https://x.org)和*斜体*[^1]。")
    assert "".join(s.text for s in spans) == "运行pip，见官网和斜体。"
    assert [t.ctype for t in tags.values()] == ["x-code", "link", "italic", "x-footnote"]
    assert [s.x for s in spans if s.x is not None] == [4]


def test_glossary_landmark_pins_the_bold_word():
    spans, tags = markdown_spans(ISSUE_MD)
    src = "".join(s.text for s in spans)
    tgt = "Zhengzhou is known as Shudian, and the micro-short drama industry is developing rapidly."
    start = tgt.index("Shudian")
    pieces = map_spans(src, entries_of(spans), tgt, [(5, 7, start, start + len("Shudian"))])
    assert pieces == ["Zhengzhou is known as ", "Shudian", ", and the micro-short drama industry is developing rapidly."]
    assert markdown_render(spans, tags, pieces) == (
        "Zhengzhou is known as **Shudian**, and the micro-short drama industry is developing rapidly."
    )


def test_without_landmarks_tags_fall_at_proportional_positions_and_keep_a_word():
    spans, _ = markdown_spans("郑州被称为**竖店**，微短剧产业发展迅速。")
    tgt = "Zhengzhou is called the vertical town and grows fast."
    pieces = map_spans("".join(s.text for s in spans), entries_of(spans), tgt)
    assert "".join(pieces) == tgt
    assert pieces[1].strip() and re.search(r"\w", pieces[1])
    assert pieces[1] == pieces[1].strip()


def test_crossing_landmarks_are_dropped_so_order_is_kept():
    # two bold words whose landmarks would swap them: the chain keeps one, the other goes proportional
    spans = [Span("甲"), Span("乙", (1,)), Span("和"), Span("丙", (2,)), Span("。")]
    tgt = "Third and second ."
    lms = [(1, 2, 10, 16), (3, 4, 0, 5)]
    pieces = map_spans("甲乙和丙。", entries_of(spans), tgt, lms)
    assert "".join(pieces) == tgt
    assert pieces[1].strip() and pieces[3].strip()


def test_sentence_entries_use_bx_ex_for_a_run_across_sentences():
    spans = [Span("前文"), Span("加粗。也加粗", (1,)), Span("后文。")]
    from zhbridge.mt.inline import Tag

    out = segment_entries(spans, {1: Tag(1, "bold")}, "前文加粗。也加粗后文。", [(0, 5), (5, 11)])
    assert [[e["span"] for e in s["entries"]] for s in out] == [[0, 1], [1, 2]]
    assert [s["roles"] for s in out] == [[[1, "bold", "bx"]], [[1, "bold", "ex"]]]
    assert [(e["start"], e["end"]) for e in out[0]["entries"]] == [(0, 2), (2, 5)]
    assert [(e["start"], e["end"]) for e in out[1]["entries"]] == [(0, 3), (3, 6)]


def test_spaces_move_outside_closing_and_opening_tags():
    assert move_spaces(["a ", "b ", "c"], [(), (1,), ()]) == ["a ", "b", " c"]
    assert move_spaces(["a", " b", "c"], [(), (1,), ()]) == ["a ", "b", "c"]


# ----------------------------------------------------------------------- property test over run structures

FORMATS = st.sampled_from(["plain", "bold", "italic", "link", "code", "note"])
CJK = st.text(alphabet="郑州竖店微短剧产业发展迅速演员拍摄", min_size=1, max_size=6)
ENGLISH = st.lists(
    st.sampled_from(
        ["Zhengzhou", "is", "known", "as", "Shudian", "and", "the", "drama", "grows", ",", "fast", "120", "million", "."]
    ),
    min_size=0,
    max_size=14,
).map(" ".join)
MARKUP = {"bold": ("**", "**"), "italic": ("*", "*"), "link": ("[", "](https://example.org)"), "code": ("`", "`")}


def markdown_of(runs):
    parts = []
    for fmt, text in runs:
        if fmt == "note":
            parts.append(f"[^{len(parts)}]")
        elif fmt == "plain":
            parts.append(text)
        else:
            parts.append(MARKUP[fmt][0] + text + MARKUP[fmt][1])
    return "".join(parts)


def tag_sequence(text):
    spans, tags = markdown_spans(text)
    return [(tags[t].ctype, tags[t].open, tags[t].close) for t in sorted(tags)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    runs=st.lists(st.tuples(FORMATS, CJK), min_size=1, max_size=7).filter(
        lambda rs: all(a[0] != b[0] or a[0] == "note" for a, b in zip(rs, rs[1:]))
    ),
    english=ENGLISH,
)
def test_random_run_structures_keep_every_tag_in_order(runs, english):
    source = markdown_of(runs)
    spans, tags = markdown_spans(source)
    src = "".join(s.text for s in spans)
    pieces = map_spans(src, entries_of(spans), english)
    assert "".join(pieces) == english  # nothing lost or duplicated
    out = markdown_render(spans, tags, pieces)
    # every tag's markup is in the output, in source order
    pos = 0
    for tag in (tags[t] for t in sorted(tags)):
        found = out.find(tag.open, pos)
        assert found >= 0, (source, out, tag)
        pos = found + len(tag.open)
    words = len(re.findall(r"\w+", english))
    tagged_with_words = [k for k, s in enumerate(spans) if s.tags and re.search(r"\w", s.text)]
    if words >= len(tagged_with_words) + 1:
        for k in tagged_with_words:
            assert re.search(r"\w", pieces[k]), (source, english, pieces)
        # read back, the translation has the source's tags, same kinds, same order
        assert tag_sequence(out) == tag_sequence(source), (source, out)
