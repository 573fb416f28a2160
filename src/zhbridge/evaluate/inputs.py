"""Reading hypothesis, reference, source and document-id files for evaluation.

Every file goes through :func:`zhbridge.io.read_lines` (so encodings, binary and
empty files fail the same way as everywhere else), and every file of an
evaluation must have the same number of lines: a length mismatch is an
:class:`~zhbridge.io.InputError` naming both files and both counts, never a
score over the shorter prefix.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from zhbridge.io import InputError, read_lines


def read_segments(path: str | os.PathLike) -> list[str]:
    """One segment per line, trailing whitespace removed.

    The ``sacrebleu`` command line strips each line's trailing whitespace before
    scoring, so doing the same here keeps our numbers equal to its numbers.
    """
    lines = [line.rstrip() for line in read_lines(path)]
    for number, line in enumerate(lines, start=1):
        # TER's edit distance is quadratic in a line's length: a 200k-word line used 6 GB
        if len(line) > MAX_SEGMENT_CHARS:
            raise InputError(
                f"{path}:{number}: {len(line):,} characters on one line, past the {MAX_SEGMENT_CHARS:,} of a segment; "
                "one segment per line is expected"
            )
    return lines


MAX_SEGMENT_CHARS = 20_000


def check_same_length(named: Mapping[str, Sequence[str]], *, against: str | None = None) -> int:
    """Raise :class:`InputError` unless every sequence has the length of ``against``.

    ``named`` maps a file name (as the user wrote it) to its segments; ``against``
    names the one the others are measured against (the first by default).
    """
    if not named:
        raise InputError("evaluation: no segments given")
    names = list(named)
    anchor = against if against is not None else names[0]
    expected = len(named[anchor])
    if expected == 0:
        raise InputError(f"{anchor}: empty (0 segments)")
    for name in names:
        count = len(named[name])
        if count != expected:
            raise InputError(
                f"{name}: {count} lines but {anchor} has {expected} lines; "
                "hypotheses, references, source and doc ids must be line-aligned"
            )
    return expected


def system_name(path: str | os.PathLike, taken: set[str] | None = None) -> str:
    """A short, unique display name for a hypothesis file (its stem, made unique)."""
    stem = Path(path).name
    for suffix in (".en", ".txt", ".hyp"):
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
            break
    name, n = stem, 2
    while taken is not None and name in taken:
        name = f"{stem}#{n}"
        n += 1
    return name
