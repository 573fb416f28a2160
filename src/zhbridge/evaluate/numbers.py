"""Number consistency: does each number (amount, percentage, date part) of the
Chinese source appear in the English translation?

Numbers are compared as values, read by :mod:`zhbridge.text.numbers` (the reader that QA and
number repair use too, so a repaired number is one this check stops counting): 1.5万
matches "15,000", 100亿元 "10 billion yuan", 12月 "December"; its docstring says what counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from zhbridge.io import InputError
from zhbridge.text.numbers import same_value, source_numbers, target_values


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
                hit = next((i for i, v in enumerate(available) if same_value(v, number.value)), None)
                if hit is not None:
                    available.pop(hit)  # one English number answers for one source number
            if hit is None:
                misses.append(NumberMiss(line, number.text, number.value, h))
            else:
                correct += 1
    return NumberCheck(correct, total, correct / total if total else None, misses)
