"""A request's documents: language codes, /detect, text and HTML read as units, uploads read as the CLI reads files."""

from __future__ import annotations

import pytest

from zhbridge.io import InputError
from zhbridge.mt.documents import render_text
from zhbridge.serve.work import detect, html_document, read_upload, source_code, target_code, text_document, visible_text


@pytest.mark.parametrize("code", ["zh", "zh-Hans", "zh_Hans", "ZH-CN", " zh "])
def test_chinese_source_codes(code):
    assert source_code(code) == "zh"


def test_auto_and_refused_codes():
    assert source_code("auto") == "auto" and target_code("en-GB") == "en" and target_code("en_us") == "en"
    with pytest.raises(InputError, match=r"^ja is not supported \(source languages: zh, zh-Hans, auto\)$"):
        source_code("ja")
    with pytest.raises(InputError, match="fr is not supported"):
        target_code("fr")


def test_detect_counts_han_against_latin():
    assert detect("郑州是竖店") == [{"confidence": 100.0, "language": "zh"}]
    assert detect("竖店 is Shudian") == [{"confidence": round(100 * 9 / 11, 1), "language": "en"}]
    assert detect("2025！") == [{"confidence": 0.0, "language": "zh"}]
    assert visible_text('<a href="x">竖店</a> &amp; 郑州') == " 竖店  & 郑州"


def test_a_text_request_is_read_as_stdin_is():
    doc = text_document("第一段。\r\n\r\n第二段。", "text")
    assert [u.text for u in doc.units] == ["第一段。", "第二段。"]
    assert render_text(doc, ["First.", "Second."]) == "First.\n\nSecond."
    with pytest.raises(InputError, match="format xml: choose text or html"):
        text_document("x", "xml")


def test_html_keeps_block_markup_and_makes_inline_tags_spans():
    doc = html_document('<p>郑州是<b>竖店</b>之都。</p><script>var x="中文";</script><p>&amp;</p>')
    (unit,) = doc.units  # the script's Chinese and the lone entity are not units
    assert unit.text == "郑州是竖店之都。" and [s.text for s in unit.spans] == ["郑州是", "竖店", "之都。"]
    assert [t.ctype for t in unit.tags.values()] == ["bold"]
    assert [p for p in doc.pieces if isinstance(p, str)] == [
        "<p>",
        "</p>",
        "<script>",
        'var x="中文";',
        "</script>",
        "<p>",
        "&amp;",
        "</p>",
    ]


def test_uploads_are_read_like_files_and_odd_names_made_safe():
    doc = read_upload("../../etc/报告 (1).md", "# 标题\n\n正文。\n".encode())
    assert doc.kind == "md" and [u.text for u in doc.units] == ["标题", "正文。"]
    assert "/" not in doc.name and doc.name.endswith(".md")
    with pytest.raises(InputError, match=r"slides\.pdf: unsupported format '\.pdf'; use \.txt, \.md or \.docx"):
        read_upload("slides.pdf", b"%PDF")
    with pytest.raises(InputError):
        read_upload("empty.txt", b"")
