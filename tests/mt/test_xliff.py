import pytest

from zhbridge.io import InputError
from zhbridge.mt.xliff import XLIFF_NS, read_translated_units, xliff_bytes

X = f"{{{XLIFF_NS}}}"
TERM = {"zh": "竖店", "en": "Shudian", "status": "constrained-decoding", "found": "Shudian", "reason": "", "start": 0, "end": 2}
SEGMENTS = [
    {
        "id": "u1-s1",
        "unit": 0,
        "sent": 0,
        "src": "竖店吸引了很多演员。",
        "tgt": "Shudian has attracted many actors.",
        "origin": "tm-exact",
        "score": 100.0,
        "terms": [],
    },
    {
        "id": "u1-s2",
        "unit": 0,
        "sent": 1,
        "src": "竖店吸引了许多演员。",
        "tgt": "Shudian has attracted many actors.",
        "origin": "tm-fuzzy",
        "score": 90.0,
        "terms": [],
        "tm_source": "竖店吸引了很多演员。",
        "tm_target": "Shudian has attracted many actors.",
    },
    {
        "id": "u2-s1",
        "unit": 1,
        "sent": 0,
        "src": "竖店很有名。",
        "tgt": "Shudian is famous.",
        "origin": "mt",
        "score": None,
        "terms": [TERM],
    },
]


def _units(data: bytes):
    from lxml import etree

    return etree.fromstring(data).findall(f".//{X}trans-unit")


@pytest.mark.parametrize("mode", ["source", "mt"])
def test_both_target_modes_are_valid_xliff_1_2_strict(check_xliff, mode):
    check_xliff(xliff_bytes("a.txt", SEGMENTS, "1", target_mode=mode))


def test_source_mode_keeps_the_chinese_as_new_target_and_the_translation_as_a_proposal():
    units = _units(xliff_bytes("a.txt", SEGMENTS))
    for seg, unit in zip(SEGMENTS, units):
        target = unit.find(f"{X}target")
        assert (target.text, target.get("state")) == (seg["src"], "new")
        proposal = unit.find(f"{X}alt-trans")
        assert proposal.find(f"{X}target").text == seg["tgt"]
    origins = [
        (
            u.find(f"{X}alt-trans").get("origin"),
            u.find(f"{X}alt-trans").get("match-quality"),
            u.find(f"{X}alt-trans/{X}target").get("state-qualifier"),
        )
        for u in units
    ]
    assert origins == [
        ("translation-memory", "100%", "exact-match"),
        ("translation-memory", "90%", "fuzzy-match"),
        ("machine-translation", None, "leveraged-glossary"),
    ]


def test_mt_mode_puts_the_translation_in_the_target_with_its_state():
    units = _units(xliff_bytes("a.txt", SEGMENTS, target_mode="mt"))
    got = [
        (u.find(f"{X}target").text, u.find(f"{X}target").get("state"), u.find(f"{X}target").get("state-qualifier")) for u in units
    ]
    assert got == [
        (SEGMENTS[0]["tgt"], "translated", "exact-match"),
        (SEGMENTS[1]["tgt"], "needs-review-translation", "fuzzy-match"),
        (SEGMENTS[2]["tgt"], "needs-review-translation", "leveraged-glossary"),
    ]


def test_unknown_target_mode_is_refused():
    with pytest.raises(InputError, match="--xliff-target"):
        xliff_bytes("a.txt", SEGMENTS, target_mode="target")


@pytest.mark.parametrize("mode", ["source", "mt"])
def test_translate_toolkit_reads_units_and_states(mode):
    from translate.storage import xliff as tt_xliff

    store = tt_xliff.xlifffile.parsestring(xliff_bytes("a.txt", SEGMENTS, target_mode=mode))
    units = [u for u in store.units if not u.isheader()]
    assert [u.getid().split("\x04")[-1] for u in units] == ["u1-s1", "u1-s2", "u2-s1"]
    if mode == "mt":
        assert [u.target for u in units] == [s["tgt"] for s in SEGMENTS]
        # translate-toolkit's state numbers: 100 translated, 80 needs-review-translation
        assert [u.get_state_n() for u in units] == [100, 80, 80]
    else:
        assert [u.target for u in units] == [s["src"] for s in SEGMENTS]
        assert [u.get_state_n() for u in units] == [30] * 3  # new
        assert [u.getalttrans()[0].target for u in units] == [s["tgt"] for s in SEGMENTS]


def test_only_translated_units_come_back():
    from lxml import etree

    root = etree.fromstring(xliff_bytes("a.txt", SEGMENTS))
    units = root.findall(f".//{X}trans-unit")
    units[0].find(f"{X}target").text = "Shudian draws many actors."  # edited, state left at 'new' (OmegaT)
    units[1].find(f"{X}target").text = SEGMENTS[1]["tgt"]  # the proposal copied unchanged, never confirmed
    finished = units[2].find(f"{X}target")
    finished.text, finished.attrib["state"] = "Shudian is famous.", "translated"
    pairs = read_translated_units(etree.tostring(root), name="done.xlf")
    assert pairs == [(SEGMENTS[0]["src"], "Shudian draws many actors."), (SEGMENTS[2]["src"], "Shudian is famous.")]


def test_unreviewed_mt_targets_are_not_post_edits():
    assert read_translated_units(xliff_bytes("a.txt", SEGMENTS, target_mode="mt"), name="mt.xlf") == [
        (SEGMENTS[0]["src"], SEGMENTS[0]["tgt"])
    ]


def test_inline_codes_are_markup_but_text_around_them_is_content():
    data = f"""<xliff xmlns="{XLIFF_NS}" version="1.2"><file original="a" source-language="zh-CN" datatype="plaintext">
<body><trans-unit id="1"><source>竖店<x id="1"/>很有名。</source>
<target state="translated">Shudian<x id="1"/> is <ph id="2">&lt;br&gt;</ph><g id="3">famous</g>.</target></trans-unit></body></file></xliff>"""
    assert read_translated_units(data.encode(), name="inline.xlf") == [("竖店很有名。", "Shudian is famous.")]


def test_word_salad_is_marked_for_review_in_the_xliff_and_the_tsv():
    """The shipped default's salad (issue 27): an exact TM origin would say "translated", the flags say review."""
    from zhbridge.mt.xliff import tsv_text

    salad = {**SEGMENTS[0], "tgt": 'Shudian hubsty huts: "human human hus".'}
    (unit,) = _units(xliff_bytes("a.txt", [salad], target_mode="mt"))
    assert unit.find(f"{X}target").get("state") == "needs-review-translation"
    notes = [n.text for n in unit.findall(f"{X}note")]
    assert "review: invented-word, doubled-word" in notes
    assert any(n.startswith("qa: invented-word: words no English has: ['hubsty', 'hus']") for n in notes)
    header, row = tsv_text([salad]).splitlines()
    assert row.split("\t")[-1] == "invented-word, doubled-word" and header.split("\t")[-1] == "review"
