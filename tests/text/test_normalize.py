"""Normalization on the real artefacts of the seed documents."""

from __future__ import annotations

import pytest

from zhbridge.text.normalize import (
    detect_lang,
    drop_stray_initial,
    fullwidth_punctuation,
    normalize_paragraph,
    split_glued_caption,
    undouble_line,
    unwrap_hard_wrapped,
)


def test_undouble_headline_from_seed_003():
    doubled = "到到20272027年年，，全市微短剧市场规模将达全市微短剧市场规模将达100100亿元亿元"
    assert undouble_line(doubled) == "到2027年，全市微短剧市场规模将达100亿元"


def test_undouble_quoted_headline():
    assert undouble_line("新政助力打造新政助力打造““微短剧创作之都微短剧创作之都””") == "新政助力打造“微短剧创作之都”"


@pytest.mark.parametrize("line", ["天天", "谢谢", "1111", "谢谢谢谢", "天天向上", "我们天天都在拍戏，谢谢大家", "全市1111家企业"])
def test_real_repetitions_are_untouched(line):
    assert undouble_line(line) == line


def test_unwrap_joins_hard_wrapped_cjk_without_spaces():
    page = "加快打造微短剧产业基地。各开发\n区管委会要因地制\n宜，利用资源。\n\n下一段落开始了。\n"
    assert unwrap_hard_wrapped(page).paragraphs == [
        "加快打造微短剧产业基地。各开发区管委会要因地制宜，利用资源。",
        "下一段落开始了。",
    ]


def test_unwrap_joins_across_blank_line_inside_a_sentence():
    page = "健全推优机制，评测推选\n一批精品创作，并予以政\n\n支持。同时开展活动。\n"
    result = unwrap_hard_wrapped(page)
    assert result.paragraphs == ["健全推优机制，评测推选一批精品创作，并予以政支持。同时开展活动。"]
    assert any("joined across blank line" in r for r in result.repairs)


def test_unwrap_keeps_headlines_separate_and_reports_undoubling():
    page = "上一段结束了。\n\n3年后，全市规模达百亿元\n\n围绕微短剧赋能千行百业，\n充分发挥优势。\n\n到到20272027年年\n"
    result = unwrap_hard_wrapped(page)
    assert result.paragraphs == [
        "上一段结束了。",
        "3年后，全市规模达百亿元",
        "围绕微短剧赋能千行百业，充分发挥优势。",
        "到2027年",
    ]
    assert any("undoubled" in r for r in result.repairs)


def test_glued_caption_from_seed_002_is_split():
    assert split_glued_caption("郑州大志影视基地Zhengzhou Dazhi Film and Television Base") == (
        "郑州大志影视基地",
        "Zhengzhou Dazhi Film and Television Base",
    )
    assert split_glued_caption("微短剧《天下嵩山》Mini Series Songshan Under Heaven") == (
        "微短剧《天下嵩山》",
        "Mini Series Songshan Under Heaven",
    )


@pytest.mark.parametrize(
    "line",
    [
        "郑州大志影视基地",
        "The base in Zhengzhou",
        "锚定文化IP,打造差异化精品矩阵",
        "这是一个很长的中文段落。它最后提到了 Mini Series Hub",
    ],
)
def test_non_captions_are_not_split(line):
    assert split_glued_caption(line) is None


def test_stray_initial_before_function_word():
    assert drop_stray_initial("FAs domestic market competition intensifies") == (
        "As domestic market competition intensifies",
        "F",
    )
    assert drop_stray_initial("TVs are everywhere") == ("TVs are everywhere", None)


def test_halfwidth_punctuation_in_chinese_becomes_fullwidth_but_numbers_stay():
    assert fullwidth_punctuation("产业爆发:三重优势,超过4,900部(约40%)?") == "产业爆发：三重优势，超过4,900部（约40%）？"
    assert fullwidth_punctuation("10:30开机") == "10:30开机"


def test_normalize_removes_bom_zero_width_and_layout_spaces():
    assert normalize_paragraph("\ufeff结合 河南\u200b文化,争取到 2027年", "zh") == "结合河南文化，争取到2027年"
    assert normalize_paragraph("Mini\u00a0series  boom\u200b", "en") == "Mini series boom"


def test_detect_lang():
    assert detect_lang("郑州被称为竖店") == "zh"
    assert detect_lang("Zhengzhou is called Shudian") == "en"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("武建玲 李居正 王芳", "武建玲 李居正 王芳"),
        ("本报记者 武建玲 李居正", "本报记者 武建玲 李居正"),
        ("文/武建玲 李居正", "文/武建玲 李居正"),
        ("结合 河南文化", "结合河南文化"),  # a layout space still goes
        ("记者杨光 近日", "记者杨光近日"),
    ],
)
def test_spaces_between_byline_names_are_kept(text, expected):
    assert normalize_paragraph(text, "zh") == expected
