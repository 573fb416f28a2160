from __future__ import annotations

import pytest

from zhbridge.corpus.readers import (
    read_clipped_article,
    read_interleaved,
    read_monolingual,
    read_paired,
    read_tmx,
    split_clipping_page,
)
from zhbridge.io import InputError
from zhbridge.paths import RAW_DIR

INTERLEAVED = """“准备好了吗?”“来,3、2、1,开始……”
"Are you ready?" "Alright, 3, 2, 1, action..."
郑州大志影视基地Zhengzhou Dazhi Film and Television Base
当前郑州微短剧仍深陷“爽点套路”。原创力不足。
At present, Zhengzhou's mini series remain trapped in formulas.
Zhang Yongqiang notes clear weaknesses in originality.
FAs a result, originality is scarce.
"""


def test_interleaved_pairs_paragraphs_and_keeps_many_to_one():
    reading = read_interleaved(INTERLEAVED)
    assert [b.kind for b in reading.beads] == ["1-1", "1-1", "1-3"]
    assert reading.beads[0].zh == ["“准备好了吗？”“来，3、2、1，开始……”"]
    assert reading.beads[1].zh == ["郑州大志影视基地"] and reading.beads[1].en == ["Zhengzhou Dazhi Film and Television Base"]
    assert reading.beads[2].en[2] == "As a result, originality is scarce."
    assert any("glued caption" in r for r in reading.repairs) and any("stray 'F'" in r for r in reading.repairs)


def test_interleaved_on_the_shipped_seed_keeps_every_paragraph():
    text = (RAW_DIR / "002-01.txt").read_text(encoding="utf-8")
    reading = read_interleaved(text)
    kinds = [b.kind for b in reading.beads]
    assert "1-3" in kinds and "1-2" in kinds  # one zh paragraph rendered as three, another as two
    en_lines = sum(len(b.en) for b in reading.beads)
    assert len(reading.beads) == 40 and en_lines == 40 + 3
    assert not reading.zh_only and not reading.en_only


def test_paired_files(tmp_path):
    (tmp_path / "a.zh").write_text("第一段。\n\n第二段。\n", encoding="utf-8")
    (tmp_path / "a.en").write_text("First paragraph.\n\nSecond paragraph.\n", encoding="utf-16")
    reading = read_paired(tmp_path / "a.zh", tmp_path / "a.en")
    assert [(b.zh, b.en) for b in reading.beads] == [(["第一段。"], ["First paragraph."]), (["第二段。"], ["Second paragraph."])]


def test_paired_files_with_different_paragraph_counts_become_one_block(tmp_path):
    (tmp_path / "a.zh").write_text("第一段。\n第二段。\n", encoding="utf-8")
    (tmp_path / "a.en").write_text("Only one paragraph.\n", encoding="utf-8")
    reading = read_paired(tmp_path / "a.zh", tmp_path / "a.en")
    assert len(reading.beads) == 1 and reading.beads[0].kind == "2-1" and reading.repairs


def test_tmx_reader(tmp_path):
    path = tmp_path / "m.tmx"
    path.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="zh-CN"/><body>
<tu><tuv xml:lang="zh-CN"><seg>竖店</seg></tuv><tuv xml:lang="en-US"><seg>Shudian</seg></tuv></tu>
<tu><tuv xml:lang="fr"><seg>ignoré</seg></tuv></tu>
</body></tmx>""",
        encoding="utf-8",
    )
    reading = read_tmx(path)
    assert [(b.zh, b.en) for b in reading.beads] == [(["竖店"], ["Shudian"])]
    assert "skipped" in reading.repairs[0]


def test_tmx_reader_refuses_external_entity(tmp_path):
    path = tmp_path / "evil.tmx"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<tmx version="1.4"><body><tu><tuv xml:lang="zh"><seg>&x;</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="unsafe XML"):
        read_tmx(path)


def test_monolingual_unwraps_a_hard_wrapped_page():
    page = "\n".join(
        [
            "加快打造微短剧产业",
            "基地。各开发区管委",
            "会要因地制宜，利用",
            "辖区内的古建旧厂、",
            "闲置楼宇等场所及文",
            "旅资源，积极培育出",
            "至少 1个拍摄基地，",
            "并对现有的拍摄基地",
            "进行提档升级，提升",
            "一站式服务功能。",
        ]
    )
    reading = read_monolingual(page)
    assert reading.zh_only == [
        "加快打造微短剧产业基地。各开发区管委会要因地制宜，利用辖区内的古建旧厂、闲置楼宇等场所及文旅资源，积极培育出至少1个拍摄基地，并对现有的拍摄基地进行提档升级，提升一站式服务功能。"
    ]


PAGE = """Workflow
微短剧创作之都
icon
Search documents
郑州,太能演了
3 6 Ke· 2025-12-15 10:22
在郑州航空港区,富士康的工人们夜以继日。
西安和郑州,争当微短剧“霸总”
Core Insights - The micro-short drama market is projected to reach 100 billion yuan by 2027 [1]
"""


def test_clipping_page_split_into_articles_with_and_without_header():
    articles = split_clipping_page(PAGE)
    assert [(a.title, a.publisher, a.date, a.time, a.layout) for a in articles] == [
        ("郑州,太能演了", "3 6 Ke", "2025-12-15", "10:22", "zh"),
        ("西安和郑州,争当微短剧“霸总”", "", "", "", "zh+en-summary"),
    ]
    assert (articles[0].first_line, articles[0].last_line) == (5, 7)


def test_clipped_article_reports_truncation_and_keeps_summary_apart():
    article, reading = read_clipped_article("标题\nJing Ji Ri Bao· 2026-01-19 22:10\n正文第一句。正文被截\ufffd\n")
    assert reading.zh_only == ["标题", "正文第一句。正文被截"] and reading.repairs
    _, summary = read_clipped_article("标题\nCore Insights - Zhengzhou has emerged as a hub [1]\n")
    assert summary.zh_only == ["标题"] and summary.en_only == ["Core Insights - Zhengzhou has emerged as a hub [1]"]


def test_clipping_article_without_body_is_an_error():
    with pytest.raises(InputError, match="no body"):
        split_clipping_page("Search documents\n标题\n3 6 Ke· 2025-12-15 10:22\n")


def test_interleaved_with_english_first_pairs_each_english_with_the_chinese_after_it():
    text = (
        "Zhengzhou Leads the Short Drama World\n郑州C位出镜微短剧江湖\n"
        "Over 800 companies. More than 40,000 employees.\n郑州的微短剧企业已超800家。从业人员超过4万人。\n"
        "A cut-off last paragraph without its Chinese\n"
    )
    reading = read_interleaved(text, en_first=True)
    assert [(b.zh, b.en) for b in reading.beads] == [
        (["郑州C位出镜微短剧江湖"], ["Zhengzhou Leads the Short Drama World"]),
        (["郑州的微短剧企业已超800家。从业人员超过4万人。"], ["Over 800 companies. More than 40,000 employees."]),
    ]
    assert reading.en_only == ["A cut-off last paragraph without its Chinese"]
