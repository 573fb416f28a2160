from zhbridge.mt.qa import build_report, check_segment, report_markdown


def kinds(issues):
    return sorted(i["kind"] for i in issues)


def test_numbers_compared_by_value():
    assert check_segment("播放量超过3亿次。", "It was played more than 300 million times.") == []
    assert check_segment("2025年12月产量达到1.5万部。", "In December 2025 output reached 15,000 titles.") == []
    issues = check_segment("产量达到100部。", "Output reached 10 titles.")
    assert kinds(issues) == ["numbers"] and "100" in issues[0]["detail"]


def test_untranslated_and_length_ratio():
    assert kinds(check_segment("郑州是微短剧创作之都，产业发展很快。", "Zhengzhou 微短剧 capital of drama")) == ["untranslated"]
    assert kinds(check_segment("郑州是微短剧创作之都，产业发展很快。", "Yes.")) == ["length-ratio"]


def test_report_counts_origins_and_terms():
    segs = [
        {
            "id": "u1-s1",
            "src": "郑州。",
            "tgt": "Zhengzhou.",
            "origin": "tm-exact",
            "score": 100.0,
            "terms": [{"zh": "郑州", "en": "Zhengzhou", "status": "honoured", "reason": ""}],
        },
        {
            "id": "u1-s2",
            "src": "微短剧。",
            "tgt": "Short plays.",
            "origin": "mt",
            "score": None,
            "terms": [{"zh": "微短剧", "en": "micro-short drama", "status": "not-honoured", "reason": "enforcement off"}],
        },
    ]
    report = build_report("a.txt", segs, {"model": "m", "backend": "hf", "enforce": False, "tm": ""})
    s = report["summary"]
    assert (s["tm_exact"], s["mt"], s["terms_found"], s["terms_honoured"], s["terms_not_honoured"]) == (1, 1, 2, 1, 1)
    assert any(i["kind"] == "term" and "micro-short drama" in i["detail"] for i in report["issues"])
    assert "enforcement off" in report_markdown(report)


def test_repetition_loops_are_flagged():
    from zhbridge.mt.qa import check_segment
    from zhbridge.text.repetition import repetition_loop

    loop = "the mini series industry of the mini series industry of the mini series industry of the city"
    assert repetition_loop(loop) == "the mini series industry"
    assert repetition_loop("the mini series industry grows; the mini series industry shrinks.") is None  # twice only
    kinds = [issue["kind"] for issue in check_segment("郑州微短剧产业。", loop)]
    assert "repetition" in kinds


def test_number_check_reads_numbers_like_the_repair_does():
    from zhbridge.mt.numbers import repair_numbers

    # a garbled run of digits is shown as written, not as a float (2.0202e+21), and the repair clears it
    src, hyp = "1月13日，2026年产量达到120个。", "On 2020202020202020202020, output in 2020 reached 120."
    [issue] = check_segment(src, hyp)
    assert "2020202020202020202020" in issue["detail"] and "e+" not in issue["detail"]
    fixed, _ = repair_numbers(src, hyp)
    assert fixed == "On January 13, output in 2026 reached 120." and check_segment(src, fixed) == []
    # Chinese numerals count on both sides: 三年 → "three years" or "3 years" are both right
    assert check_segment("用了三年时间。", "It took 3 years.") == []
    assert check_segment("两万五千人参加。", "25,000 people took part.") == []


def test_numbers_of_renderings_and_circled_numerals_are_not_extra():
    ne_zha = [{"zh": "哪吒之魔童闹海", "en": "Ne Zha 2", "found": "Ne Zha 2", "status": "honoured", "reason": ""}]
    src = "《哪吒之魔童闹海》横空出世。"
    assert check_segment(src, "Ne Zha 2 burst onto the scene.", ne_zha) == []
    assert kinds(check_segment(src, "Ne Zha 2 burst onto the scene.")) == ["numbers-invented"]  # without the term record
    assert check_segment("说说我们走过的这五年⑩", "Talking about these five years (10)") == []
