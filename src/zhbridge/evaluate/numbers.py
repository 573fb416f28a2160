"""Number consistency: does each number (amount, percentage, date part) of the
Chinese source appear in the English translation?

Numbers are compared as values, so 1.5万 matches "15,000" and "15 thousand",
100亿元 matches "10 billion yuan", 百分之三十五 matches "35 percent", 12月 matches
"December". What is checked on the source side, and why:

- Arabic numbers, with an optional Chinese scale (万, 亿, 万亿; 多/余 between is
  allowed: 20多万 = 200,000) and percent sign;
- Chinese numerals only as runs of two or more numeral characters that contain
  a place character (十百千万亿) or 〇/零, converted by ``cn2an`` in strict mode;
  single characters (一, 三) are skipped because they are idiomatic (一起, 三五成群)
  or translated as articles ("a drama"); year digit runs (二〇二五年) are read digit
  by digit;
- 百分之… is a percentage.

English side: digits with thousands separators and decimals, optional
"thousand/million/billion/trillion" (and bn/mn), number words up to ninety-nine,
ordinals (3rd, third) and month names.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

from zhbridge.io import InputError

_ZH_SCALE = {"万": 1e4, "亿": 1e8, "万亿": 1e12, "千": 1e3, "百": 1e2}
_ZH_DIGITS = "〇零一二两三四五六七八九"
_DIGIT_VALUE = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# 十六进制 (hexadecimal), 二进制 (binary): numerals that are part of a word
_ZH_NUMERAL_RUN = re.compile(rf"[{_ZH_DIGITS}十百千万亿]+(?:点[{_ZH_DIGITS}]+)?(?!进制)")
# Letters glued to digits make a code (0x81, GB18030, A4), checked literally instead.
_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]*(?:[A-Za-z]\d|\d[A-Za-z])[A-Za-z0-9]*")
_ARABIC_ZH = re.compile(
    r"(?<![\d.A-Za-z])(\d{1,3}(?:[,，]\d{3})+(?!\d)|\d+)(\.\d+)?(?![A-Za-z])\s*(?:多|余)?\s*(万亿|亿|万)?\s*(%|％)?"
)
_PERCENT_ZH = re.compile(rf"百分之([{_ZH_DIGITS}十百千点]+)")
_YEAR_DIGITS = re.compile(rf"([{_ZH_DIGITS}]{{4}})年")

_EN_SCALE = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "hundred": 1e2,
}
_EN_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?)(?:st|nd|rd|th)?(?:\s*-?\s*(thousand|million|billion|trillion|hundred|bn|mn|k|m)\b)?",
    re.IGNORECASE,
)
_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINALS = [
    "",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
]
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def _word_values() -> dict[str, float]:
    values = {w: float(i) for i, w in enumerate(_UNITS)}
    values.update({w: float(i) for i, w in enumerate(_ORDINALS) if w})
    for t, tens in enumerate(_TENS):
        if tens:
            values[tens] = float(10 * t)
            for u in range(1, 10):
                values[f"{tens}-{_UNITS[u]}"] = float(10 * t + u)
    values.update({m: float(i) for i, m in enumerate(_MONTHS, 1)})
    values.update({"dozen": 12.0, "a hundred": 100.0, "a thousand": 1e3, "half": 0.5})
    return values


_WORD_VALUES = _word_values()
_EN_WORD = re.compile(
    r"\b("
    + "|".join(sorted((re.escape(w) for w in _WORD_VALUES), key=len, reverse=True))
    + r")(?:\s+(thousand|million|billion|trillion|hundred))?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SourceNumber:
    text: str  # as written in the source
    value: float | None  # None: a code such as 0x81 or GB18030, which must appear verbatim


@dataclass(frozen=True)
class NumberMiss:
    line: int  # 1-based
    text: str
    value: float | None
    hypothesis: str


@dataclass
class NumberCheck:
    """How many source numbers the translation carries; ``accuracy`` is None when the source has none."""

    correct: int
    total: int
    accuracy: float | None
    misses: list[NumberMiss] = field(default_factory=list)

    def to_dict(self, max_misses: int | None = None) -> dict:
        misses = self.misses if max_misses is None else self.misses[:max_misses]
        return {
            "correct": self.correct,
            "total": self.total,
            "accuracy": self.accuracy,
            "misses": [{"line": m.line, "source": m.text, "value": m.value, "hypothesis": m.hypothesis} for m in misses],
        }


def _cn2an(text: str) -> float | None:
    import cn2an

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            # strict mode refuses 两 (两亿 = 2亿) but also the sloppy readings we do not want (一万一)
            return float(cn2an.cn2an(text.replace("两", "二"), "strict"))
        except Exception:  # cn2an raises bare ValueError/KeyError on anything it can't read
            return None


def source_numbers(text: str) -> list[SourceNumber]:
    """Numbers written in a Chinese segment, with their values (see module doc for what counts)."""
    from zhbridge.text.script import to_simplified

    text = to_simplified(text)  # Traditional 萬/億/兩 read as 万/亿/两 (QA and repairs of zh-Hant sources)
    found: list[SourceNumber] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match, value: float | None) -> None:
        if value is not None and not any(m.start() < e and s < m.end() for s, e in taken):
            found.append(SourceNumber(m.group(0).strip(), value))
            taken.append(m.span())

    for m in _PERCENT_ZH.finditer(text):
        add(m, _cn2an(m.group(1)))
    for m in _YEAR_DIGITS.finditer(text):
        add(m, float("".join(str(_DIGIT_VALUE[c]) for c in m.group(1))))
    for m in _CODE.finditer(text):
        found.append(SourceNumber(m.group(0), None))
        taken.append(m.span())
    for m in _ARABIC_ZH.finditer(text):
        value = float(re.sub("[,，]", "", m.group(1)) + (m.group(2) or ""))
        if m.group(3):
            value *= _ZH_SCALE[m.group(3)]
        add(m, value)
    for m in _ZH_NUMERAL_RUN.finditer(text):
        run = m.group(0)
        if len(run) < 2 or not re.search("[十百千万亿〇零]", run):
            continue
        add(m, _cn2an(run))
    found.sort(key=lambda n: text.find(n.text))
    return found


def target_values(text: str) -> list[float]:
    """Values of the numbers in an English segment (with and without their scale word)."""
    values: list[float] = []
    for m in _EN_NUMBER.finditer(text):
        base = float(m.group(1).replace(",", ""))
        values.append(base)
        if m.group(2):
            values.append(base * _EN_SCALE[m.group(2).lower()])
    for m in _EN_WORD.finditer(text):
        base = _WORD_VALUES[m.group(1).lower()]
        values.append(base)
        if m.group(2):
            values.append(base * _EN_SCALE[m.group(2).lower()])
    return values


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def number_consistency(src: Sequence[str], hyp: Sequence[str]) -> NumberCheck:
    """Share of source numbers whose value appears in the translation of the same segment."""
    if len(src) != len(hyp):
        raise InputError(f"number check: source has {len(src)} segments but the translation has {len(hyp)}")
    correct = total = 0
    misses: list[NumberMiss] = []
    for line, (s, h) in enumerate(zip(src, hyp), 1):
        numbers = source_numbers(s)
        if not numbers:
            continue
        available = target_values(h)
        for number in numbers:
            total += 1
            if number.value is None:
                hit = 0 if number.text.lower() in h.lower() else None
            else:
                hit = next((i for i, v in enumerate(available) if _same(v, number.value)), None)
                if hit is not None:
                    available.pop(hit)  # one English number answers for one source number
            if hit is None:
                misses.append(NumberMiss(line, number.text, number.value, h))
            else:
                correct += 1
    return NumberCheck(correct, total, correct / total if total else None, misses)
