"""The shared lexicon (zhbridge.terms.lexicon): CC-CEDICT, glossary and learned entries; English lemmas."""

import pytest

from zhbridge.terms.lexicon import en_content_lemmas, load_lexicon, stem


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
