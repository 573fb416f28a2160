import pytest

from zhbridge.io import InputError
from zhbridge.mt.postedits import import_files, load_store, segment_pairs, with_postedits
from zhbridge.mt.tmx import TMUnit, write_tmx_units
from zhbridge.mt.translate import translate_segments
from zhbridge.mt.xliff import xliff_bytes


def _project_save(path, pairs):
    """A TMX as OmegaT saves it: confirmed segments carry a change date."""
    rows = "".join(
        f'<tu><tuv lang="zh-CN"><seg>{zh}</seg></tuv><tuv lang="en" changeid="ann" changedate="20250102T000000Z">'
        f"<seg>{en}</seg></tuv></tu>"
        for zh, en in pairs
    )
    path.write_text(
        f'<?xml version="1.0"?><tmx version="1.1"><header creationtool="OmegaT" srclang="zh-CN" '
        f'adminlang="EN-US" datatype="plaintext" o-tmf="x" segtype="sentence"/><body>{rows}</body></tmx>',
        encoding="utf-8",
    )
    return path


def test_import_adds_then_updates_with_provenance(tmp_path, zh_sentences):
    store = tmp_path / "tm" / "postedits.tmx"
    first = _project_save(tmp_path / "project_save.tmx", [(zh_sentences[0], "Zhengzhou, capital of micro-dramas.")])
    assert import_files([first], store) == {"added": 1, "updated": 0, "unchanged": 0, "total": 1}
    assert import_files([first], store)["unchanged"] == 1
    [unit] = load_store(store)
    assert unit.props == {"origin": "post-edit", "file": "project_save.tmx"} and unit.creationdate
    created = unit.creationdate
    second = _project_save(tmp_path / "later.tmx", [(zh_sentences[0], "Zhengzhou is the micro-drama capital.")])
    assert import_files([second], store)["updated"] == 1
    [unit] = load_store(store)
    assert (unit.en, unit.creationdate, unit.props["file"]) == ("Zhengzhou is the micro-drama capital.", created, "later.tmx")


def test_import_reads_translated_xliff(tmp_path, zh_sentences):
    from lxml import etree

    seg = {
        "id": "u1-s1",
        "unit": 0,
        "sent": 0,
        "src": zh_sentences[1],
        "tgt": "machine output",
        "origin": "mt",
        "score": None,
        "terms": [],
    }
    root = etree.fromstring(xliff_bytes("a.txt", [seg]))
    root.find(".//{urn:oasis:names:tc:xliff:document:1.2}target").text = "The industry grows fast."
    path = tmp_path / "a.txt.xlf"
    path.write_bytes(etree.tostring(root))
    import_files([path], tmp_path / "pe.tmx")
    assert [(u.zh, u.en) for u in load_store(tmp_path / "pe.tmx")] == [(zh_sentences[1], "The industry grows fast.")]


def test_paragraph_pairs_also_give_their_sentences():
    pairs = segment_pairs("竖店很有名。演员很多。", "Shudian is famous. It has many actors.")
    assert pairs == [
        ("竖店很有名。演员很多。", "Shudian is famous. It has many actors."),
        ("竖店很有名。", "Shudian is famous."),
        ("演员很多。", "It has many actors."),
    ]


def test_unknown_file_type_and_missing_store_are_clear_errors(tmp_path):
    bad = tmp_path / "notes.xml"
    bad.write_text("<notes/>")
    with pytest.raises(InputError, match="neither TMX nor XLIFF"):
        import_files([bad], tmp_path / "pe.tmx")
    assert not (tmp_path / "pe.tmx").exists()
    with pytest.raises(InputError, match="no such post-edit memory"):
        with_postedits(None, tmp_path / "missing.tmx")


def test_post_edits_win_over_the_corpus_memory_in_translation(tmp_path, engine, zh_sentences):
    store = tmp_path / "pe.tmx"
    corrected = "Shudian draws a great many actors."
    write_tmx_units(
        store,
        [
            TMUnit(zh_sentences[3], corrected, {"origin": "post-edit"}),
            TMUnit(zh_sentences[0], "Zhengzhou is the micro-drama capital.", {"origin": "post-edit"}),
        ],
    )
    engine.memory = with_postedits(engine.memory, store)
    segs = [{"i": i, "id": f"s{i}", "unit": 0, "sent": i, "src": s} for i, s in enumerate(zh_sentences[:5])]
    records = translate_segments(segs, engine)
    assert [r["origin"] for r in records] == ["tm-exact", "mt", "mt", "tm-exact", "mt"]
    assert records[3]["tgt"] == corrected  # the corpus TM says "Shudian has attracted many actors."
    assert "post-edits" in engine.memory.fingerprint


def test_cli_round_trip_post_edited_xliff_makes_every_segment_tm_exact(tiny_model, tm_dataset, tmp_path, zh_sentences):
    from lxml import etree
    from typer.testing import CliRunner

    from zhbridge.cli import app
    from zhbridge.mt.xliff import XLIFF_NS

    src = tmp_path / "article.txt"
    src.write_text(f"{zh_sentences[0]}{zh_sentences[1]}\n\n{zh_sentences[2]}\n", encoding="utf-8")
    common = ["--model", str(tiny_model), "--glossary", "none", "--beams", "1", "--tm", str(tm_dataset), "--postedits", "none"]
    res = CliRunner().invoke(app, ["translate", str(src), "--out", str(tmp_path / "o"), "--omegat", *common])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "o" / "omegat" / "omegat.project").exists()
    # the translator fills every target in the XLIFF (state left at 'new', as OmegaT does)
    xlf = tmp_path / "o" / "article.txt.xlf"
    root = etree.fromstring(xlf.read_bytes())
    targets = root.findall(f".//{{{XLIFF_NS}}}trans-unit/{{{XLIFF_NS}}}target")
    for n, target in enumerate(targets):
        target.text = f"Post-edited sentence {n}."
    xlf.write_bytes(etree.tostring(root))
    store = tmp_path / "pe.tmx"
    res = CliRunner().invoke(app, ["tm", "import", str(xlf), "--memory", str(store)])
    assert res.exit_code == 0, res.output
    assert "3 added" in res.output
    res = CliRunner().invoke(app, ["translate", str(src), "--out", str(tmp_path / "o2"), *common[:-1], str(store)])
    assert res.exit_code == 0, res.output
    assert "3 segments (3 TM exact, 0 TM fuzzy, 0 MT)" in " ".join(res.output.split())
    assert (tmp_path / "o2" / "article.txt").read_text(
        encoding="utf-8"
    ) == "Post-edited sentence 0. Post-edited sentence 1.\n\nPost-edited sentence 2.\n"


def test_two_concurrent_tm_imports_keep_both(tmp_path):
    """Two `zhbridge tm import` processes into one memory: each one's units survive (it used to keep one import)."""
    import subprocess
    import sys

    from zhbridge.mt.tmx import read_tmx

    n = 3000
    first = _project_save(tmp_path / "a.tmx", [(f"第{i}部微短剧上线。", f"Drama {i} went online.") for i in range(n)])
    second = _project_save(tmp_path / "b.tmx", [(f"第{i}家公司成立。", f"Company {i} was founded.") for i in range(n)])
    memory = tmp_path / "m.tmx"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "zhbridge", "tm", "import", str(f), "--memory", str(memory)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in (first, second)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert all(f"{n} added" in out for out, _ in outputs)
    assert len(read_tmx(memory)) == 2 * n


@pytest.mark.parametrize("where", ["dir", "device"])
def test_a_folder_or_device_as_memory_is_one_line(tmp_path, where):
    from zhbridge.mt.tmx import read_tmx

    target = tmp_path if where == "dir" else "/dev/zero"
    with pytest.raises(InputError, match="directory|limit") as caught:
        read_tmx(target) if where == "dir" else __import__("zhbridge.io").io.parse_xml(target, max_bytes=1 << 20)
    assert "\n" not in str(caught.value)
