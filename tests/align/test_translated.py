"""Translation evidence: character n-gram overlap of a translation and English, one side at a time."""

from __future__ import annotations

import numpy as np

from zhbridge.align.translated import Translations, char_ngrams, chrf, overlap

# a weak translation of "郑州已成为微短剧拍摄的新中心，去年生产了三千多部短剧。", as the shipped model writes them
MT = "Zhengzhou has become the new center of micro-drama shooting, and last year produced more than 3,000 short plays."
WHOLE = "Zhengzhou has become a new centre for shooting micro-dramas; last year it produced more than 3,000 short dramas."
HALF = "Zhengzhou has become a new centre for shooting micro-dramas."
OTHER = "The museum closes at five on Mondays."


def test_a_part_of_the_translation_is_contained_in_it_but_covers_only_part():
    mt, whole, half, other = map(char_ngrams, (MT, WHOLE, HALF, OTHER))
    half_in_mt, mt_in_half = overlap(half, mt)
    whole_in_mt, mt_in_whole = overlap(whole, mt)
    assert half_in_mt > 0.6 and whole_in_mt > 0.6  # both Englishes are found in the translation
    assert mt_in_half < mt_in_whole - 0.2  # but the half covers much less of it
    assert max(overlap(other, mt)) < min(whole_in_mt, mt_in_whole)
    assert chrf(*overlap(mt, whole)[::-1]) > chrf(*overlap(mt, other)[::-1])


def test_ngrams_ignore_case_and_spaces():
    assert char_ngrams("Ab c")[1] == char_ngrams("abC")[1]
    assert overlap(char_ngrams(""), char_ngrams("abc")) == (0.0, 0.0)


def test_document_evidence_rows_and_split_gains():
    def encode(texts):  # a stand-in encoder: bag of letters, unit length
        v = np.array([[t.lower().count(c) for c in "abcdefghijklmnopqrstuvwxyz"] for t in texts], dtype=np.float32) + 1e-3
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    rest = "Last year it produced more than 3,000 short dramas."
    tr = Translations([MT], [HALF, rest, OTHER], encode)
    rows = tr.char_overlap([0, 0], [0, 2])
    assert rows.shape == (2, 3) and rows[0, 0] > rows[1, 0]
    # the half and the rest together cover far more of the translation than the half alone
    gain_zh, gain_en = tr.split_gains([0], [0], [1], [0])[0]
    assert gain_zh > 0.2 and gain_en == 0.0
    assert np.allclose(tr.cosines(np.array([0]), np.array([0])), encode([MT]) @ encode([HALF]).T)
