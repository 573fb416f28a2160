from zhbridge.terms.match import TermMatcher, fold


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
