"""Numbers in text (zhbridge.text.numbers): values for checks and repair, keys for the aligner."""

from __future__ import annotations

import pytest

from zhbridge.text.numbers import en_numbers, source_numbers, target_values, zh_numbers


@pytest.mark.parametrize(
    "text, values",
    [
        ("到2027年，产业规模将达100亿元", [2027, 1e10]),
        ("拍摄三千五百部，吸引1.5万人", [3500, 15000]),
        ("增长了百分之四十，占比35.5%", [40, 35.5]),
        ("约20余万人，两亿元", [200000, 2e8]),
        ("二〇二五年十二月", [2025, 12]),
        ("共1,200部", [1200]),
        ("到2027年，產業規模將達100億元，吸引1.5萬人", [2027, 1e10, 15000]),  # Traditional scales
        ("約20餘萬人，兩億元", [200000, 2e8]),
    ],
)
def test_source_values(text, values):
    assert [n.value for n in source_numbers(text)] == pytest.approx(values)


@pytest.mark.parametrize("idiom", ["他们一起统一万一", "三五成群", "十六进制", "十分重要", "万众一心"])
def test_idiomatic_numerals_are_not_numbers(idiom):
    assert source_numbers(idiom) == []


def test_english_values_with_scales_and_words():
    values = target_values("10 billion yuan, 3,500 dramas, twenty-five studios, 1.2bn, the third, in December")
    for v in (1e10, 3500, 25, 1.2e9, 3, 12):
        assert any(abs(x - v) < 1e-6 for x in values), v


@pytest.mark.parametrize(
    "zh,en",
    [
        ("全年上线4900余部微短剧", "more than 4,900 micro-dramas went online"),
        ("2025年前10个月", "the first 10 months of 2025"),
        ("市场规模将达1.2万亿元", "the market will reach 12,000 billion yuan"),
        ("他们三十个人走了三天", "thirty of them walked for three days"),
        ("二〇二五年", "in 2025"),
    ],
)
def test_numbers_match_across_languages(zh, en):
    assert zh_numbers(zh) & en_numbers(en)


def test_number_parsing_details():
    assert zh_numbers("一百二十个") == {"#120"}
    assert zh_numbers("两万五千") == {"#25000"}
    assert "#1" not in zh_numbers("他一个人")  # a lone 一 is an article, not evidence
    assert {"#10", "#10000000"} <= en_numbers("RMB 10 million")
    assert zh_numbers("没有数字") == set()
