"""Traditional → Simplified conversion on real Traditional text (UD Chinese-PUD, tests/data/ud_pud)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from zhbridge.text import script
from zhbridge.text.script import is_traditional, to_simplified, traditional_characters

PUD = Path(__file__).resolve().parents[1] / "data" / "ud_pud" / "pud_zh_hant_en.tsv"


def pud_rows() -> list[dict]:
    with PUD.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_pud_sample_is_traditional_and_converts_completely():
    rows = pud_rows()
    assert len(rows) == 40
    for row in rows:
        zh = row["zh_hant"]
        assert is_traditional(zh), row["sent_id"]
        simplified = to_simplified(zh)
        assert len(simplified) == len(zh)  # offsets found in the conversion point into the original
        assert not is_traditional(simplified), (row["sent_id"], simplified)
        assert to_simplified(simplified) == simplified


def test_known_pud_words_come_out_simplified():
    by_id = {r["sent_id"]: r["zh_hant"] for r in pud_rows()}
    first = to_simplified(by_id["n01001011"])
    assert "虽然美国的许多数字化转型" in first and "奥巴马的特别助理" in first and "发布的博客中写道" in first
    assert "对于通过社交媒体来跟踪国会山任职变迁的人而言" in to_simplified(by_id["n01001013"])


def test_hong_kong_usage_and_industry_terms():
    # Hong Kong news style: corner quotes, the HK variant 竪 (Taiwan and OpenCC standard write 豎)
    hk = "鄭州被稱為「竪店」，橫店之後又一個短劇拍攝重鎮，霸道總裁、爛尾樓取景地與殺青宴"
    assert to_simplified(hk) == "郑州被称为「竖店」，横店之后又一个短剧拍摄重镇，霸道总裁、烂尾楼取景地与杀青宴"
    assert to_simplified("豎屏短劇出海，紅果短劇的贅婿") == "竖屏短剧出海，红果短剧的赘婿"
    # context-sensitive phrases are OpenCC's, not a character table's
    assert to_simplified("頭髮") == "头发" and to_simplified("乾隆") == "乾隆"


def test_simplified_and_latin_text_is_left_alone():
    for text in ("郑州成为微短剧创作之都", "显著提升", "著名导演", "AIGC 2025年3月", "", "Hengdian World Studios"):
        assert to_simplified(text) == text
        assert traditional_characters(text) == 0


def test_mixed_text_counts_its_traditional_characters():
    assert traditional_characters("微短劇在鄭州") == 2
    assert to_simplified("ABC 微短劇 123") == "ABC 微短剧 123"


def test_a_length_changing_rule_falls_back_to_characters(monkeypatch):
    """OpenCC phrase rules may change length (網際網路 → 互联网 in tw2sp); offsets must not move."""

    class Fake:
        def convert(self, text: str) -> str:
            return text.replace("網際網路", "互联网").replace("網", "网").replace("際", "际").replace("路", "路")

    monkeypatch.setattr(script, "_converter", lambda: Fake())
    text = "在網際網路上，「網」"
    out = to_simplified(text)
    assert len(out) == len(text)
    assert out == "在网际网路上，「网」"


@pytest.mark.parametrize("config", [script.CONFIG])
def test_the_configuration_ships_with_opencc(config):
    import opencc

    assert opencc.OpenCC(config).convert("鄭州") == "郑州"
