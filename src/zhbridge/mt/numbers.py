"""Number repair after decoding: a small model garbles digits (``120个`` → ``20202``), and no
term-style constraint protects them, so every source number whose value the translation lacks
replaces, in order, an English number whose value the source lacks.

Values come from :mod:`zhbridge.evaluate.numbers`, so a repair here is exactly a mismatch the
QA report would have counted. A missing number with nothing wrong to replace is left for QA:
inserting it blindly would put it in the wrong place.
"""
from __future__ import annotations

import re

from zhbridge.evaluate.numbers import _EN_NUMBER, _same, source_numbers, target_values

_SCALES = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")]


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


def repair_numbers(src: str, tgt: str) -> tuple[str, list[dict]]:
    """``tgt`` with wrong numbers replaced by the source's missing ones, and the repairs made."""
    wanted = [(n, n.value) for n in source_numbers(src) if n.value is not None]
    if not wanted:
        return tgt, []
    available = target_values(tgt)
    missing = []
    for n, value in wanted:
        hit = next((i for i, v in enumerate(available) if _same(v, value)), None)
        if hit is None:
            missing.append((n, value))
        else:
            available.pop(hit)
    if not missing:
        return tgt, []
    values = [value for _, value in wanted]
    wrong = [m for m in _EN_NUMBER.finditer(tgt)
             if not any(_same(v, x) for v in _span_values(m) for x in values)]
    repairs = []
    for m, (n, value) in reversed(list(zip(wrong, missing))):
        english = english_number(n.text, value)
        if english.endswith("%") and tgt[m.end():m.end() + 1] in ("%", "％"):
            english = english[:-1]  # the translation kept its percent sign
        tgt = tgt[:m.start()] + english + tgt[m.end():]
        repairs.append({"source": n.text, "was": m.group(0), "now": english})
    return tgt, repairs[::-1]


def _span_values(m: re.Match) -> list[float]:
    return target_values(m.group(0)) or [float("nan")]
