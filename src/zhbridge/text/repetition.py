"""Repetition in a translation: the loops a decoder falls into ("the industry of the industry of ...").

QA flags them in each segment (``zhbridge.mt.qa``) and the evaluation counts them per system
(``zhbridge.evaluate.suite``), with the same definition.
"""

from __future__ import annotations

import re
from collections import Counter


def repetition_loop(text: str, n: int = 4, times: int = 3) -> str | None:
    """The word n-gram that ``text`` repeats ``times`` or more times (a decoding loop), else None."""
    words = text.lower().split()
    counts = Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    gram, count = max(counts.items(), key=lambda kv: kv[1], default=((), 0))
    return " ".join(gram) if count >= times else None


def stutter(text: str, times: int = 3) -> str | None:
    """A word written ``times`` or more times in a row ("responsible responsible responsible")."""
    m = re.search(rf"\b(\w+)(?:\W+\1\b){{{times - 1},}}", text, re.IGNORECASE)
    return m.group(1) if m else None
