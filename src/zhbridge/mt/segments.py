"""The segment record: one sentence of a document on its way through the pipeline, in one place.

A record starts as a :class:`SourceSegment` (:func:`zhbridge.mt.translate.document_segments`), and
:func:`zhbridge.mt.translate.translate_segments` returns it as a :class:`Segment` with the English and
how it was made. Readers: the review files (``mt.xliff``), the QA report (``mt.qa``), confidence
(``mt.review``), inline tag placement (``mt.inline_map``), the journal and the server.

These are ``TypedDict``s, not dataclasses, on purpose: a record is journaled as a JSON object and
read back on resume (also from journals written before a key existed), sent to Ray actors as JSON,
and extended with ``{**seg, ...}``; a key that does not apply is *absent*, not None, and the bytes
of the journal, XLIFF and QA files depend on that (``"inline" in seg`` means the sentence has markup).
A dict typed this way costs nothing at run time and keeps every one of those paths unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypedDict, cast

Origin = Literal["tm-exact", "tm-fuzzy", "mt"]
ORIGINS: tuple[Origin, ...] = ("tm-exact", "tm-fuzzy", "mt")

# [tag id, ctype, role]; role is g (opens and closes in the sentence), bx (opens), ex (closes) or
# in (covers the whole sentence). A list, not a tuple, because that is what JSON gives back.
TagRole = list[Any]


class InlineEntry(TypedDict):
    """One stretch of a sentence with markup: the text between two tag boundaries (``mt.inline``)."""

    span: int | None  # index of the unit's span the stretch belongs to; None: a sentence with no span
    start: int  # offsets in the segment's own ``src``
    end: int
    tags: list[int]  # ids of the tags open over the stretch
    x: int | None  # id of a placeholder (a line break, an image) in front of the stretch


class _Markup(TypedDict, total=False):
    inline: list[InlineEntry]  # only on a sentence of a paragraph with inline markup
    tags: list[TagRole]  # with ``inline``: the role of each tag the sentence touches


class SourceSegment(_Markup):
    """A sentence to translate."""

    i: int  # position in the document's segment list (the journal's key within a document)
    id: str  # u<unit>-s<sentence>, 1-based: the XLIFF trans-unit id
    unit: int  # 0-based paragraph (or line, or table cell)
    sent: int  # 0-based sentence within the unit
    src: str  # the normalised Chinese as the user wrote it (Traditional stays Traditional)


class _Findings(SourceSegment, total=False):
    tgt_inline: list[str]  # with ``inline``: the English cut into one stretch per entry
    numbers: list[dict]  # number repairs: {source, was, now}
    source_cut: bool  # longer than the model's window even as clauses; QA flags it
    tm_source: str  # a fuzzy match's own Chinese and English
    tm_target: str
    logprob: float  # MT only (mt.review.attach_confidence)
    similarity: float | None
    confidence: float | None


class Segment(_Findings):
    """A translated sentence."""

    origin: Origin
    score: float | None  # fuzzy-match score (0–100); None for MT
    tgt: str
    terms: list[dict]  # zhbridge.mt.enforce.TermCheck.to_dict() of each glossary term found in ``src``


class ReviewRow(TypedDict):
    """A segment as read back from a run's review TSV (``mt.omegat``): ``origin`` is the TSV's label."""

    unit: int
    src: str
    tgt: str
    origin: str  # mt.qa.origin_label: "TM exact", "TM fuzzy 86%", "MT"


def source_text(seg: SourceSegment) -> list[str]:
    """The Chinese of a segment, one stretch per inline entry (a single stretch without markup)."""
    if "inline" not in seg:
        return [seg["src"]]
    return [seg["src"][e["start"] : e["end"]] for e in seg["inline"]]


def target_text(seg: Segment) -> list[str]:
    """The English of a segment, one stretch per inline entry when its tags were placed."""
    return seg["tgt_inline"] if "inline" in seg and "tgt_inline" in seg else [seg["tgt"]]


def merge_done(segments: list[SourceSegment], *parts: dict[int, Segment]) -> list[Segment]:
    """Each segment's finished record, in document order; later ``parts`` win (new over journaled)."""
    merged: dict[int, Segment] = {}
    for part in parts:
        merged.update(part)
    return [merged[s["i"]] for s in segments]


def reusable(segments: list[SourceSegment], journaled: Mapping[int, Mapping[str, Any]]) -> dict[int, Segment]:
    """Journaled records that still fit ``segments``: a journal from a release that segmented
    differently (long sentences are now clauses) is reused only where the segment is the same."""
    return {i: cast(Segment, r) for i, r in journaled.items() if i < len(segments) and segments[i]["src"] == r.get("src")}
