"""Over-long sentences cut into clause-sized segments before MT, so that no source text is dropped.

The model reads at most ``max_positions`` (512) source tokens and writes at most
``MAX_NEW_TOKENS_CAP`` (400) per segment: a longer sentence came back truncated with status
"translated" (a 3,000-character paragraph without a full stop became a few words), and glossary
enforcement, which re-decodes the whole segment, grew quadratically with its length. A sentence
longer than :data:`MAX_SEGMENT_CHARS` is therefore split at clause punctuation (，；：、 and their
ASCII forms), then at spaces, then cut hard; each piece is translated as its own segment and the
pieces' English is joined like the sentences of a paragraph.

The limit is in characters, not model tokens, so segmentation stays the same whatever the model
and on every engine (Ray's reading tasks have no tokenizer; a resumed or distributed run must
segment exactly as a local one). 150 Chinese characters are about 100–150 tokens of the shipped
model, well inside both limits; a piece that still exceeds the model's window is flagged
``source-cut`` by QA (see :func:`zhbridge.mt.translate.translate_segments`) instead of passing silently.
"""

from __future__ import annotations

import re

MAX_SEGMENT_CHARS = 150
# cut points, most natural first: after a clause mark, then after a space (Latin text inside Chinese)
_LEVELS = (re.compile(r"(?<=[，；：、,;:])"), re.compile(r"(?<=\s)"))


def split_long(sentence: str, limit: int = MAX_SEGMENT_CHARS) -> list[str]:
    """``sentence`` as pieces of at most ``limit`` characters that concatenate back to it exactly."""
    if limit < 1:
        raise ValueError("limit must be positive")
    return _split(sentence, limit, 0)


def _split(text: str, limit: int, level: int) -> list[str]:
    if len(text) <= limit:
        return [text]
    if level == len(_LEVELS):
        return [text[i : i + limit] for i in range(0, len(text), limit)]
    parts = [p for p in _LEVELS[level].split(text) if p]
    if len(parts) == 1:
        return _split(text, limit, level + 1)
    pieces: list[str] = []
    current = ""
    for part in parts:
        if len(part) > limit:  # one clause too long on its own: cut it at the next level
            if current:
                pieces.append(current)
                current = ""
            pieces += _split(part, limit, level + 1)
        elif len(current) + len(part) > limit:
            pieces.append(current)
            current = part
        else:
            current += part
    if current:
        pieces.append(current)
    return pieces
