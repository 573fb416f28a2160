"""Term accuracy: the reference is the ceiling, broken terms lower the score, matching is fair."""

from __future__ import annotations

import pytest

from zhbridge.evaluate.terms import term_accuracy
from zhbridge.io import InputError
from zhbridge.terms.glossary import Entry, Glossary


@pytest.fixture()
def glossary() -> Glossary:
    return Glossary(
        [
            Entry(zh="微短剧", en="micro-short drama", variants=("micro drama",)),
            Entry(zh="短剧", en="short drama"),
            Entry(zh="竖店", en="Shudian", variants=("Vertical Studio City",)),
            Entry(zh="产业", en="industry"),
            Entry(zh="横店", en="Hengdian"),
        ]
    )


SRC = [
    "郑州的微短剧产业发展迅速。",
    "竖店被称为郑州的横店。",
    "这部短剧在竖店拍摄，另一部短剧也是。",
    "今天天气很好。",
]
REF = [
    "Zhengzhou's micro-short drama industry is growing fast.",
    "Shudian is known as Zhengzhou's Hengdian.",
    "This short drama was shot in Shudian, and so was another short drama.",
    "The weather is nice today.",
]


def test_reference_against_itself_is_the_ceiling(glossary):
    result = term_accuracy(SRC, REF, glossary)
    assert (result.correct, result.total, result.accuracy) == (7, 7, 1.0)
    assert result.misses == []
    assert result.by_term["短剧"] == (2, 2)


def test_term_broken_hypothesis_scores_lower_and_lists_misses(glossary):
    broken = [
        "Zhengzhou's mini-series business is growing fast.",  # both terms replaced
        "Shudian is known as Zhengzhou's Hengdian.",
        "This skit was shot in Shudian, and so was another short drama.",  # one of two 短剧 lost
        "The weather is nice today.",
    ]
    ceiling = term_accuracy(SRC, REF, glossary)
    result = term_accuracy(SRC, broken, glossary)
    assert result.total == ceiling.total == 7
    assert result.correct == 4 and result.accuracy == pytest.approx(4 / 7)
    assert result.accuracy < ceiling.accuracy
    assert [(m.line, m.zh) for m in result.misses] == [(1, "微短剧"), (1, "产业"), (3, "短剧")]
    assert result.misses[0].expected == ("micro-short drama", "micro drama")
    assert result.by_term["短剧"] == (1, 2)


def test_a_term_twice_in_the_source_needs_two_renderings(glossary):
    src = ["短剧和短剧"]
    assert term_accuracy(src, ["short drama and short drama"], glossary).correct == 2
    assert term_accuracy(src, ["short drama and skit"], glossary).correct == 1


def test_nested_terms_do_not_share_one_rendering(glossary):
    # 微短剧 and 短剧 in one segment: "micro-short drama" answers only for 微短剧.
    src = ["微短剧不同于短剧"]
    assert term_accuracy(src, ["A micro-short drama differs from a short drama"], glossary).correct == 2
    assert term_accuracy(src, ["A micro-short drama differs from a film"], glossary).correct == 1


def test_variants_case_plural_and_possessive_are_accepted(glossary):
    src = ["微短剧", "微短剧", "微短剧", "产业", "竖店"]
    hyp = [
        "MICRO DRAMAS are popular",
        "the micro-short drama's audience",
        "micro short dramas' rise",
        "two industries",
        "Vertical Studio City",
    ]
    result = term_accuracy(src, hyp, glossary)
    assert result.accuracy == 1.0, result.misses


def test_no_terms_in_source_gives_no_accuracy(glossary):
    result = term_accuracy(["今天天气很好。"], ["Nice weather."], glossary)
    assert (result.total, result.accuracy) == (0, None)


def test_length_mismatch_is_an_input_error(glossary):
    with pytest.raises(InputError, match="2 segments.*1"):
        term_accuracy(SRC[:2], REF[:1], glossary)
