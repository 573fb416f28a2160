"""Term style across a document: an entry with a short form (``Shudian ("vertical-screen Hengdian")``
first, ``Shudian`` after) keeps its full rendering at the first mention only; segment-level
enforcement cannot know which mention is first, so this runs over the whole document's output."""

from __future__ import annotations

from collections.abc import Iterable

from zhbridge.terms.match import rendering_pattern


def apply_term_style(texts: list[str], entries: Iterable) -> list[str]:
    """``texts`` (a document's translated units, in order) with every full rendering after the first shortened."""
    texts = list(texts)
    for entry in entries:
        if not getattr(entry, "short", "") or entry.short == entry.en:
            continue
        pattern = rendering_pattern(entry.en)
        if pattern is None:
            continue
        seen = False
        for k, text in enumerate(texts):

            def shorten(m, short=entry.short):
                nonlocal seen
                if not seen:
                    seen = True
                    return m.group(0)
                return short

            texts[k] = pattern.sub(shorten, text)
    return texts
