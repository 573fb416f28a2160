from zhbridge.evaluate.numbers import number_consistency
from zhbridge.mt.numbers import english_number, repair_numbers


def test_garbled_count_is_replaced_by_source_number():
    tgt, repairs = repair_numbers("120个", "20202")
    assert tgt == "120"
    assert [(r["was"], r["now"]) for r in repairs] == [("20202", "120")]


def test_scaled_money_reads_in_millions():
    assert english_number("1.2亿", 1.2e8) == "120 million"
    tgt, _ = repair_numbers("市场规模达1.2亿元。", "The market reached 12 billion yuan.")
    assert tgt == "The market reached 120 million yuan."


def test_percent_and_correct_numbers_untouched():
    src, hyp = "增长了35%，共有300部剧。", "It grew by 53%, with 300 dramas."
    tgt, repairs = repair_numbers(src, hyp)
    assert tgt == "It grew by 35%, with 300 dramas."
    assert len(repairs) == 1
    assert number_consistency([src], [tgt]).accuracy == 1.0


def test_month_date_already_right_is_kept():
    tgt, repairs = repair_numbers("2024年3月", "March 2024")
    assert (tgt, repairs) == ("March 2024", [])


def test_missing_number_without_a_wrong_one_is_left_for_qa():
    tgt, repairs = repair_numbers("共120部。", "There are many.")
    assert (tgt, repairs) == ("There are many.", [])


# dates and bare numbers, with the corpus's own: 自2024年10月起 (000-03), 1月13日 (000-01), 120个 (issue 18's table)
def test_dates_read_the_english_way():
    from zhbridge.mt.numbers import zh_dates

    assert [e for _, e in zh_dates("自2024年10月起，郑州密集出台政策。1月13日，2024年3月5日")] == [
        "October 2024",
        "January 13",
        "March 5, 2024",
    ]
    assert zh_dates("3月的产量") == []  # a month alone is left to the number rules


def test_garbled_date_is_replaced_as_a_whole():
    tgt, repairs = repair_numbers("1月13日，郑州发布了120个项目。", "On January 20202, Zhengzhou released 120 projects.")
    assert tgt == "On January 13, Zhengzhou released 120 projects."
    assert repairs == [{"source": "1月13日", "was": "January 20202", "now": "January 13"}]
    tgt, _ = repair_numbers("自2024年10月起，郑州密集出台政策。", "Since 2021, Zhengzhou has introduced policies.")
    assert tgt == "Since October 2024, Zhengzhou has introduced policies."
    assert number_consistency(["自2024年10月起"], [tgt]).accuracy == 1.0


def test_right_dates_and_other_numbers_are_not_touched():
    src = "2025年1月17日，全市微短剧产量达到100部。"
    hyp = "On January 17, 2025, the city produced 100 micro-short dramas."
    assert repair_numbers(src, hyp) == (hyp, [])


def test_bare_numbers_and_dates_need_no_model():
    from zhbridge.mt.numbers import number_only

    assert [
        number_only(s) for s in ["120个", "1.2亿元", "35%", "2024年3月", "1月13日", "二〇二五年", "共有120部剧。", "郑州"]
    ] == ["120", "120 million yuan", "35%", "March 2024", "January 13", "2025", None, None]


def test_digit_loops_take_missing_numbers_or_go():
    from zhbridge.mt.numbers import digit_loops
    from zhbridge.mt.qa import check_segment

    # the corpus's 000-01 u2-s10: a loop glued to letters, which the QA of old printed as 2.0202e+21
    src = "1月13日，由河南省社会科学院主办的研讨会在郑州举行。"
    hyp = "Henan Academy of Social Sciences, Zhengzhou-chactive (PERSON2020202020202020202020-chans)."
    assert check_segment(src, hyp)[0]["detail"].endswith("['2020202020202020202020']")
    fixed, repairs = repair_numbers(src, hyp)
    assert fixed == "Henan Academy of Social Sciences, Zhengzhou-chactive (PERSON January 13-chans)."
    assert repairs == [{"source": "1月13日", "was": "2020202020202020202020", "now": "January 13"}]
    # the number is repaired; what is left is the model's invented "chactive"
    assert [i["kind"] for i in check_segment(src, fixed)] == ["invented-word"]
    # nothing missing: the loop is removed; real numbers with repeated digits are not loops
    assert (
        repair_numbers("吸纳约69万人就业。", "employs 690,000 people,02020202020202020 more")[0] == "employs 690,000 people, more"
    )
    assert [m.group(0) for m in digit_loops("100000000 and 1,000,000 and 20252025 and 121212")] == ["121212"]


def test_missing_code_replaces_a_wrong_number():
    # 001-06's title: 郑州短剧人才需求位列TOP1
    tgt, repairs = repair_numbers("郑州短剧人才需求位列TOP1", "Zhengzhou ranks 10 in short drama talent demand")
    assert tgt == "Zhengzhou ranks TOP1 in short drama talent demand"
    assert repairs == [{"source": "TOP1", "was": "10", "now": "TOP1"}]
