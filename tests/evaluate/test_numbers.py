"""Number consistency: each source number's value found once in the English of its segment."""

from __future__ import annotations

import pytest

from zhbridge.evaluate.numbers import number_consistency
from zhbridge.io import InputError
from zhbridge.text.numbers import source_numbers


def test_codes_are_checked_verbatim():
    assert [(n.text, n.value) for n in source_numbers("范围0x81至0xFE")] == [("0x81", None), ("0xFE", None)]
    check = number_consistency(["范围0x81至0xFE"], ["from 0x81 to 0xfe"])
    assert check.accuracy == 1.0


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
