import pytest

from zhbridge.io import InputError
from zhbridge.terms.glossary import Entry, sort_key
from zhbridge.terms.tbx import entries_to_tbx, tbx_to_entries, write_tbx


def test_export_import_round_trip_is_equal(tmp_path, entries):
    tricky = Entry("测试<&>", "a & b <c>", ("x | y", "line\nbreak"), "cè shì", "industry term", "note \"q\"", "src")
    original = sorted(entries + [tricky], key=sort_key)
    path = tmp_path / "g.tbx"
    write_tbx(original, path)
    assert tbx_to_entries(path) == original


def test_export_is_tbx_basic(entries):
    data = entries_to_tbx(entries)
    assert b'type="TBX-Basic"' in data and b"urn:iso:std:iso:30042:ed-2" in data
    assert b"preferredTerm-admn-sts" in data and b"admittedTerm-admn-sts" in data


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
    path.write_text('<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    '<tbx><text><body><conceptEntry><note>&x;</note></conceptEntry></body></text></tbx>')
    with pytest.raises(InputError, match="xxe.tbx: refused unsafe XML"):
        tbx_to_entries(path)


def test_entity_bomb_is_refused():
    bomb = ('<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY a "aaaaaaaaaa">'
            + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
            + ']><tbx><text><body><conceptEntry><note>&i;</note></conceptEntry></body></text></tbx>')
    with pytest.raises(InputError, match="refused unsafe XML"):
        tbx_to_entries(bomb.encode(), name="bomb.tbx")


def test_not_tbx_is_a_clear_error():
    with pytest.raises(InputError, match="not a TBX file"):
        tbx_to_entries(b"<html><body/></html>", name="page.tbx")
