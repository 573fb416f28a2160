import pytest

from zhbridge.align.score import score_alignments


def test_perfect_alignment_scores_one():
    gold = [((0,), (0,)), ((1, 2), (1,)), ((), (2,))]
    r = score_alignments([gold], [gold])
    assert r["f1_strict"] == 1.0 and r["f1_lax"] == 1.0


def test_strict_and_lax_follow_vecalign():
    gold = [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]
    test = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,))]
    r = score_alignments([gold], [test])
    # precision over 4 test beads: 2 exact; [1]:[1] overlaps gold on both sides (lax hit); [2]:[] cannot
    assert r["precision_strict"] == pytest.approx(2 / 4)
    assert r["precision_lax"] == pytest.approx(3 / 4)
    # recall over the 3 gold beads, deletions dropped from the test side
    assert r["recall_strict"] == pytest.approx(2 / 3)
    assert r["recall_lax"] == pytest.approx(1.0)


def test_counts_are_summed_over_documents():
    gold = [((0,), (0,)), ((1,), (1,))]
    bad = [((0, 1), (0, 1))]
    r = score_alignments([gold, gold], [gold, bad])
    assert r["precision_strict"] == pytest.approx(2 / 3)
    assert r["recall_strict"] == pytest.approx(2 / 4)
