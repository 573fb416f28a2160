import random

from zhbridge.align import align_sentences
from zhbridge.align.beads import BEAD_SHAPES
from zhbridge.align.model import build_problem
from zhbridge.align.search import Band, banded_dp
from zhbridge.terms.lexicon import Lexicon

from .toy import LEX, WORDS

FILLER = "and then , after a while , quite slowly , without saying very much about it at all".split()


def doc(count, free: bool, seed=0):
    rng = random.Random(seed)
    zh, en = [], []
    for k in range(count):
        (z1, e1), (z2, e2) = WORDS[k % len(WORDS)], WORDS[(k + 5) % len(WORDS)]
        zh.append(f"我看见了{z1}和{z2}。")
        # a free translator pads some sentences and trims others: lengths scatter around the ratio
        pad = " ".join(FILLER[: rng.choice([0, 0, 14, 18])]) if free else "and thought about it"
        en.append(f"I saw the {e1} and the {e2} {pad}.")
    return zh, en


def one_to_one(n):
    return [((1, 1), (k, k)) for k in range(1, n + 1)]


def test_document_variance_rises_only_for_scattered_lengths():
    zh, en = doc(40, free=False)
    literal = build_problem(zh, en, lexicon=LEX)
    assert literal.document_variance(one_to_one(40)) == literal.variance  # floor: the trained variance
    zh, en = doc(40, free=True)
    free = build_problem(zh, en, lexicon=LEX)
    assert free.document_variance(one_to_one(40)) > 2 * free.variance
    assert free.document_variance(one_to_one(10)) == free.variance  # too few beads to judge
    assert free.with_variance(9.0).variance == 9.0 and free.with_variance(9.0).coarsen([0, 20, 40], [0, 20, 40]).variance == 9.0


def test_aligner_realigns_with_the_documents_own_variance():
    # sparse lexical evidence (6 of 14 words known): at the trained variance the scattered lengths
    # make the search merge right 1-1 beads; at the document's own variance it keeps all of them
    zh, en = doc(40, free=True)
    sparse = Lexicon.from_pairs(WORDS[:6])
    problem = build_problem(zh, en, lexicon=sparse)
    first = banded_dp(problem, Band.full(problem.n, problem.m), BEAD_SHAPES)
    assert sum(1 for s, _ in first if s == (1, 1)) < 36
    beads = align_sentences(zh, en, lexicon=sparse)
    assert [(b.zh, b.en) for b in beads] == [((k,), (k,)) for k in range(40)]
