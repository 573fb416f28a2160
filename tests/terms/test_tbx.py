import pytest

from zhbridge.io import InputError
from zhbridge.terms.glossary import Entry, sort_key
from zhbridge.terms.tbx import entries_to_tbx, tbx_to_entries, write_tbx


def test_export_import_round_trip_is_equal(tmp_path, entries):
    tricky = Entry("测试<&>", "a & b <c>", ("x | y", "line\nbreak"), "cè shì", "industry term", 'note "q"', "src")
    original = sorted(entries + [tricky], key=sort_key)
    path = tmp_path / "g.tbx"
    write_tbx(original, path)
    assert tbx_to_entries(path) == original


def test_default_export_is_tbx_2008_martif_without_namespace(entries):
    from lxml import etree

    root = etree.fromstring(entries_to_tbx(entries))
    assert root.tag == "martif" and root.get("type") == "TBX-Basic"
    assert all(el.tag.startswith("{") is False for el in root.iter() if isinstance(el.tag, str))
    assert len(root.findall("text/body/termEntry")) == len(entries)


def test_v3_export_uses_the_default_namespace_and_round_trips(entries):
    data = entries_to_tbx(entries, dialect="v3")
    assert data.count(b'xmlns="urn:iso:std:iso:30042:ed-2"') == 1 and b"ns0:" not in data
    assert b"<conceptEntry" in data and b"<langSec" in data
    assert tbx_to_entries(data) == entries


def test_unknown_dialect_is_refused(entries):
    with pytest.raises(InputError, match="TBX dialect"):
        entries_to_tbx(entries, dialect="2019")


def test_data_categories_are_real_ones():
    from lxml import etree

    entry = Entry("横店", "Hengdian", ("Hengdian World Studios",), "héng diàn", "place", "published", "002")
    concept = etree.fromstring(entries_to_tbx([entry])).find("text/body/termEntry")
    assert concept.findtext("descrip[@type='subjectField']") == "micro-short drama industry"
    assert "category: place" in [n.text for n in concept.findall("note")]
    english = concept.findall("langSet[@{http://www.w3.org/XML/1998/namespace}lang='en']/tig")
    assert [t.findtext("termNote[@type='termType']") for t in english] == ["fullForm", "variant"]
    assert {t.findtext("termNote[@type='partOfSpeech']") for t in english} == {"properNoun"}


def test_pinyin_spelling_is_never_an_english_term():
    from lxml import etree

    entry = Entry("36氪", "36Kr", ("3 6 Ke",), "36 kè", "publisher", "own name", "000")
    concept = etree.fromstring(entries_to_tbx([entry])).find("text/body/termEntry")
    english_terms = [t.text for t in concept.iter("term")][1:]
    assert english_terms == ["36Kr"]
    zh_notes = [n.text for n in concept.find("langSet/tig").findall("note")]
    assert zh_notes == ["pinyin: 36 kè", "romanization: 3 6 Ke"]
    assert tbx_to_entries(entries_to_tbx([entry])) == [entry]


def test_translate_toolkit_reads_every_entry(entries):
    from translate.storage import tbx as tt_tbx

    store = tt_tbx.tbxfile.parsestring(entries_to_tbx(entries))
    units = [u for u in store.units if u.source]
    assert len(units) == len(entries)
    assert {u.source: u.target for u in units} == {e.zh: e.en for e in entries}


def test_reads_older_zhbridge_exports_with_the_category_as_subject_field():
    data = """<?xml version="1.0"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic"><text><body>
<conceptEntry id="c1"><descrip type="subjectField">place</descrip>
 <langSec xml:lang="zh"><termSec><term>横店</term><termNote type="pronunciation">héng diàn</termNote></termSec></langSec>
 <langSec xml:lang="en"><termSec><term>Hengdian</term></termSec></langSec>
</conceptEntry></body></text></tbx>""".encode()
    [entry] = tbx_to_entries(data)
    assert (entry.category, entry.pinyin) == ("place", "héng diàn")


def test_reads_tbx_2008_martif_layout():
    data = """<?xml version="1.0"?>
<martif type="TBX" xml:lang="en"><text><body>
<termEntry id="t1"><descrip type="subjectField">place</descrip>
 <langSet xml:lang="zh-CN"><tig><term>横店</term></tig></langSet>
 <langSet xml:lang="en"><tig><term>Hengdian</term></tig><tig><term>Hengdian World Studios</term></tig></langSet>
</termEntry></body></text></martif>""".encode()
    [entry] = tbx_to_entries(data)
    assert (entry.zh, entry.en, entry.variants, entry.category) == ("横店", "Hengdian", ("Hengdian World Studios",), "place")


def test_external_entity_is_refused(tmp_path):
    path = tmp_path / "xxe.tbx"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<tbx><text><body><conceptEntry><note>&x;</note></conceptEntry></body></text></tbx>"
    )
    with pytest.raises(InputError, match="xxe.tbx: refused unsafe XML"):
        tbx_to_entries(path)


def test_entity_bomb_is_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
        + "]><tbx><text><body><conceptEntry><note>&i;</note></conceptEntry></body></text></tbx>"
    )
    with pytest.raises(InputError, match="refused unsafe XML"):
        tbx_to_entries(bomb.encode(), name="bomb.tbx")


def test_not_tbx_is_a_clear_error():
    with pytest.raises(InputError, match="not a TBX file"):
        tbx_to_entries(b"<html><body/></html>", name="page.tbx")


def test_short_form_travels_as_tbx_short_form(tmp_path):
    from lxml import etree

    full = 'Shudian ("vertical-screen Hengdian")'
    entry = Entry("竖店", full, ("Vertical Town",), "shù diàn", "nickname", "", "", short="Shudian")
    plain = Entry("郑州", "Zhengzhou")
    data = entries_to_tbx([entry, plain])
    english = (
        etree.fromstring(data)
        .find("text/body/termEntry")
        .findall("langSet[@{http://www.w3.org/XML/1998/namespace}lang='en']/tig")
    )
    assert [(t.findtext("term"), t.findtext("termNote[@type='termType']")) for t in english] == [
        (full, "fullForm"),
        ("Vertical Town", "variant"),
        ("Shudian", "shortForm"),
    ]
    back = tbx_to_entries(data)
    assert back == [entry, plain] and back[0].short == "Shudian" and back[1].short == ""
    for dialect in ("2008", "v3"):
        path = tmp_path / f"g-{dialect}.tbx"
        write_tbx([entry], path, dialect=dialect)
        assert tbx_to_entries(path) == [entry]
