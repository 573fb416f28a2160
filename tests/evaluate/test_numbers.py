"""Number consistency: Chinese numerals and 万/亿 scales compared by value with the English."""

from __future__ import annotations

import pytest

from zhbridge.evaluate.numbers import number_consistency, source_numbers, target_values
from zhbridge.io import InputError


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


def test_codes_are_checked_verbatim():
    assert [(n.text, n.value) for n in source_numbers("范围0x81至0xFE")] == [("0x81", None), ("0xFE", None)]
    check = number_consistency(["范围0x81至0xFE"], ["from 0x81 to 0xfe"])
    assert check.accuracy == 1.0


def test_english_values_with_scales_and_words():
    values = target_values("10 billion yuan, 3,500 dramas, twenty-five studios, 1.2bn, the third, in December")
    for v in (1e10, 3500, 25, 1.2e9, 3, 12):
        assert any(abs(x - v) < 1e-6 for x in values), v


def test_consistency_counts_and_misses():
    src = ["到2027年，规模将达100亿元", "拍摄三千五百部", "没有数字"]
    good = ["By 2027 it will reach 10 billion yuan", "3,500 dramas were shot", "No numbers"]
    bad = ["By 2026 it will reach 10 billion yuan", "many dramas were shot", "No numbers"]
    assert number_consistency(src, good).accuracy == 1.0
    result = number_consistency(src, bad)
    assert (result.correct, result.total) == (1, 3)
    assert [(m.line, m.value) for m in result.misses] == [(1, 2027), (2, 3500)]


def test_each_english_number_answers_once():
    assert number_consistency(["3部和3集"], ["3 dramas and episodes"]).correct == 1


def test_length_mismatch():
    with pytest.raises(InputError):
        number_consistency(["一", "二"], ["one"])
