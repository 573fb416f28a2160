"""Strict and lax precision/recall/F1 of sentence alignments, as Vecalign's ``score.py`` defines them.

Precision counts every non-empty test bead (insertions/deletions included); recall swaps
gold and test and drops 0-n/n-0 beads from both. A strict hit is an identical bead; a lax
hit shares at least one zh and one en sentence with some gold bead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from zhbridge.align.beads import Bead

Alignment = Sequence[tuple[tuple[int, ...], tuple[int, ...]]]


def as_pairs(beads: Iterable[Bead]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(tuple(b.zh), tuple(b.en)) for b in beads]


def _precision_counts(gold: Alignment, test: Alignment) -> list[int]:
    test_set = {(tuple(x), tuple(y)) for x, y in test if len(x) or len(y)}
    gold_set = {(tuple(x), tuple(y)) for x, y in gold if len(x) or len(y)}
    src_to_gold_tgt: defaultdict[int, set[int]] = defaultdict(set)
    for gold_src, gold_tgt in gold_set:
        for s in gold_src:
            src_to_gold_tgt[s].update(gold_tgt)
    tp_strict = fp_strict = tp_lax = fp_lax = 0
    for src, tgt in test_set:
        if (src, tgt) in gold_set:
            tp_strict += 1
            tp_lax += 1
            continue
        fp_strict += 1
        targets = set()
        for s in src:
            targets |= src_to_gold_tgt[s]
        if targets.intersection(tgt):
            tp_lax += 1
        else:
            fp_lax += 1
    return [tp_strict, fp_strict, tp_lax, fp_lax]


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_alignments(gold_list: Sequence[Alignment], test_list: Sequence[Alignment]) -> dict[str, float]:
    """Vecalign's ``score_multiple``: counts are summed over all documents before dividing."""
    if len(gold_list) != len(test_list):
        raise ValueError("need one test alignment per gold alignment")
    p = [0, 0, 0, 0]
    r = [0, 0, 0, 0]
    for gold, test in zip(gold_list, test_list):
        p = [x + y for x, y in zip(p, _precision_counts(gold, test))]
        test_no_del = [(x, y) for x, y in test if len(x) and len(y)]
        gold_no_del = [(x, y) for x, y in gold if len(x) and len(y)]
        r = [x + y for x, y in zip(r, _precision_counts(test_no_del, gold_no_del))]
    ps, pl = _ratio(p[0], p[0] + p[1]), _ratio(p[2], p[2] + p[3])
    rs, rl = _ratio(r[0], r[0] + r[1]), _ratio(r[2], r[2] + r[3])
    return dict(precision_strict=ps, recall_strict=rs, f1_strict=_f1(ps, rs), precision_lax=pl, recall_lax=rl, f1_lax=_f1(pl, rl))
