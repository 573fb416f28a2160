"""Beads (groups of aligned sentence ids) and their one-line text format ``[0,1]:[2]``.

This module is the only place that knows the text format, so readers and writers
elsewhere never parse brackets themselves.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from zhbridge.io import InputError, atomic_write_text, read_text

# Bead shapes the search may produce, as (zh sentences, en sentences). 1-4/4-1: a long Chinese
# sentence of comma-joined clauses is often rendered as four English sentences (literary prose);
# without the shape the search must split it and shifts its neighbours' boundaries.
BEAD_SHAPES: tuple[tuple[int, int], ...] = ((0, 1), (1, 0), (1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (1, 4), (4, 1))


@dataclass(frozen=True)
class Bead:
    """Zh sentence ids ``zh`` aligned with en sentence ids ``en``; ``score`` is a confidence in [0, 1]."""

    zh: tuple[int, ...]
    en: tuple[int, ...]
    score: float = 1.0

    def __post_init__(self) -> None:
        # Callers pass lists now and then; a frozen tuple keeps beads hashable and comparable.
        object.__setattr__(self, "zh", tuple(int(i) for i in self.zh))
        object.__setattr__(self, "en", tuple(int(i) for i in self.en))

    @property
    def kind(self) -> str:
        return f"{len(self.zh)}-{len(self.en)}"

    @property
    def ids(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return self.zh, self.en


def format_bead(bead: Bead) -> str:
    """``Bead((0, 1), (2,))`` -> ``"[0,1]:[2]"`` (the score is not part of the format)."""
    return "[" + ",".join(map(str, bead.zh)) + "]:[" + ",".join(map(str, bead.en)) + "]"


_BEAD_LINE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*(?:\t\s*([-+0-9.eE]+))?\s*$")


def _ids(field: str) -> tuple[int, ...]:
    return tuple(int(x) for x in field.replace(" ", "").split(",") if x)


def parse_beads(text: str, *, name: str = "<beads>") -> list[Bead]:
    """Parse one bead per line; blank lines are skipped, anything else malformed is an InputError.

    An optional tab-separated score after the bead is kept (``[0]:[0]\\t0.93``).
    """
    beads = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _BEAD_LINE.match(line)
        if not match:
            raise InputError(f"{name}:{number}: not a bead line like [0,1]:[2]: {line.strip()[:60]!r}")
        score = float(match.group(3)) if match.group(3) else 1.0
        beads.append(Bead(_ids(match.group(1)), _ids(match.group(2)), score))
    return beads


def beads_to_text(beads: Iterable[Bead], *, with_scores: bool = False) -> str:
    lines = [format_bead(b) + (f"\t{b.score:.4f}" if with_scores else "") for b in beads]
    return "".join(line + "\n" for line in lines)


def beads_to_tsv(beads: Iterable[Bead], zh: list[str], en: list[str]) -> str:
    """``zh<TAB>en<TAB>bead<TAB>score`` per bead under a header: each side's sentences joined by a space."""
    rows = ["zh\ten\tbead\tscore"]
    for b in beads:
        # a tab inside a sentence would shift the columns
        zh_text = " ".join(zh[i] for i in b.zh).replace("\t", " ")
        en_text = " ".join(en[j] for j in b.en).replace("\t", " ")
        rows.append(f"{zh_text}\t{en_text}\t{format_bead(b)}\t{b.score:.4f}")
    return "\n".join(rows) + "\n"


def read_beads(path: str | os.PathLike) -> list[Bead]:
    return parse_beads(read_text(path), name=str(path))


def write_beads(path: str | os.PathLike, beads: Iterable[Bead], *, overwrite: bool = True, with_scores: bool = False) -> None:
    """Write beads atomically, one per line (scores only if asked: the common format has none)."""
    atomic_write_text(path, beads_to_text(beads, with_scores=with_scores), overwrite=overwrite)


def check_coverage(beads: Iterable[Bead], n_zh: int, n_en: int) -> None:
    """Raise ValueError unless the beads cover 0..n_zh-1 and 0..n_en-1 exactly once, in order."""
    beads = list(beads)
    zh = [i for b in beads for i in b.zh]
    en = [j for b in beads for j in b.en]
    if zh != list(range(n_zh)) or en != list(range(n_en)):
        raise ValueError("beads do not cover every sentence exactly once, in order")
