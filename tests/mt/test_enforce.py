from zhbridge.mt.enforce import (
    FORCED,
    HONOURED,
    NOT_HONOURED,
    POST_EDITED,
    TermForcingProcessor,
    cut_at_word,
    enforce_terms,
    find_rendering,
    insert_term,
)
from zhbridge.terms.glossary import Entry, Glossary

ZHENGZHOU_CAPITAL = "郑州是微短剧创作之都。"
ACTORS_IN_ZHENGZHOU = "演员们在郑州拍摄短剧。"

GLOSSARY = Glossary([Entry("微短剧", "micro-short drama", ("micro-drama",)), Entry("郑州", "Zhengzhou")])


class NoTermsTranslator:
    """A model that never writes the terms, so only post-edit insertion can honour them."""

    def translate_with_terms(self, text, terms):
        return "the city makes many films"


def test_find_rendering_whole_words_case_and_plural():
    assert find_rendering("Two Micro-Short Dramas were shot", ["micro-short drama"]) == "micro-short drama"
    assert find_rendering("a micro-dramatic turn", ["micro-drama"]) == ""
    assert find_rendering("zhengzhouese", ["Zhengzhou"]) == ""


def test_cut_and_insert_at_word_boundaries():
    text = "one two three four"
    assert cut_at_word(text, 0.5) in ("one two", "one two three")
    assert cut_at_word(text, 0.0) == ""
    assert cut_at_word(text, 1.0) == text
    assert insert_term(text, "X Y", 0.0) == "X Y one two three four"
    assert insert_term(text, "X Y", 1.0) == "one two three four X Y"


def test_term_already_present_is_left_alone():
    src = ZHENGZHOU_CAPITAL
    target = "Zhengzhou is the capital of micro-drama."
    out, checks = enforce_terms(src, target, GLOSSARY.find(src), translator=NoTermsTranslator())
    assert out == target
    assert [(c.zh, c.status, c.found) for c in checks] == [("郑州", HONOURED, "Zhengzhou"), ("微短剧", HONOURED, "micro-drama")]


def test_post_edit_fallback_guarantees_presence():
    src = ZHENGZHOU_CAPITAL
    out, checks = enforce_terms(src, "the city makes many films", GLOSSARY.find(src), translator=NoTermsTranslator())
    assert "Zhengzhou" in out and "micro-short drama" in out
    assert out.index("Zhengzhou") < out.index("micro-short drama")  # source order kept
    assert all(c.status == POST_EDITED and c.reason for c in checks)


def test_disabled_or_verbatim_reports_instead_of_changing():
    src = ZHENGZHOU_CAPITAL
    out, checks = enforce_terms(src, "no terms here", GLOSSARY.find(src), enabled=False)
    assert out == "no terms here" and {c.status for c in checks} == {NOT_HONOURED}
    assert "--no-enforce" in checks[0].reason
    out, checks = enforce_terms(
        src, "no terms here", GLOSSARY.find(src), translator=NoTermsTranslator(), verbatim_reason="TM exact match reused verbatim"
    )
    assert out == "no terms here" and all("TM exact" in c.reason for c in checks)


def test_constrained_decoding_puts_terms_into_random_model_output(translator):
    src = ACTORS_IN_ZHENGZHOU
    plain = translator.translate([src])[0]
    assert "Zhengzhou" not in plain  # the random model does not know the term
    out, checks = enforce_terms(src, plain, GLOSSARY.find(src), translator=translator)
    assert [c.status for c in checks] == [FORCED]
    assert find_rendering(out, ["Zhengzhou"])


def test_processor_forces_sequences_within_budget():
    import torch

    proc = TermForcingProcessor([[5, 6, 7]], eos_token_id=0, max_new_tokens=5, prompt_length=1)
    ids = torch.tensor([[9]])
    generated = []
    for _ in range(5):
        scores = torch.zeros(1, 10)
        scores[0, 0] = 10.0  # the model wants to stop at once
        tok = int(proc(ids, scores).argmax())
        generated.append(tok)
        ids = torch.cat([ids, torch.tensor([[tok]])], dim=1)
    assert generated[:4] != [0, 0, 0, 0]
    assert any(generated[i : i + 3] == [5, 6, 7] for i in range(len(generated)))


def test_insertion_never_splits_a_term_already_in_place():
    glossary = Glossary([Entry("一专多能", "one specialty, multiple skills"), Entry("郑州", "Zhengzhou")])
    src = "一专多能的人才来到郑州。"
    target = "talent with one specialty, multiple skills arrives"
    out, checks = enforce_terms(src, target, glossary.find(src), translator=NoTermsTranslator())
    assert [c.status for c in checks] == [HONOURED, POST_EDITED]
    assert "one specialty, multiple skills" in out and "Zhengzhou" in out


def test_repeated_and_nested_terms_each_need_their_own_occurrence():
    glossary = Glossary([Entry("微短剧", "micro-short drama"), Entry("短剧", "short drama"), Entry("郑州", "Zhengzhou")])
    src = "郑州微短剧和短剧，郑州。"
    target = "Zhengzhou micro-short drama"  # has no separate "short drama" and only one Zhengzhou
    out, checks = enforce_terms(src, target, glossary.find(src), translator=NoTermsTranslator())
    assert [(c.zh, c.status) for c in checks] == [
        ("郑州", HONOURED),
        ("微短剧", HONOURED),
        ("短剧", POST_EDITED),
        ("郑州", POST_EDITED),
    ]
    from zhbridge.evaluate.terms import term_accuracy

    assert term_accuracy([src], [out], glossary).accuracy == 1.0


class RamblingTranslator:
    """A weak model that can only reach the term by writing filler first (issue 27's 郑州是竖店 example)."""

    def translate_with_terms(self, text, terms):
        return "Zhengzhou is the mini series. The minim is the top of the elevis. The Shudian."


def test_constrained_output_longer_than_allowed_is_replaced_by_insertion():
    glossary = Glossary([Entry("竖店", "Shudian")])
    src = "郑州是竖店。"
    out, checks = enforce_terms(src, "Zhengzhou is the mini series.", glossary.find(src), translator=RamblingTranslator())
    assert "elevis" not in out and "Shudian" in out
    assert len(out.split()) <= len("Zhengzhou is the mini series.".split()) + 1 + 3
    assert checks[0].status == POST_EDITED and "allowed" in checks[0].reason


HUB = Glossary(
    [Entry("微短剧创作之都", "Mini Series Creation Hub"), Entry("郑州", "Zhengzhou"), Entry("拍摄基地", "shooting base")]
)


def test_insertion_repairs_a_partial_rendering_instead_of_splitting_it():
    # seen on the 24 corpus articles: "Mini Mini Series Creation Hub Series Creation Hubans, why ..."
    src = "“微短剧创作之都”，为什么是郑州？"
    out, checks = enforce_terms(src, "Mini Series Creation Hubans, why is the Zhengzhou?", HUB.find(src))
    assert out == "Mini Series Creation Hub, why is the Zhengzhou?"
    assert [c.status for c in checks] == [POST_EDITED, HONOURED]
    src = "新政助力打造“微短剧创作之都”"
    out, _ = enforce_terms(src, "The new policy builds Mini Series Creation Hubbbilt TED", HUB.find(src))
    assert out == "The new policy builds Mini Series Creation Hub TED"


def test_a_second_term_is_never_inserted_inside_a_partial_rendering():
    # 郑州 was inserted between "Creation" and "Huban" ("Mini Series Creation Zhengzhou Huban")
    src = "打造“微短剧创作之都”，郑州如何破圈？"
    out, checks = enforce_terms(src, "Advocate Mini Series Creation Huban, how break out?", HUB.find(src))
    assert "Mini Series Creation Hub" in out and out.count("Mini") == 1 and out.count("Zhengzhou") == 1
    assert "Creation Zhengzhou" not in out and all(c.ok for c in checks)


class EchoingTranslator:
    """Constrained decoding that writes the term and then the model's own words again (CT2's prefix continuation)."""

    def __init__(self, output):
        self.output = output

    def translate_with_terms(self, text, terms):
        return self.output


def test_constrained_output_loses_the_echo_of_the_forced_term():
    src = "这种情景，在郑州的拍摄基地随处可见。"
    matches = HUB.find(src)
    base = "The scene of this is everywhere, Zhengzhou in shooting bases."
    for constrained, expected in (
        (
            "The scene is everywhere, Zhengzhou in shooting base base bases.",
            "The scene is everywhere, Zhengzhou in shooting bases.",
        ),
        ("The scene is everywhere in Zhengzhou shooting shooting base.", "The scene is everywhere in Zhengzhou shooting base."),
    ):
        out, checks = enforce_terms(
            src, base.replace("shooting bases", "filming"), matches, translator=EchoingTranslator(constrained)
        )
        assert out == expected
        assert all(c.ok for c in checks)


def test_length_rule_allows_the_slack_only_within_one_and_a_half_times():
    from zhbridge.mt.enforce import allowed_words

    assert allowed_words("one two three four five six seven eight nine ten", ["Shudian"]) == 10 + 1 + 3
    assert allowed_words("Zhengzhou is the city.", ["Shudian"]) == 4 + 1 + 1  # 1.5 x 4 = 6
    assert allowed_words("Zhengzhou.", ["Mini Series Creation Hub"]) == 1 + 4  # the term itself always fits


def test_short_output_does_not_take_constrained_filler_within_the_old_slack():
    # 4 words + 1 term + 3 was allowed before; 8 words from a 4-word output is twice the length
    glossary = Glossary([Entry("竖店", "Shudian")])
    src = "郑州是竖店。"

    class Filler:
        def translate_with_terms(self, text, terms):
            return "Zhengzhou is the the Shudian of it."

    out, checks = enforce_terms(src, "Zhengzhou is the city.", glossary.find(src), translator=Filler())
    assert "of it" not in out and checks[0].status == POST_EDITED
    assert len(out.split()) <= 1.5 * 4


def test_inserted_term_goes_next_to_the_english_of_its_source_neighbour():
    # 郑州 (a landmark: honoured) is right before 微短剧 in the source; the proportional position
    # (about a third of the way) would put the term after "In 2025, the"
    glossary = Glossary([Entry("微短剧", "mini series"), Entry("郑州", "Zhengzhou")])
    src = "2025年，郑州微短剧产量达到3860部，很多。"
    out, checks = enforce_terms(src, "In 2025, the output in Zhengzhou reached 3860, and many more.", glossary.find(src))
    assert out == "In 2025, the output in Zhengzhou mini series reached 3860, and many more."
    assert [c.status for c in checks] == [HONOURED, POST_EDITED]


def test_term_between_two_landmarks_replaces_the_models_words_for_it():
    # 郑州 and 2025 bracket 竖店 and nothing else: the English between them is the model's try at the term
    glossary = Glossary([Entry("竖店", "Shudian"), Entry("郑州", "Zhengzhou")])
    src = "郑州竖店2025年产量很高。"
    out, checks = enforce_terms(src, "Zhengzhou vertical store 2025 output is high.", glossary.find(src))
    assert out == "Zhengzhou Shudian 2025 output is high."
    assert len(out.split()) <= len("Zhengzhou vertical store 2025 output is high.".split())


def test_placeholder_translator_is_not_re_decoded_lost_terms_are_inserted():
    class Placeholders:
        placeholders = True

        def translate_with_terms(self, text, terms):
            raise AssertionError("a placeholder model is not re-decoded")

    src = "郑州是竖店。"
    glossary = Glossary([Entry("竖店", "Shudian"), Entry("郑州", "Zhengzhou")])
    out, checks = enforce_terms(src, "Zhengzhou is the city.", glossary.find(src), translator=Placeholders())
    assert "Shudian" in out and [c.status for c in checks] == [HONOURED, POST_EDITED]


def test_a_term_twice_in_the_source_keeps_both_copies_when_echoes_are_dropped():
    # seen on the in-domain test: 微短剧 three times, the echo removal took one "mini series" as a repeat
    glossary = Glossary([Entry("微短剧", "mini series")])
    src = "微短剧，微短剧，微短剧。"
    out, checks = enforce_terms(src, "The mini series and mini series.", glossary.find(src))
    assert out.count("mini series") == 3 and all(c.ok for c in checks)
    from zhbridge.mt.placement import drop_echoes

    text = "a mini series mini series b"
    assert drop_echoes(text, (14, 25), "mini series") == (text, (14, 25))
    assert drop_echoes("a mini mini series b", (7, 18), "mini series") == ("a mini series b", (2, 13))
