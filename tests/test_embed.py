"""The shipped sentence encoder: real vectors from the wheel, translations closer than non-translations."""

from __future__ import annotations

import numpy as np

from zhbridge import embed

ZH = ["郑州是竖店。", "今天天气很好。", "这部微短剧在郑州拍摄。"]
EN = ["Zhengzhou is the vertical-screen Hengdian.", "The weather is nice today.", "The micro-drama was shot in Zhengzhou."]


def test_vectors_are_unit_length_and_blank_is_zero():
    vectors = embed.encode([*ZH, ""])
    assert vectors.shape == (4, embed.DIM)
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-5)
    assert not vectors[3].any()


def test_a_translation_is_nearer_than_any_other_sentence():
    sims = embed.encode(ZH) @ embed.encode(EN).T
    assert list(sims.argmax(axis=1)) == [0, 1, 2]
    paired = embed.paired_similarity(ZH, EN)
    assert np.allclose(paired, np.diag(sims), atol=1e-5)


def test_cache_returns_the_same_vectors():
    embed.clear_cache()
    first = embed.encode(ZH)
    again = embed.encode(list(reversed(ZH)))
    assert np.array_equal(first, again[::-1])
