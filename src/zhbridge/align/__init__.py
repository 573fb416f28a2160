"""Sentence alignment of Chinese–English documents (see :func:`align_sentences`)."""

from zhbridge.align.aligner import align_sentences
from zhbridge.align.beads import Bead, format_bead, parse_beads, read_beads, write_beads

__all__ = ["Bead", "align_sentences", "format_bead", "parse_beads", "read_beads", "write_beads"]
