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
