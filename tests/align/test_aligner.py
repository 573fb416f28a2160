"""align_sentences: its options (unknown ones refused), weights and confidences reach the output."""

import pytest

from zhbridge.align import align_sentences
from zhbridge.align.beads import check_coverage
from zhbridge.align.model import shipped_weights

from .toy import LEX, WORDS


def doc(count):
    zh, en = [], []
    for k in range(count):
        (z1, e1), (z2, e2) = WORDS[k % len(WORDS)], WORDS[(k + 5) % len(WORDS)]
        zh.append(f"我看见了{z1}和{z2}，还想了很久。")
        en.append(f"I saw the {e1} and the {e2}, and thought about it for a long time.")
    return zh, en


def kinds(beads):
    return [(b.zh, b.en) for b in beads]


def test_parallel_document_aligns_one_to_one_with_confidences():
    zh, en = doc(8)
    beads = align_sentences(zh, en, lexicon=LEX, embed=False)
    assert kinds(beads) == [((k,), (k,)) for k in range(8)]
    assert all(isinstance(b.score, float) and 0.5 < b.score <= 1.0 for b in beads)


def test_unknown_option_is_a_type_error_naming_it():
    zh, en = doc(3)
    with pytest.raises(TypeError, match=r"unknown option\(s\) margn\b.*known: margin"):
        align_sentences(zh, en, lexicon=LEX, embed=False, margn=2)


def test_several_unknown_options_are_all_named():
    zh, en = doc(3)
    with pytest.raises(TypeError, match="colour, shape"):
        align_sentences(zh, en, shape=1, colour="red")


def test_weights_option_reaches_the_scorer():
    zh, en = doc(6)
    shipped = shipped_weights()
    # forbid 1-1 beads: the same document must then be covered by other shapes
    lexical = shipped["without_embedding"]  # the weights used with embed=False
    weights = {**shipped, **lexical, "weights": {**lexical["weights"], "shape_1_1": -1000.0}}
    del weights["without_embedding"]
    beads = align_sentences(zh, en, lexicon=LEX, embed=False, weights=weights)
    check_coverage(beads, 6, 6)
    assert all(b.kind != "1-1" for b in beads)


def test_length_features_ignore_the_lexicon():
    zh, en = doc(5)
    en[1], en[2] = en[2], en[1]  # equal lengths: only the words tell these two apart
    lexical = align_sentences(zh, en, lexicon=LEX, embed=False)
    length = align_sentences(zh, en, features="length")
    assert kinds(length) == [((k,), (k,)) for k in range(5)]
    assert kinds(lexical) != kinds(length)
