from zhbridge.terms.extract import Corpus, chinese_candidates, evaluate_against, extract_terms
from zhbridge.terms.glossary import Entry, Glossary

PAIRS = [
    ("郑州被称为竖店，竖店很火。", "Zhengzhou is called Shudian, and Shudian is hot."),
    ("竖店的剧组很多。", "Shudian has many crews."),
    ("很多人来竖店拍戏。", "Many people come to Shudian to film."),
    ("郑州发展迅速。", "Zhengzhou develops fast."),
    ("我们去郑州。", "We go to Zhengzhou."),
    ("横店也有剧组。", "Hengdian also has crews."),
]


def corpus():
    return Corpus(PAIRS, [zh for zh, _ in PAIRS], "test pairs")


def test_cohesive_free_ngrams_are_candidates_and_fragments_are_not():
    found = {c.zh: c for c in chinese_candidates(corpus().chinese)}
    assert "竖店" in found and "郑州" in found
    assert found["竖店"].freq == 4
    assert "竖店很" not in found  # occurs once: below the frequency floor


def test_english_pairing_uses_cooccurrence_and_records_evidence():
    by_zh = {c.zh: c for c in extract_terms(corpus(), background=[])}
    shudian = by_zh["竖店"]
    assert shudian.en == "shudian" and shudian.co_count == 3 and shudian.dice == 1.0
    assert shudian.example_zh in dict(PAIRS) and "Shudian" in shudian.example_en
    assert by_zh["郑州"].en == "zhengzhou"


def test_background_specificity_demotes_general_words():
    domain = ["竖店发展", "竖店发展", "郑州竖店", "发展郑州", "竖店", "发展"]
    general = ["经济发展很快", "社会发展", "发展中国家"] * 20
    ranked = [c.zh for c in chinese_candidates(domain, background=general)]
    assert ranked.index("竖店") < ranked.index("发展")


def test_precision_and_recall_against_glossary():
    g = Glossary([Entry("竖店", "Shudian"), Entry("郑州", "Zhengzhou"), Entry("横店", "Hengdian")])
    candidates = extract_terms(corpus(), background=[])
    ev = evaluate_against(candidates, g, corpus(), k=2)
    top2 = candidates[:2]
    assert ev["precision_at_k"] == sum(c.zh in {"竖店", "郑州"} for c in top2) / 2
    assert ev["glossary_terms_in_corpus"] == 2  # 横店 occurs once, below the floor
    assert ev["recall"] == 1.0


def test_general_dictionary_words_rank_below_domain_terms():
    texts = ["竖店产业很火", "竖店产业发展", "产业在竖店", "竖店的产业", "产业与竖店"]
    plain = [c.zh for c in chinese_candidates(texts, dictionary={})]
    with_dictionary = {c.zh: c for c in chinese_candidates(texts, dictionary={"产业": True, "郑州": False})}
    ranked = sorted(with_dictionary, key=lambda z: -with_dictionary[z].score)
    assert with_dictionary["产业"].general and not with_dictionary["竖店"].general
    assert ranked.index("竖店") < ranked.index("产业")
    assert plain.index("产业") < plain.index("竖店")  # without the dictionary the common word wins here


def test_a_term_plus_a_modifier_is_demoted_and_number_fragments_dropped():
    texts = [
        "郑州微短剧产业发展",
        "微短剧产业很大",
        "看微短剧",
        "微短剧好看",
        "郑州微短剧",
        "微短剧+行动",
        "一批微短剧",
        "一批演员",
        "微短剧+",
    ]
    found = {c.zh: c for c in chinese_candidates(texts, dictionary={"产业": True, "郑州": False})}
    assert found["微短剧产业"].part_of == "微短剧" and found["郑州微短剧"].part_of == "微短剧"
    assert found["微短剧+"].part_of == ""  # "+" makes a term of its own, not a modifier
    assert found["微短剧"].score > found["微短剧产业"].score
    assert "一批" not in found


def test_traditional_text_counts_with_simplified():
    texts = ["鄭州「竪店」很火", "竖店的剧组", "竪店拍戲", "竖店很忙"]
    found = {c.zh: c for c in chinese_candidates(texts, dictionary={})}
    assert found["竖店"].freq == 4
