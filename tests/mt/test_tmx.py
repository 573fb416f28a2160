import pytest

from zhbridge.io import InputError
from zhbridge.mt.tmx import TMUnit, read_tmx, tmx_bytes

UNITS = [
    TMUnit(
        "竖店吸引了很多演员。",
        "Shudian has attracted many actors.",
        {"origin": "post-edit", "file": "a.tmx"},
        "20250101T000000Z",
        "20250102T000000Z",
        "ann",
    ),
    TMUnit("郑州 & <竖店>", "Zhengzhou & <Shudian>"),
]


def test_written_tmx_is_valid_tmx_1_4_and_reads_back(check_tmx):
    data = tmx_bytes(UNITS)
    check_tmx(data)
    assert read_tmx(data, name="x.tmx") == UNITS


def test_translate_toolkit_reads_units_and_languages():
    from translate.storage import tmx as tt_tmx

    store = tt_tmx.tmxfile.parsestring(tmx_bytes(UNITS))
    assert [(u.source, u.target) for u in store.units] == [(u.zh, u.en) for u in UNITS]


OMEGAT = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.1"><header creationtool="OmegaT" srclang="zh-CN" adminlang="EN-US" datatype="plaintext" o-tmf="OmegaT TMX" segtype="sentence" creationtoolversion="3.6"/>
<body>
<tu><tuv lang="zh-CN"><seg>竖店很有名。</seg></tuv><tuv lang="en"><seg>pre-filled, never touched</seg></tuv></tu>
<tu><tuv lang="zh-CN"><seg>竖店吸引了很多演员。</seg></tuv>
    <tuv lang="en" changeid="ann" changedate="20250102T000000Z"><seg>Shudian draws <ph>&lt;b&gt;</ph>many actors.</seg></tuv></tu>
<tu><tuv lang="fr"><seg>autre</seg></tuv><tuv lang="en"><seg>other</seg></tuv></tu>
</body></tmx>""".encode()


def test_omegat_project_memory_keeps_only_what_a_translator_touched():
    assert [u.en for u in read_tmx(OMEGAT)] == ["pre-filled, never touched", "Shudian draws many actors."]
    [confirmed] = read_tmx(OMEGAT, confirmed_only=True)
    assert (confirmed.zh, confirmed.en, confirmed.changedate, confirmed.creationid) == (
        "竖店吸引了很多演员。",
        "Shudian draws many actors.",
        "20250102T000000Z",
        "ann",
    )


def test_not_tmx_is_a_clear_error():
    with pytest.raises(InputError, match="not a TMX file"):
        read_tmx(b"<xliff/>", name="x.tmx")
