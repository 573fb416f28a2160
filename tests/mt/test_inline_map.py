"""Landmarks tie source stretches to the English, and inline tags land on the right words of the translation."""

from types import SimpleNamespace

import pytest

from zhbridge.mt.documents import parse_text
from zhbridge.mt.inline_map import landmarks, number_landmarks, term_landmarks, translate_inline, unit_pieces
from zhbridge.mt.translate import document_segments
from zhbridge.terms.glossary import Entry, Glossary
from zhbridge.terms.lexicon import Lexicon

GLOSSARY = Glossary([Entry("竖店", "Shudian", ("Vertical Town",)), Entry("郑州", "Zhengzhou City")])
NO_LEXICON = SimpleNamespace(lexicon=False)  # an engine whose dictionary failed to load: no lexicon landmarks


def spans_of(tgt, found):
    return [tgt[c:d] for _, _, c, d in found]


def test_term_landmarks_find_the_rendering_used_even_a_variant():
    src = "郑州被称为竖店。"
    tgt = "Zhengzhou City is called Vertical Town."
    found = term_landmarks(src, tgt, GLOSSARY.find(src))
    assert [src[a:b] for a, b, _, _ in found] == ["郑州", "竖店"]
    assert spans_of(tgt, found) == ["Zhengzhou City", "Vertical Town"]
    assert term_landmarks(src, "Nothing matches here.", GLOSSARY.find(src)) == []


@pytest.mark.parametrize(
    ("src", "tgt", "pairs"),
    [
        (
            "产量达到120部，播放3亿次。",
            "Output reached 120 titles and 300 million plays.",
            [("120", "120"), ("3亿", "300 million")],
        ),
        ("规模1.2亿元。", "A market of 120 million yuan.", [("1.2亿", "120 million")]),
        ("产量达到120部。", "Output reached 12 titles.", []),  # a wrong number is no landmark
    ],
)
def test_number_landmarks_pair_equal_values(src, tgt, pairs):
    found = number_landmarks(src, tgt)
    assert [(src[a:b], tgt[c:d]) for a, b, c, d in found] == pairs


def test_lexicon_landmarks_never_overlap_a_glossary_term():
    lexicon = Lexicon.from_pairs([("命令", "command"), ("郑州", "Zhengzhou"), ("演员", "actors")])
    src = "郑州的演员运行命令。"
    tgt = "Actors in Zhengzhou City run the command."
    found = landmarks(src, tgt, GLOSSARY.find(src), lexicon)
    assert found[0] == (0, 2, 10, 24)  # the glossary term comes first; the lexicon's own 郑州 is dropped
    assert sorted((src[a:b], tgt[c:d]) for a, b, c, d in found) == sorted(
        [("郑州", "Zhengzhou City"), ("演员", "Actors"), ("命令", "command")]
    )
    assert landmarks(src, tgt, GLOSSARY.find(src)) == found[:1]  # without a lexicon: the term only


@pytest.fixture()
def doc_and_segments():
    doc = parse_text("郑州被称为**竖店**，产量达到120部。运行`zhbridge translate`命令。\n", "md")
    return doc, document_segments(doc)


def test_translate_inline_cuts_the_translation_at_the_bold_term(doc_and_segments):
    _, segments = doc_and_segments
    src = segments[0]["src"]
    record = {**segments[0], "tgt": "Zhengzhou is known as Shudian, with 120 productions."}
    out = translate_inline(record, NO_LEXICON, GLOSSARY.find(src))
    assert out["tgt_inline"] == ["Zhengzhou is known as ", "Shudian", ", with 120 productions."]
    assert out["tgt"] == "Zhengzhou is known as Shudian, with 120 productions."


def test_inline_code_stays_as_written_whatever_the_model_made_of_it(doc_and_segments):
    _, segments = doc_and_segments
    out = translate_inline({**segments[1], "tgt": "Run the zhbridge-translate command."}, NO_LEXICON)
    assert out["tgt_inline"] == ["Run the ", "zhbridge translate", " command."]
    assert out["tgt"] == "Run the zhbridge translate command."


def test_a_record_without_markup_is_left_alone():
    record = {"src": "你好。", "tgt": "Hello."}
    assert translate_inline(dict(record), NO_LEXICON) == record


def test_unit_pieces_join_sentences_per_span(doc_and_segments):
    doc, segments = doc_and_segments
    first = translate_inline(
        {**segments[0], "tgt": "Zhengzhou is known as Shudian, with 120 productions."},
        NO_LEXICON,
        GLOSSARY.find(segments[0]["src"]),
    )
    second = translate_inline({**segments[1], "tgt": "Run the zhbridge translate command."}, NO_LEXICON)
    assert unit_pieces(doc.units[0], [first, second]) == [
        "Zhengzhou is known as ",
        "Shudian",
        ", with 120 productions. Run the ",  # the sentence space goes where the sentences meet
        "zhbridge translate",
        " command.",
    ]


def test_unit_pieces_of_old_records_fall_back_to_a_proportional_cut(doc_and_segments):
    doc, _ = doc_and_segments
    pieces = unit_pieces(doc.units[0], [{"tgt": "Zhengzhou is known as Shudian."}, {"tgt": "Run it."}])
    assert len(pieces) == len(doc.units[0].spans)
    assert "".join(pieces) == "Zhengzhou is known as Shudian. Run it."


def test_unit_pieces_of_a_plain_unit_is_one_piece():
    doc = parse_text("你好。再见。\n", "txt")
    assert unit_pieces(doc.units[0], [{"tgt": "Hello."}, {"tgt": ""}, {"tgt": "Bye."}]) == ["Hello. Bye."]
