"""Traditional Chinese (zh-Hant, Hong Kong and Taiwan usage) → Simplified, the one place zhbridge converts.

The glossary, the translation memory, the corpus and the model's training data are all in
Simplified characters, so a reader of 鄭州「竪店」 or 橫店 would otherwise miss every term, every TM
match and feed the model characters it rarely saw. Matching (``terms.match.fold``), glossary lookup,
TM keys and the model's input (``mt.translate``) convert through :func:`to_simplified`; review files
keep the user's own text.

The conversion is OpenCC's ``hk2s`` configuration: Hong Kong variant characters (竪, 綫, 衞, 啓)
to OpenCC's standard Traditional, then Traditional phrases and characters to Simplified (頭髮 →
头发 but 乾隆 stays). It leaves Simplified text alone: every line of the shipped corpus comes back
unchanged. Taiwan's ``tw2s`` was not chained after it because it turns the Simplified 显著 into 显着.
Regional *vocabulary* (軟體 → 软件) is not converted: that changes lengths, and the callers rely on
the result being exactly as long as the input, so that match offsets found in the converted text
point at the same characters of the user's original.
"""

from __future__ import annotations

import re
from functools import lru_cache

CONFIG = "hk2s.json"
# a run converted as one piece, so phrase rules see their context; split at punctuation and spaces
_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC(CONFIG)


def _convert_run(run: str) -> str:
    converted = _converter().convert(run)
    if len(converted) == len(run):
        return converted
    # a phrase rule changed the length: convert character by character so offsets stay valid
    return "".join(c if len(c := _converter().convert(ch)) == 1 else ch for ch in run)


def to_simplified(text: str) -> str:
    """``text`` with Traditional characters in Simplified; same length, everything else untouched."""
    if not text or not _RUN.search(text):
        return text
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    return _RUN.sub(lambda m: _convert_run(m.group(0)), text)


def traditional_characters(text: str) -> int:
    """How many characters of ``text`` the conversion changes (0 for Simplified or Latin text)."""
    return sum(1 for a, b in zip(text, to_simplified(text)) if a != b)


def is_traditional(text: str) -> bool:
    """True when ``text`` has characters written the Traditional way (a mixed text counts)."""
    return traditional_characters(text) > 0
