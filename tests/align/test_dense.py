"""Dense (sentence-encoder) bead evidence: span cosines from sums equal the direct computation,
and on real sentences the encoder's cosine picks the right bead where lengths cannot."""

from __future__ import annotations

import numpy as np

from zhbridge.align import align_sentences
from zhbridge.align.dense import adj_prefix, banded_dot, group_vectors, side_vectors, span_norm_sq
from zhbridge.align.model import FEATURES, build_problem
from zhbridge.align.search import Band

ZH = ["郑州是微短剧之都。", "今天下雨了。", "我们明天去北京。", "这本书很有意思。", "他每天早上跑步。", "猫在桌子上睡觉。"]
EN = [
    "Zhengzhou is the capital of micro-dramas.",
    "It rained today.",
    "We are going to Beijing tomorrow.",
    "This book is very interesting.",
    "He runs every morning.",
    "The cat is sleeping on the table.",
]


def fake_encode(texts):
    rng = np.random.default_rng(len(texts))
    v = rng.normal(size=(len(texts), 16)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_span_norms_and_banded_dots_match_direct_sums():
    side = side_vectors(ZH, zh=True, encode=fake_encode)
    prefix = adj_prefix(side)
    for size in (1, 2, 3, 4):
        ends = np.arange(size, len(ZH) + 1)
        direct = [np.linalg.norm(side.one[e - size : e].sum(0)) ** 2 for e in ends]
        assert np.allclose(span_norm_sq(side, ends, size, prefix), direct)
    other = side_vectors(EN, zh=False, encode=fake_encode)
    n, m = len(ZH), len(EN)
    plo, phi = np.maximum(np.arange(n) - 1, 0), np.minimum(np.arange(n) + 2, m)
    start = np.concatenate([[0], np.cumsum(phi - plo)])
    flat = banded_dot(side.one, other.one, plo, phi, start, block=2)
    full = side.one @ other.one.T
    assert np.allclose(flat, [full[r, c] for r in range(n) for c in range(plo[r], phi[r])])
    groups = group_vectors(side, [0, 3, 6])
    assert groups.two is None and np.allclose(np.linalg.norm(groups.one, axis=1), 1.0, atol=1e-5)


def test_bead_cosine_of_a_three_sentence_span_is_that_of_the_summed_vectors():
    problem = build_problem(ZH[:1], [" ".join(EN[:1]), *EN[1:4]], weights=None)
    vz, ve = problem.doc.vectors
    f = problem.features((1, 3), np.array([1]), np.array([4]))[0]
    span = ve.one[1:4].sum(0)
    assert np.isclose(f[FEATURES.index("emb_cos")], vz.one[0] @ span / np.linalg.norm(span), atol=1e-5)
    two = problem.features((1, 2), np.array([1]), np.array([3]))[0]
    assert np.isclose(two[FEATURES.index("emb_cos")], vz.one[0] @ ve.two[2], atol=1e-5)  # the concatenation's vector


def test_real_sentences_translation_bead_scores_higher_than_a_shifted_one():
    problem = build_problem(ZH, EN)
    k = FEATURES.index("emb_cos")
    right = problem.features((1, 1), np.arange(1, 7), np.arange(1, 7))[:, k]
    shifted = problem.features((1, 1), np.arange(1, 6), np.arange(2, 7))[:, k]
    assert right.min() > shifted.max()
    margin = problem.features((1, 1), np.arange(1, 7), np.arange(1, 7))[:, FEATURES.index("emb_margin")]
    assert np.all(margin < right)  # less each span's closeness to the other side in general


def test_embedding_finds_the_merge_that_lexical_evidence_alone_misses():
    # same lengths everywhere, no dictionary overlap beyond the encoder: 2-1 must come from meaning
    zh = ["他推开门。", "外面下着大雨。", "我们明天去北京。", "这本书很有意思。"]
    en = [
        "He pushed the door open; outside it was pouring.",
        "We are going to Beijing tomorrow.",
        "This book is very interesting.",
    ]
    beads = align_sentences(zh, en)
    assert [(b.zh, b.en) for b in beads] == [((0, 1), (0,)), ((2,), (1,)), ((3,), (2,))]
    off = align_sentences(zh, en, embed=False)
    assert all(len(b.zh) + len(b.en) > 0 for b in off)  # the lexical-only path still runs without the encoder


def test_band_and_full_table_give_the_same_dense_features():
    problem = build_problem(ZH, EN, embed=True)
    n, m = problem.n, problem.m
    full = problem.features((2, 1), np.array([3, 4]), np.array([2, 3]))
    banded = build_problem(ZH, EN, embed=True)
    banded.prepare(Band(np.maximum(np.arange(n + 1) - 2, 0), np.minimum(np.arange(n + 1) + 3, m + 1)))
    assert np.allclose(full, banded.features((2, 1), np.array([3, 4]), np.array([2, 3])))


def test_without_embedding_uses_the_lexical_model_it_replaced_and_describe_names_the_encoder():
    from zhbridge.align import describe
    from zhbridge.align.model import shipped_weights

    weights = shipped_weights()
    lexical = build_problem(ZH, EN, embed=False)
    assert lexical.doc.vectors is None
    assert lexical.weights["weights"] == weights["without_embedding"]["weights"]
    assert build_problem(ZH, EN, features="lexical").weights["weights"] == weights["without_embedding"]["weights"]
    assert weights["weights"]["emb_margin"] != 0.0  # the shipped model does use the encoder
    assert "USE multilingual v3" in describe() and "Apache-2.0" in describe()
    assert "no sentence encoder" in describe(embed=False)
