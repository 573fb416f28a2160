"""Numbers in Chinese and English text: one vocabulary, two readings.

The vocabulary (Chinese digits and scales, English number words, ordinals, month names and
scale words) is spelled once here and shared by every stage that reads numbers.

Two readings sit on it, for two needs:

- **values** (:func:`source_numbers`, :func:`target_values`, :func:`same_value`): what evaluation
  (number consistency), QA and number repair compare. Strict, so that a miss is a real miss:
  1.5万 matches "15,000" and "15 thousand", 100亿元 matches "10 billion yuan", 百分之三十五
  matches "35 percent", 12月 matches "December".
- **keys** (:func:`zh_numbers`, :func:`en_numbers`): the aligner's cheap evidence, a set of
  ``#value`` strings per sentence to intersect, read loosely (every numeral run, no cn2an).

What the value reading takes from the Chinese side, and why:

- Arabic numbers, with an optional Chinese scale (万, 亿, 万亿; 多/余 between is
  allowed: 20多万 = 200,000) and percent sign;
- Chinese numerals only as runs of two or more numeral characters that contain
  a place character (十百千万亿) or 〇/零, converted by ``cn2an`` in strict mode;
  single characters (一, 三) are skipped because they are idiomatic (一起, 三五成群)
  or translated as articles ("a drama"); year digit runs (二〇二五年) are read digit
  by digit;
- 百分之… is a percentage;
- letters glued to digits (0x81, GB18030, A4) are a code, with no value: it must appear verbatim.

English side: digits with thousands separators and decimals, optional
"thousand/million/billion/trillion" (and bn/mn), number words up to ninety-nine,
ordinals (3rd, third) and month names.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

# ---------------------------------------------------------------- vocabulary

ZH_DIGITS = "〇零一二两三四五六七八九"
ZH_DIGIT_VALUE = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
ZH_UNIT = {"十": 10, "百": 100, "千": 1000}  # place characters inside a section
ZH_BIG = {"万": 10_000, "亿": 100_000_000}  # section scales
ZH_SCALE = {**ZH_BIG, "万亿": 1_000_000_000_000}  # what may follow an Arabic number (1.2万, 3万亿)

EN_UNITS = [
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
EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
EN_ORDINALS = [
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
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
EN_SCALE_WORDS = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
EN_SCALE = {**EN_SCALE_WORDS, "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9}  # with the abbreviations (10bn, 5m)

# ---------------------------------------------------------------- values

# 十六进制 (hexadecimal), 二进制 (binary): numerals that are part of a word
_ZH_NUMERAL_RUN = re.compile(rf"[{ZH_DIGITS}十百千万亿]+(?:点[{ZH_DIGITS}]+)?(?!进制)")
# Letters glued to digits make a code (0x81, GB18030, A4), checked literally instead.
_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]*(?:[A-Za-z]\d|\d[A-Za-z])[A-Za-z0-9]*")
_ARABIC_ZH = re.compile(
    r"(?<![\d.A-Za-z])(\d{1,3}(?:[,，]\d{3})+(?!\d)|\d+)(\.\d+)?(?![A-Za-z])\s*(?:多|余)?\s*(万亿|亿|万)?\s*(%|％)?"
)
_PERCENT_ZH = re.compile(rf"百分之([{ZH_DIGITS}十百千点]+)")
_YEAR_DIGITS = re.compile(rf"([{ZH_DIGITS}]{{4}})年")

# An English number in digits, with its scale word if any: group 1 the digits, group 2 the scale.
EN_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?)(?:st|nd|rd|th)?(?:\s*-?\s*(thousand|million|billion|trillion|hundred|bn|mn|k|m)\b)?",
    re.IGNORECASE,
)


def _word_values() -> dict[str, float]:
    values = {w: float(i) for i, w in enumerate(EN_UNITS)}
    values.update({w: float(i) for i, w in enumerate(EN_ORDINALS) if w})
    for t, tens in enumerate(EN_TENS):
        if tens:
            values[tens] = float(10 * t)
            for u in range(1, 10):
                values[f"{tens}-{EN_UNITS[u]}"] = float(10 * t + u)
    values.update({m.lower(): float(i) for i, m in enumerate(MONTH_NAMES, 1)})
    values.update({"dozen": 12.0, "a hundred": 100.0, "a thousand": 1e3, "half": 0.5})
    return values


EN_WORD_VALUES = _word_values()  # English number words, ordinals and months, lowercase -> value
_EN_WORD = re.compile(
    r"\b("
    + "|".join(sorted((re.escape(w) for w in EN_WORD_VALUES), key=len, reverse=True))
    + r")(?:\s+(thousand|million|billion|trillion|hundred))?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SourceNumber:
    text: str  # as written in the source
    value: float | None  # None: a code such as 0x81 or GB18030, which must appear verbatim


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
        add(m, float("".join(str(ZH_DIGIT_VALUE[c]) for c in m.group(1))))
    for m in _CODE.finditer(text):
        found.append(SourceNumber(m.group(0), None))
        taken.append(m.span())
    for m in _ARABIC_ZH.finditer(text):
        value = float(re.sub("[,，]", "", m.group(1)) + (m.group(2) or ""))
        if m.group(3):
            value *= ZH_SCALE[m.group(3)]
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
    for m in EN_NUMBER.finditer(text):
        base = float(m.group(1).replace(",", ""))
        values.append(base)
        if m.group(2):
            values.append(base * EN_SCALE[m.group(2).lower()])
    for m in _EN_WORD.finditer(text):
        base = EN_WORD_VALUES[m.group(1).lower()]
        values.append(base)
        if m.group(2):
            values.append(base * EN_SCALE[m.group(2).lower()])
    return values


def same_value(a: float, b: float) -> bool:
    """Whether two numbers read from text are the same value (float noise of 1.2 * 1e8 aside)."""
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


# ---------------------------------------------------------------- alignment keys

_DIGITS = re.compile(r"\d+(?:[,，]\d{3})*(?:\.\d+)?")
_ZH_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
# the aligner's English words: units to twenty, tens, scales to a billion, ordinals to tenth, and a few more
_KEY_SCALE = {w: EN_SCALE_WORDS[w] for w in ("hundred", "thousand", "million", "billion")}
_KEY_WORDS: dict[str, float] = {
    **{w: float(i) for i, w in enumerate(EN_UNITS)},
    **{w: float(10 * t) for t, w in enumerate(EN_TENS) if w},
    **_KEY_SCALE,
    **{w: float(i) for i, w in enumerate(EN_ORDINALS[:11]) if w},
    "dozen": 12.0,
    "twice": 2.0,
    "half": 0.5,
}


def _key(value: float) -> str:
    return "#" + (str(int(value)) if float(value).is_integer() else f"{value:g}")


def _zh_numeral_value(s: str) -> int | None:
    if not any(c in ZH_UNIT or c in ZH_BIG for c in s):
        # 二〇二五 is read digit by digit; a lone 一 is usually "a", not "one"
        if len(s) == 1 and s in "一两":
            return None
        return int("".join(str(ZH_DIGIT_VALUE[c]) for c in s))
    total, section, digit = 0, 0, None
    for c in s:
        if c in ZH_DIGIT_VALUE:
            digit = ZH_DIGIT_VALUE[c]
        elif c in ZH_UNIT:
            section += (1 if digit is None else digit) * ZH_UNIT[c]
            digit = None
        else:
            section += digit or 0
            total += (section or 1) * ZH_BIG[c]
            section, digit = 0, None
    return total + section + (digit or 0)


def zh_numbers(text: str) -> set[str]:
    """Number keys of a Chinese sentence: ``4900余部`` -> #4900, ``1.2万`` -> #1.2 and #12000, ``三十`` -> #30."""
    found: set[str] = set()
    value: float | None
    for m in _DIGITS.finditer(text):
        value = float(m.group().replace(",", "").replace("，", ""))
        found.add(_key(value))
        nxt = text[m.end() : m.end() + 1]
        if nxt in ZH_BIG:
            found.add(_key(value * ZH_BIG[nxt]))
    for m in _ZH_NUMERAL.finditer(text):
        try:
            value = _zh_numeral_value(m.group())
        except (KeyError, ValueError):
            value = None
        if value is not None and value != 1:
            found.add(_key(value))
    return found


def en_numbers(text: str) -> set[str]:
    """Number keys of an English sentence: ``4,900`` -> #4900, ``10 million`` -> #10 and #10000000, ``three`` -> #3."""
    found: set[str] = set()
    words = text.lower().replace("-", " ").split()
    for m in _DIGITS.finditer(text):
        value = float(m.group().replace(",", ""))
        found.add(_key(value))
        following = text[m.end() : m.end() + 12].lower().split()
        if following and following[0] in _KEY_SCALE:
            found.add(_key(value * _KEY_SCALE[following[0]]))
    for w in words:
        w = w.strip(".,;:!?\"'()“”‘’")
        if w in _KEY_WORDS and w not in ("one", "first"):
            found.add(_key(_KEY_WORDS[w]))
    return found
