from zhbridge.terms.lookup import LookupIndex, pinyin_key


def modes(hits):
    return [(h.mode, h.entry.zh) for h in hits]


def test_exact(glossary):
    hits = LookupIndex(glossary).lookup("竖店", use_cedict=False)
    assert hits[0].mode == "exact" and hits[0].entry.zh == "竖店"


def test_containment_both_ways(glossary):
    hits = modes(LookupIndex(glossary).lookup("微短剧创作之都", use_cedict=False))
    assert ("exact", "微短剧创作之都") in hits
    assert ("contains", "微短剧") in hits  # term inside the query
    assert any(mode == "contained-in" and zh.startswith("郑州市打造") for mode, zh in hits)  # query inside the term


def test_pinyin_with_and_without_tones(glossary):
    index = LookupIndex(glossary)
    for query in ("shudian", "shù diàn", "Shu4 Dian4"):
        assert modes(index.lookup(query, use_cedict=False))[0] == ("pinyin", "竖店"), query
    assert pinyin_key("lü3") == pinyin_key("lu:3") == "lv"


def test_english_reverse_lookup_ranks_exact_renderings_first(glossary):
    hits = LookupIndex(glossary).lookup("mini series", use_cedict=False)
    english = [h for h in hits if h.mode == "english"]
    assert english[0].entry.zh == "微短剧" and english[0].score == 100
    assert {h.entry.zh for h in english if h.score == 100} == {"微短剧"}
    assert any(h.entry.zh == "微短剧+" for h in english)  # "mini series+" contains both words
    variant = LookupIndex(glossary).lookup("micro-short drama", use_cedict=False)
    assert variant[0].entry.zh == "微短剧"


def test_fuzzy_scores_are_ranked(glossary):
    hits = [
        h for h in LookupIndex(glossary).lookup("Zhengzhou Dazhi Film and Television Bass", use_cedict=False) if h.mode == "fuzzy"
    ]
    assert hits and hits[0].entry.zh == "郑州大志影视基地"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    typo = LookupIndex(glossary).lookup("shudain", use_cedict=False)
    assert typo and typo[0].mode == "fuzzy" and typo[0].entry.zh == "竖店"


def test_cedict_fallback_is_labelled(glossary, monkeypatch):
    from zhbridge.terms import lookup as lookup_module
    from zhbridge.terms.glossary import Entry

    fake = [Entry("短视频", "short video", (), "duan3 shi4 pin2", "general dictionary", "CC-CEDICT", "cc-cedict")]
    monkeypatch.setattr(lookup_module, "cedict_lookup", lambda query, limit=5: fake)
    hits = LookupIndex(glossary).lookup("短视频")
    assert [(h.mode, h.origin) for h in hits] == [("cc-cedict", lookup_module.CEDICT)]
    assert LookupIndex(glossary).lookup("短视频", use_cedict=False) == []


def test_traditional_query_is_an_exact_hit_not_a_fuzzy_one(glossary):
    index = LookupIndex(glossary)
    for query, zh in (("橫店", "横店"), ("鄭州", "郑州"), ("竪店", "竖店"), ("豎店", "竖店"), ("微短劇", "微短剧")):
        hits = index.lookup(query, use_cedict=False)
        assert (hits[0].mode, hits[0].entry.zh, hits[0].score) == ("exact", zh, 100), query
    contains = modes(index.lookup("鄭州大志影視基地", use_cedict=False))
    assert contains[0] == ("exact", "郑州大志影视基地")


def test_cedict_fallback_takes_traditional_queries():
    from zhbridge.terms.lookup import cedict_lookup

    assert [e.zh for e in cedict_lookup("電影", limit=1)] == ["电影"]


def test_cedict_entries_and_lookup_label_the_same_entry_alike():
    from zhbridge.terms.lookup import CEDICT_CATEGORY, cedict_entries, cedict_lookup

    looked_up = cedict_lookup("电影", limit=1)[0]
    listed = next(e for e in cedict_entries() if e.zh == "电影")
    assert looked_up == listed
    assert (listed.category, listed.source) == (CEDICT_CATEGORY, "cc-cedict") == ("general dictionary", "cc-cedict")
    assert "not a project decision" in listed.note and listed.en


def test_shipped_glossary_answers_the_issue_28_traditional_and_industry_queries():
    """A new user's queries: Traditional 橫店 is an exact hit, 殺青 is the film wrap, not CC-CEDICT's book sense."""
    from zhbridge.terms.glossary import load_glossary

    shipped = load_glossary()
    index = LookupIndex(shipped)
    for query, zh, en in (("橫店", "横店", "Hengdian"), ("殺青", "杀青", "wrap"), ("霸道總裁", "霸道总裁", "domineering CEO")):
        top = index.lookup(query)[0]
        assert (top.mode, top.entry.zh, top.entry.en, top.origin) == ("exact", zh, en, "glossary"), query
    # hk01.com-style Traditional news: every term is found, with offsets into the Traditional text
    text = "有「竪店」之稱的鄭州，微短劇拍攝量超越橫店，霸道總裁劇在爛尾樓取景"
    found = {text[m.start : m.end]: m.entry.zh for m in shipped.find(text)}
    assert {
        "竪店": "竖店",
        "鄭州": "郑州",
        "微短劇": "微短剧",
        "橫店": "横店",
        "霸道總裁": "霸道总裁",
        "爛尾樓": "烂尾楼",
    }.items() <= found.items()
