from __future__ import annotations

import pytest

from zhbridge.io import InputError
from zhbridge.train import data


def test_leakage_filter_drops_exact_and_near_duplicates_of_held_out_segments():
    held_out = ["郑州市微短剧产业规模预计将达到100亿元。", "Shudian is the new Hengdian of short dramas."]
    train = [
        ("郑州市微短剧产业规模预计将达到100亿元！", "unrelated english"),  # punctuation differs: exact after normalising
        ("郑州市微短剧产业规模预计将达到101亿元。", "another"),  # one character off: near duplicate
        ("今天天气很好。", "SHUDIAN is the new Hengdian of short dramas"),  # English side leaks
        ("我爱你。", "I love you."),
        ("演员在片场工作。", "The actors work on set."),
    ]
    kept, report = data.filter_leakage(train, held_out)
    assert kept == train[3:]
    assert report.dropped_exact == 2 and report.dropped_near == 1 and report.kept == 2


def test_short_phrases_are_not_near_duplicates():
    kept, report = data.filter_leakage([("你好。", "Hello."), ("谢谢你", "Thanks")], ["你好吗", "Thank you"])
    assert len(kept) == 2 and report.dropped == 0


def test_bench_paths_are_refused(tmp_path):
    with pytest.raises(InputError, match="evaluation data"):
        data.check_not_bench(data.BENCH_DIR / "wmt" / "wmt23" / "src.zh")
    ok = tmp_path / "pairs.tsv"
    ok.write_text("我爱你。\tI love you.\n", encoding="utf-8")
    assert data.read_tsv_pairs(ok) == [("我爱你。", "I love you.")]


def test_malformed_tsv_names_the_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("我爱你。\tI love you.\nno tab here\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.tsv:2"):
        data.read_tsv_pairs(bad)


def test_general_data_copies_load_as_zh_en_pairs():
    tatoeba = data.tatoeba_pairs()
    wmt = data.wmt_en_zh_pairs()
    assert len(tatoeba) > 29000 and len(wmt) > 4000
    for zh, en in tatoeba[:50] + wmt[:50]:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh)
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in en)


def test_weighted_merge_dedupes_first_then_repeats_by_source_weight():
    from zhbridge.train.data import weighted_merge

    news = [(f"新闻{i}", f"news {i}") for i in range(10)]
    chat = [(f"聊天{i}", f"chat {i}") for i in range(100)]
    merged = weighted_merge({"news": news + news[:3], "chat": chat + news[:2]}, {"news": 2.0, "chat": 0.5}, seed=0)
    assert merged.count(news[0]) == 2  # weight 2, and the duplicates inside and across sources do not add up
    assert all(merged.count(p) == 2 for p in news)
    kept_chat = [p for p in chat if p in merged]
    assert all(merged.count(p) == 1 for p in kept_chat)
    assert 35 <= len(kept_chat) <= 65  # a seeded half
    assert merged == weighted_merge({"news": news + news[:3], "chat": chat + news[:2]}, {"news": 2.0, "chat": 0.5}, seed=0)
    assert weighted_merge({"a": news, "b": news}) == news  # no weights: plain deduplication
