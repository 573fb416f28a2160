"""Decoding loops (zhbridge.text.repetition): a repeated word n-gram, a word stuttered in a row."""

from zhbridge.text.repetition import repetition_loop, stutter


def test_a_4gram_three_times_is_a_loop_twice_is_not():
    loop = "the mini series industry of the mini series industry of the mini series industry of the city"
    assert repetition_loop(loop) == "the mini series industry"
    assert repetition_loop("The Mini Series Industry grows; the mini series industry shrinks.") is None
    assert repetition_loop("go go go go go go", n=2) == "go go"


def test_stutter_is_one_word_three_times_in_a_row():
    assert stutter("the city is responsible responsible, Responsible for it") == "responsible"
    assert stutter("responsible and responsible") is None
