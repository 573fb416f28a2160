"""Known-bad outputs get the flag a reviewer needs; good ones get none."""

from zhbridge.mt.qa import build_report, check_segment, segment_flags
from zhbridge.mt.review import (
    LOW_CONFIDENCE,
    confidence,
    doubled_words,
    invented_names,
    invented_words,
    markup_junk,
    misplaced_terms,
    review_line,
)


def kinds(src, tgt, terms=()):
    return [i["kind"] for i in check_segment(src, tgt, terms)]


def test_invented_names_are_flagged_and_supported_ones_are_not():
    byline = "记者王小明、李华、张伟、刘洋、陈静报道。"
    assert invented_names(byline, "Reporters Xi Jinping and Wang Xiaoming report.") == ["Xi Jinping"]
    assert invented_names("大陆和台湾的关系。", "Relations between the United States and Taiwan.") == ["United States"]
    assert invented_names("郑州是中国的微短剧之都。", "Zhengzhou is China's capital of micro-short drama.") == []
    assert invented_names("竖店很有名。", "Shudian is famous.", [{"found": "Shudian", "en": "Shudian"}]) == []
    assert invented_names("他使用了GPT模型。", "He used the GPT model.") == []
    assert "invented-name" in kinds(byline, "Reporters Xi Jinping and Wang Xiaoming report.")


def test_invented_words_are_flagged_and_english_glossary_and_pinyin_are_not():
    # the shipped default's output on real articles (issue 27), through the real word list
    salad = "The minim series mini-marine minimacy screens, fast-making, mini series of hubsty huts and the human hus."
    assert invented_words("竖店的微短剧产业。", salad) == ["minimacy", "hubsty", "hus"]
    assert invented_words("郑州是竖店。", "The minim is the top of the elevis.") == ["elevis"]
    assert "invented-word" in kinds("郑州是竖店。", "The minim is the top of the elevis.")
    good = "The micro-short drama industry in Zhengzhou is developing fast, and actors are reshooting scenes."
    assert invented_words("郑州微短剧产业发展很快，演员们在重拍。", good) == []
    # a glossary rendering's words, the source's own Latin words and the pinyin of source characters are no inventions
    term = [{"zh": "竖店", "en": "Shudian", "found": "shudian hengdian", "status": "honoured"}]
    assert invented_words("竖店很有名。", "The shudian hengdian is famous.", term) == []
    assert invented_words("竖店很有名。", "The shudian hengdian is famous.") == []  # 竖店 is shu dian
    assert invented_words("他们用vlog宣传。", "They promote it with a vlog.") == []
    assert invented_words("这是第21部。", "This is the 21st one.") == []


def test_doubled_words_are_flagged_and_doubled_names_are_not():
    assert doubled_words("微短剧。", 'the mini series of "the human human hus"') == ["human human"]
    assert "doubled-word" in kinds("微短剧。", "Mini Mini series are popular.")
    assert doubled_words("方方说了。", "Fang Fang said so.") == []  # 方方: a name in pinyin
    assert doubled_words("他早就吃过了。", "He had had lunch.") == []
    assert kinds("该负责人不负责。", "The responsible responsible responsible person.") == ["repetition"]  # not both


def test_numbers_changed_missing_and_invented():
    assert kinds("产量达到100部。", "Output reached 10 titles.") == ["numbers"]  # changed
    assert kinds("产量达到100部。", "Output reached many titles.") == ["numbers"]  # missing
    assert kinds("产量很高。", "Output reached 300 titles in 2019.") == ["numbers-invented"]


def test_markup_junk():
    assert markup_junk("他说你好。", "He said &lt;em&gt;hello&lt;/em&gt;.") == ["&lt;", "&gt;"]
    assert kinds("他说你好。", "He said <b>hello</b>.") == ["markup-junk"]
    assert markup_junk("使用<b>标签</b>。", "Use <b>tags</b>.") == []


def test_appended_term_is_flagged_and_placed_term_is_not():
    terms = [{"zh": "竖店", "en": "Shudian", "found": "Shudian", "start": 3, "status": "constrained-decoding", "reason": ""}]
    appended = 'Zhengzhou is the mini series. The minim is the top of the elevis. The Shudian ("vertical-screen Hengdian").'
    assert [t for t, _ in misplaced_terms("郑州是竖店。", appended, terms)] == ["Shudian"]
    assert "term-misplaced" in kinds("郑州是竖店。", appended, terms)
    assert misplaced_terms("郑州是竖店。", "Zhengzhou is Shudian.", terms) == []
    inserted = [{**terms[0], "start": 0, "status": "post-edited"}]
    assert misplaced_terms(
        "竖店在郑州，很多演员在这里拍摄短剧。", "Many actors shoot short dramas here in Zhengzhou Shudian", inserted
    )


def test_repetition_stutter():
    assert kinds("该负责人不负责。", "The responsible responsible responsible person is not responsible.") == ["repetition"]


def test_report_ranks_worst_first_and_counts_reasons():
    def seg(i, src, tgt, logprob, similarity):
        record = {"id": f"u{i}-s1", "src": src, "tgt": tgt, "origin": "mt", "score": None, "terms": []}
        # what mt.review.attach_confidence writes: the fitted confidence, flags included
        return {**record, "confidence": confidence(logprob, similarity, src=src, tgt=tgt, flags=segment_flags(record))}

    segments = [
        seg(1, "郑州是微短剧之都。", "Zhengzhou is the capital of micro-short drama.", -0.5, 0.7),
        seg(2, "产量达到100部。", "Output reached 10 titles.", -0.5, 0.7),
        seg(3, "记者王小明报道。", "Reporter Xi Jinping reports &lt;em&gt;.", -0.5, 0.7),
        seg(4, "产业发展很快。", "The weather was cold in the mountains of the north yesterday.", -3.0, 0.02),
        seg(5, "郑州是竖店。", "Zhengzhou is the minim of the elevis.", -0.5, 0.7),
        seg(6, "微短剧很火。", "Mini Mini series are popular.", -0.5, 0.7),
    ]
    report = build_report("doc", segments, {})
    order = [r["segment"] for r in report["segments"]]
    assert order[-1] == "u1-s1" and order[0] == "u4-s1"  # flagged ones between: numbers, names+junk
    s = report["summary"]
    assert s["needs_review"] == 5 and s["invented_names"] == 1 and s["markup_junk"] == 1
    assert s["invented_words"] == 1 and s["doubled_words"] == 1
    line = review_line(s)
    assert line.startswith(
        "5 of 6 segments need review: 1 invented names, 1 invented words, 1 numbers missing or changed, 1 markup junk"
    )
    assert "1 doubled words" in line
    assert "1 low confidence only" in line
    assert [i["segment"] for i in report["issues"]][0] in ("u2-s1", "u3-s1")


# human translations (the test fixtures' own pairs) and known-bad outputs of the same kind of sources
GOOD = [
    ("郑州是微短剧创作之都。", "Zhengzhou is the capital of micro-short drama creation."),
    ("微短剧产业发展很快。", "The micro-short drama industry is developing fast."),
    ("2025年全市微短剧产量达到100部。", "In 2025 the city produced 100 micro-short dramas."),
    ("演员们在郑州拍摄短剧。", "Actors shoot short dramas in Zhengzhou."),
    ("这部短剧的播放量超过3亿次。", "This short drama has been played more than 300 million times."),
    ("河南文化发展报告发布。", "The Henan culture development report was released."),
]
BAD = [
    ("记者王小明、李华报道。", "Reporters Xi Jinping and Joe Biden report from the United States."),  # invented names
    ("2025年全市微短剧产量达到100部。", "In 1998 the city produced 7 films."),  # changed numbers
    ("平台推出了精品微短剧。", "The &lt;em&gt;platform&lt;/em&gt; &amp; the the the the the."),  # junk, repetition
    ("产业链条不断完善。", "Yesterday it rained heavily in the mountains."),  # fluent, about something else
    ("短剧出海成为新趋势。", "Short"),  # cut off
    ("竖店吸引了很多演员。", "Shudian attracted. The minim is the top of the elevis. Shudian Shudian many actors."),
    ("竖店的微短剧产业。", "The minim series mini-marine minimacy screens, hubsty huts and the human human hus."),  # salad
]


def test_known_bad_outputs_carry_their_flags():
    """Every known-bad output but the fluent off-topic one (the confidence's job) has a flag, each good one none."""
    assert [segment_flags({"src": z, "tgt": e}) for z, e in GOOD] == [[]] * len(GOOD)
    flags = [segment_flags({"src": z, "tgt": e}) for z, e in BAD]
    assert "invented-name" in flags[0] and "numbers" in flags[1] and "markup-junk" in flags[2]
    assert "repetition" in flags[2] and flags[3] == [] and flags[4] == ["length-ratio"]
    assert "invented-word" in flags[5] and "doubled-word" in flags[5]
    assert flags[6][:1] == ["invented-word"] and "doubled-word" in flags[6]


def _confidences(pairs, logprob):
    from zhbridge.embed import paired_similarity

    sims = paired_similarity([z for z, _ in pairs], [e for _, e in pairs])
    return [
        confidence(logprob, float(sim), src=z, tgt=e, flags=segment_flags({"src": z, "tgt": e}))
        for (z, e), sim in zip(pairs, sims)
    ]


def test_fitted_confidence_ranks_known_bad_below_good():
    """The shipped fitted model (mt/data/confidence.json), real encoder: every bad output below every good one."""
    good, bad = _confidences(GOOD, -0.8), _confidences(BAD, -0.8)
    assert all(0.0 <= c <= 1.0 for c in good + bad)
    assert max(bad) < min(good), (bad, good)
    assert sum(bad) / len(bad) < LOW_CONFIDENCE <= sum(good) / len(good)


def test_confidence_rises_with_probability_and_similarity_and_falls_with_flags():
    src, tgt = "微短剧产业发展很快。", "The micro-short drama industry is developing fast."
    base = confidence(-1.0, 0.5, src=src, tgt=tgt)
    assert confidence(-0.3, 0.5, src=src, tgt=tgt) > base > confidence(-1.0, 0.2, src=src, tgt=tgt)
    assert confidence(-1.0, 0.5, src=src, tgt=tgt, flags=["numbers"]) < base
    assert confidence(-1.0, 0.5, src=src, tgt=tgt, flags=["term-misplaced"]) < base  # a prior weight: no glossary in the fit data
    assert confidence(None, None) is None and confidence(None, 0.5, src=src, tgt=tgt) is not None
