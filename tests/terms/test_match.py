from zhbridge.terms.match import TermMatcher, fold, rendering_pattern


def spans(matcher, text):
    return [(m.start, m.end, text[m.start : m.end]) for m in matcher.find(text)]


def test_longest_match_wins_over_its_prefix():
    m = TermMatcher([("微短剧", 1), ("微短剧+", 2), ("短剧", 3)])
    assert [x.entry for x in m.find("实施微短剧+行动")] == [2]


def test_matches_do_not_overlap_and_go_left_to_right():
    # 郑州大志 would overlap 大志影视基地; left-to-right takes the earlier start
    m = TermMatcher([("郑州大志", "a"), ("大志影视基地", "b"), ("基地", "c")])
    assert spans(m, "郑州大志影视基地") == [(0, 4, "郑州大志"), (6, 8, "基地")]


def test_every_occurrence_found_with_offsets_into_original_text():
    m = TermMatcher([("竖店", 1)])
    text = "竖店，竖店！"
    assert [(x.start, x.end) for x in m.find(text)] == [(0, 2), (3, 5)]


def test_fullwidth_and_case_folding_keep_offsets():
    m = TermMatcher([("微短剧+", "plus"), ("AIGC", "ai")])
    text = "发展微短剧＋与aigc"
    found = m.find(text)
    assert [(x.entry, text[x.start : x.end]) for x in found] == [("plus", "微短剧＋"), ("ai", "aigc")]
    assert len(fold(text)) == len(text)


def test_no_match_and_empty_text():
    m = TermMatcher([("竖店", 1)])
    assert m.find("横店") == [] and m.find("") == []


def test_traditional_text_finds_simplified_terms_with_offsets_into_the_original():
    """hk01.com-style Traditional news: 鄭州「竪店」 meets the glossary's 郑州 and 竖店."""
    m = TermMatcher([("郑州", "Zhengzhou"), ("竖店", "Shudian"), ("横店", "Hengdian"), ("霸道总裁", "domineering CEO")])
    text = "有「竪店」之稱的鄭州，拍攝量已超越橫店，霸道總裁劇佔多數"
    found = [(x.entry, text[x.start : x.end]) for x in m.find(text)]
    assert found == [("Shudian", "竪店"), ("Zhengzhou", "鄭州"), ("Hengdian", "橫店"), ("domineering CEO", "霸道總裁")]


def test_a_traditional_key_meets_simplified_text():
    m = TermMatcher([("橫店", 1)])
    assert [(x.start, x.end) for x in m.find("去横店拍戏")] == [(1, 3)]
    assert m.get("横店") == 1 and m.get("橫店") == 1


def test_word_boundaries_are_required():
    pattern = rendering_pattern("short drama")
    assert pattern.search("a short drama.") and pattern.search("short-drama makers")
    assert not pattern.search("microshort drama") and not pattern.search("short dramatic")
    assert rendering_pattern("industries").search("industry")  # a plural rendering accepts the singular
    assert rendering_pattern("   ") is None
