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


def test_nearest_returns_each_rows_top_cosines_in_order_block_by_block():
    import numpy as np

    from zhbridge.embed import nearest

    rng = np.random.default_rng(0)
    b = rng.normal(size=(50, 8)).astype(np.float32)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    a = b[[3, 17, 42]] + 0.01
    sims, ids = nearest(a, b, 4, block=2)  # blocks smaller than the rows: the same answer
    assert ids[:, 0].tolist() == [3, 17, 42]
    full = a @ b.T
    assert np.allclose(sims, -np.sort(-full, axis=1)[:, :4], atol=1e-6)
    assert nearest(a, b[:2], 5)[0].shape == (3, 2)  # k capped at the candidates there are
