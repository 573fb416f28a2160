"""Number repair after decoding: a small model garbles digits (``120个`` → ``20202``), and no
term-style constraint protects them, so every source number whose value the translation lacks
replaces, in order, an English number whose value the source lacks.

Values come from :mod:`zhbridge.text.numbers`, the reader of the QA report and of the
evaluation's number check, so a repair here is exactly a mismatch the QA report would have
counted. A missing number with nothing wrong to replace is left for QA: inserting it blindly
would put it in the wrong place.

Dates are one unit: ``2024年3月5日`` reads ``March 5, 2024``, ``2024年10月`` ``October 2024``,
``1月13日`` ``January 13``. A date the translation lacks replaces the date-like stretch the
model wrote (numbers and month names next to each other, ``20202 March``) as a whole, so
its year, month and day are not patched one by one into the wrong slots. A segment that
is nothing but a number or date with a counter or currency (a table cell: ``120个``,
``1.2亿元``) needs no model at all: :func:`number_only` gives its English.
"""

from __future__ import annotations

import re

from zhbridge.text.numbers import EN_NUMBER, MONTH_NAMES, same_value, source_numbers, target_values

_SCALES = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")]
_ZH_DATE = re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?")
_EN_MONTH = "|".join(MONTH_NAMES + [m[:3] + r"\." for m in MONTH_NAMES])
_DATE_TOKEN = rf"(?:\b(?:{_EN_MONTH})\b|(?<![\w.])\d+(?:st|nd|rd|th)?(?![\w.]))"
# numbers and month names joined by spaces, dashes, slashes, "of" or a comma before a year: "20202 March", "5th of May"
_EN_DATE_LIKE = re.compile(rf"{_DATE_TOKEN}(?:(?:\s+of\s+|\s*[-/]\s*|,\s*(?=\d{{4}}\b)|\s+){_DATE_TOKEN})*", re.IGNORECASE)
# what may stand next to a lone number in a table cell: counters and currency (元 → yuan)
_COUNTERS = "个部家件次名人位集条种场台座所项款只张本篇期届户辆"
_NUMBER_ONLY = re.compile(rf"^\s*(?:约|近|超|共)?\s*(?P<num>.+?)\s*(?P<unit>[{_COUNTERS}]|元)?\s*[。.]?\s*$")


def zh_dates(src: str) -> list[tuple[re.Match, str]]:
    """Dates with a month in the source, with how each reads in English."""
    dates = []
    for m in _ZH_DATE.finditer(src):
        month, day = int(m.group("m")), int(m.group("d")) if m.group("d") else None
        if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
            continue
        if m.group("y") is None and day is None:
            continue  # a month alone (3月) is often a duration or part of a range: left to the number rules
        english = MONTH_NAMES[month - 1] + (f" {day}" if day else "")
        if m.group("y"):
            english += (", " if day else " ") + m.group("y")
        dates.append((m, english))
    return dates


def _date_values(src_date: re.Match) -> list[float]:
    return [float(v) for v in (src_date.group("y"), src_date.group("m"), src_date.group("d")) if v]


def repair_dates(src: str, tgt: str) -> tuple[str, list[dict]]:
    """Each source date whose year, month or day the translation lacks replaces one date-like
    stretch of the translation, in order; dates already right are left alone."""
    repairs = []
    wanted = []
    for m, english in zh_dates(src):
        values = target_values(tgt)
        if all(any(same_value(v, x) for x in values) for v in _date_values(m)):
            continue
        wanted.append((m, english))
    if not wanted:
        return tgt, []
    others = [
        n.value
        for n in source_numbers(src)
        if n.value is not None and not any(d.start() <= src.find(n.text) < d.end() for d, _ in zh_dates(src))
    ]
    spots = [
        c
        for c in _EN_DATE_LIKE.finditer(tgt)
        if not all(any(same_value(v, o) for o in others) for v in target_values(c.group(0)))
    ]
    for (m, english), spot in reversed(list(zip(wanted, spots))):
        tgt = tgt[: spot.start()] + english + tgt[spot.end() :]
        repairs.append({"source": m.group(0), "was": spot.group(0), "now": english})
    return tgt, repairs[::-1]


def number_only(src: str) -> str | None:
    """The English of a segment that is only a number or a date (a table cell), else None."""
    dates = zh_dates(src)
    if len(dates) == 1 and not src.replace(dates[0][0].group(0), "").strip(" 。."):
        return dates[0][1]
    m = _NUMBER_ONLY.match(src)
    if not m:
        return None
    numbers = source_numbers(m.group("num"))
    if len(numbers) != 1 or numbers[0].value is None or numbers[0].text != m.group("num").strip():
        return None
    english = english_number(numbers[0].text, numbers[0].value)
    return english + " yuan" if m.group("unit") == "元" else english


def english_number(source_text: str, value: float) -> str:
    """How ``value`` (written ``source_text`` in Chinese) reads in English: 1.2亿 → 120 million, 35% → 35%."""

    def plain(v: float) -> str:
        return f"{v:,.0f}" if float(v).is_integer() else f"{v:g}"

    percent = "%" in source_text or "％" in source_text or source_text.startswith("百分之")
    if percent:
        return plain(value) + "%"
    if re.search("[万亿]", source_text):
        for size, word in _SCALES:
            if value >= size:
                return f"{plain(value / size)} {word}"
    if 1000 <= value < 10000 and float(value).is_integer():
        return f"{value:.0f}"  # years and small counts read without a separator
    return plain(value)


_DIGIT_RUN = re.compile(r"\d{6,}")


def digit_loops(tgt: str) -> list[re.Match]:
    """Digit runs that are a decoding loop (``2020202020``, glued to letters or not), not a number:
    a two- or three-digit pattern, not all zeros, repeated three times or more."""
    loops = []
    for m in _DIGIT_RUN.finditer(tgt):
        run = m.group(0)
        for size in (2, 3):
            for offset in range(size):
                pattern = run[offset : offset + size]
                body = run[offset:]
                repeats = len(body) // size
                if (
                    repeats >= 3
                    and pattern.strip("0")
                    and body[: repeats * size] == pattern * repeats
                    and len(body) - repeats * size < size
                ):
                    loops.append(m)
                    break
            else:
                continue
            break
    return loops


def repair_numbers(src: str, tgt: str) -> tuple[str, list[dict]]:
    """``tgt`` with wrong dates and numbers replaced by the source's missing ones, and the repairs made."""
    tgt, loop_repairs = _clear_digit_loops(src, tgt)
    tgt, date_repairs = repair_dates(src, tgt)
    tgt, number_repairs = _repair_plain_numbers(src, tgt)
    return tgt, loop_repairs + date_repairs + number_repairs


def _clear_digit_loops(src: str, tgt: str) -> tuple[str, list[dict]]:
    """Each digit loop takes the next date or number the translation lacks, in source order; a loop
    left over is removed (it carries no number of the source)."""
    loops = digit_loops(tgt)
    if not loops:
        return tgt, []
    values = target_values(tgt)
    items = []
    dates = zh_dates(src)
    for m, english in dates:
        if not all(any(same_value(v, x) for x in values) for v in _date_values(m)):
            items.append((m.start(), m.group(0), english))
    for n in source_numbers(src):
        start = src.find(n.text)
        if n.value is None or any(d.start() <= start < d.end() for d, _ in dates):
            continue
        hit = next((i for i, v in enumerate(values) if same_value(v, n.value)), None)
        if hit is None:
            items.append((start, n.text, english_number(n.text, n.value)))
        else:
            values.pop(hit)
    items.sort(key=lambda item: item[0])
    repairs = []
    for k in range(len(loops) - 1, -1, -1):
        m = loops[k]
        now = items[k][2] if k < len(items) else ""
        glue_left = m.start() > 0 and tgt[m.start() - 1].isalnum()
        glue_right = m.end() < len(tgt) and tgt[m.end()].isalnum()
        text = (" " if glue_left and now else "") + now + (" " if glue_right and now else "")
        tgt = tgt[: m.start()] + text + tgt[m.end() :]
        repairs.append({"source": items[k][1] if k < len(items) else "", "was": m.group(0), "now": now})
    return re.sub(r" {2,}", " ", tgt), repairs[::-1]


def _repair_plain_numbers(src: str, tgt: str) -> tuple[str, list[dict]]:
    numbers = source_numbers(src)
    wanted = [n for n in numbers if n.value is not None]
    # a code (TOP1, 5G) has no value: it is missing when not written as such
    codes = [n for n in numbers if n.value is None and n.text.lower() not in tgt.lower() and re.search(r"\d", n.text)]
    if not wanted and not codes:
        return tgt, []
    available = target_values(tgt)
    missing = []
    for n in numbers:
        if n.value is None:
            if n in codes:
                missing.append(n)
            continue
        hit = next((i for i, v in enumerate(available) if same_value(v, n.value)), None)
        if hit is None:
            missing.append(n)
        else:
            available.pop(hit)
    if not missing:
        return tgt, []
    values = [n.value for n in wanted if n.value is not None]  # wanted has values only; this tells mypy
    wrong = [m for m in EN_NUMBER.finditer(tgt) if not any(same_value(v, x) for v in _span_values(m) for x in values)]
    repairs = []
    for m, n in reversed(list(zip(wrong, missing))):
        english = english_number(n.text, n.value) if n.value is not None else n.text
        if english.endswith("%") and tgt[m.end() : m.end() + 1] in ("%", "％"):
            english = english[:-1]  # the translation kept its percent sign
        tgt = tgt[: m.start()] + english + tgt[m.end() :]
        repairs.append({"source": n.text, "was": m.group(0), "now": english})
    return tgt, repairs[::-1]


def _span_values(m: re.Match) -> list[float]:
    return target_values(m.group(0)) or [float("nan")]
