"""Sentence alignment of Chinese–English documents (see :func:`align_sentences`)."""

from zhbridge.align.aligner import align_sentences
from zhbridge.align.beads import Bead, format_bead, parse_beads, read_beads, write_beads


def describe(**options) -> str:
    """How the aligner scores beads, for the dataset card and build report (``options``: align_sentences')."""
    settings = ",".join(f"{k}={v}" for k, v in sorted(options.items())) or "defaults"
    features = options.get("features", "full")
    if features == "full" and options.get("embed", True):
        from zhbridge.embed import ENCODER_NAME

        evidence = f"sentence-encoder cosine of each bead ({ENCODER_NAME}), lexicon, numbers, names, length"
    elif features in ("full", "lexical"):
        evidence = "lexicon, numbers, names, length (no sentence encoder)"
    else:
        evidence = "length only"
    return f"zhbridge.align.align_sentences({settings}): {evidence}; paragraphs paired by layout"


__all__ = ["Bead", "align_sentences", "describe", "format_bead", "parse_beads", "read_beads", "write_beads"]
