import pytest

from zhbridge.io import InputError, OutputExistsError
from zhbridge.terms.glossary import (
    Entry,
    format_glossary_text,
    load_glossary,
    parse_glossary_text,
    pinyin_of,
    save_glossary,
)


def test_find_returns_entries_with_expected_english(glossary):
    text = "在《郑州市打造“微短剧创作之都”工作实施方案(2025—2027年)》指引下，郑州被称为竖店。"
    found = [(text[m.start : m.end], m.entry.en) for m in glossary.find(text)]
    assert found[0][1].startswith("Implementation Plan")  # ASCII brackets still match the full-width entry
    assert ("郑州", "Zhengzhou") in found and ("竖店", 'Shudian ("vertical-screen Hengdian")') in found
    assert "微短剧创作之都" not in [s for s, _ in found]  # inside the longer title, not matched again


def test_lookup_and_renderings(glossary):
    entry = glossary.lookup("微短剧")
    assert entry.renderings == ("mini series", "micro-short drama", "short drama")
    assert glossary.lookup("短视频") is None


def test_tsv_round_trip_keeps_awkward_characters(tmp_path):
    tricky = Entry("测试\t项", "a|b", ("x | y", "line\nbreak", "back\\slash"), "cè shì", "industry term", "note\twith tab", "src")
    path = tmp_path / "g.tsv"
    save_glossary([tricky], path)
    assert load_glossary(path).entries == [tricky]


def test_file_is_sorted_and_has_header(entries):
    text = format_glossary_text(reversed(entries))
    lines = text.splitlines()
    assert lines[0].split("\t") == ["zh", "en", "variants", "pinyin", "category", "note", "source"]
    assert [line.split("\t")[0] for line in lines[1:]] == sorted(e.zh for e in entries)


def test_bad_column_count_is_a_one_line_error():
    with pytest.raises(InputError, match=r"g.tsv:2: expected 7"):
        parse_glossary_text("zh\ten\tvariants\tpinyin\tcategory\tnote\tsource\n竖店\tShudian\n", name="g.tsv")


def test_save_refuses_to_overwrite_without_permission(glossary_file, entries):
    with pytest.raises(OutputExistsError):
        save_glossary(entries, glossary_file, overwrite=False)


def test_add_and_remove(glossary):
    glossary.add(Entry("出海", "going overseas", (), "chū hǎi", "industry term", "n", "002"))
    assert glossary.lookup("出海").en == "going overseas"
    with pytest.raises(InputError, match="already has"):
        glossary.add(Entry("出海", "going global"))
    glossary.remove("出海")
    assert glossary.lookup("出海") is None
    with pytest.raises(InputError):
        glossary.remove("出海")


def test_pinyin_has_tone_marks_and_keeps_latin():
    assert pinyin_of("竖店") == "shù diàn"
    assert pinyin_of("IP开发") == "IP kāi fā"
    assert pinyin_of("微短剧+") == "wēi duǎn jù+"


def test_shipped_glossary_loads_and_is_large_enough():
    g = load_glossary()
    assert len(g) >= 100
    assert g.lookup("微短剧+").en == "mini series+"
    assert g.lookup("郑州大志影视基地").en == "Zhengzhou Dazhi Film and Television Base"


def test_short_form_column_is_optional_and_round_trips():
    from zhbridge.terms.glossary import COLUMNS, Entry, format_glossary_text, parse_glossary_text

    old = format_glossary_text([Entry(zh="横店", en="Hengdian")])
    assert old.splitlines()[0] == "\t".join(COLUMNS)  # no entry with a short form: seven columns as before
    assert parse_glossary_text(old)[0].short == ""
    entry = Entry(zh="竖店", en='Shudian ("vertical-screen Hengdian")', variants=("Shudian",), short="Shudian")
    text = format_glossary_text([entry, Entry(zh="横店", en="Hengdian")])
    assert text.splitlines()[0].endswith("\tshort")
    assert entry in parse_glossary_text(text)
