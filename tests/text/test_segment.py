from __future__ import annotations

from zhbridge.text.segment import split_en, split_sentences, split_zh


def test_zh_quotes_stay_with_their_sentence():
    assert split_zh("“准备好了吗？”“来，3、2、1，开始……”") == ["“准备好了吗？”", "“来，3、2、1，开始……”"]


def test_zh_ellipsis_followed_by_comma_is_not_a_boundary():
    assert split_zh("据统计……，其中315部登上热力榜。规模达23亿元。") == ["据统计……，其中315部登上热力榜。", "规模达23亿元。"]


def test_zh_sentences_concatenate_back_to_paragraph():
    paragraph = "郑州微短剧的异军突起，绝非偶然。成本洼地、政策赋能与生态集聚的三重合力，构筑了核心引擎！真的吗？"
    assert "".join(split_zh(paragraph)) == paragraph
    assert len(split_zh(paragraph)) == 3


def test_en_abbreviations_and_amounts_do_not_split():
    text = 'Mr. Zhang said the U.S. market grew. It cost RMB 10 million. Then came the "quality leap." Next.'
    assert split_en(text) == [
        "Mr. Zhang said the U.S. market grew.",
        "It cost RMB 10 million.",
        'Then came the "quality leap."',
        "Next.",
    ]


def test_en_opening_quote_moves_to_next_sentence():
    assert split_en('"Are you ready?" "Alright, 3, 2, 1, action..."') == ['"Are you ready?"', '"Alright, 3, 2, 1, action..."']


def test_en_lowercase_continuation_after_quote_is_merged():
    assert split_en('"Go away!" she replied. The end.') == ['"Go away!" she replied.', "The end."]


def test_split_sentences_dispatches_and_handles_empty():
    assert split_sentences("", "zh") == []
    assert split_sentences("One. Two.", "en") == ["One.", "Two."]
