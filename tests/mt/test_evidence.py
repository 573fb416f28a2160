"""Translations as alignment evidence: each distinct sentence translated once, kept in a cache file."""

from __future__ import annotations

import pytest

from zhbridge.io import InputError
from zhbridge.mt.evidence import read_cache, translate_sentences

ZH = ["郑州已成为微短剧拍摄的新中心。", "演员们每天在片场工作十几个小时。", "郑州已成为微短剧拍摄的新中心。"]


def fake_translate(calls):
    table = {ZH[0]: "Zhengzhou has become a new centre of micro-drama filming.", ZH[1]: "The actors work over ten\thours a day."}

    def translate(batch):
        calls.append(list(batch))
        return [table[z] for z in batch]

    return translate


def test_each_distinct_sentence_is_translated_once_and_cached(tmp_path):
    cache, calls = tmp_path / "mt.tsv", []
    out = translate_sentences(ZH, fake_translate(calls), cache)
    assert out == ["Zhengzhou has become a new centre of micro-drama filming.", "The actors work over ten hours a day."] + out[:1]
    assert calls == [ZH[:2]]
    assert read_cache(cache)[ZH[1]] == "The actors work over ten hours a day."  # tabs cleaned out of the cache
    # a second run reads the cache: no model needed, nothing translated again
    assert translate_sentences(ZH[1:], None, cache) == out[1:]
    assert calls == [ZH[:2]]


def test_missing_translations_without_a_model_and_bad_cache_lines_are_input_errors(tmp_path):
    cache = tmp_path / "mt.tsv"
    with pytest.raises(InputError, match="2 sentences have no cached translation"):
        translate_sentences(ZH, None, cache)
    cache.write_text("只有中文\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"mt.tsv:1: expected zh<TAB>translation"):
        read_cache(cache)
