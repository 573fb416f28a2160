"""`zhbridge glossary …` through the real Typer app (CliRunner), on glossaries built here."""

import json

from typer.testing import CliRunner

from zhbridge.cli import app
from zhbridge.terms.glossary import load_glossary

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["glossary", *args])


def test_lookup_json(glossary_file):
    result = run("lookup", "shudian", "--json", "--no-cedict", "-g", str(glossary_file))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    first = data["results"][0]
    assert (first["mode"], first["zh"], first["origin"]) == ("pinyin", "竖店", "glossary")
    assert "Shudian" in first["variants"]


def test_lookup_table_mentions_term_and_note(glossary_file):
    result = run("lookup", "微短剧+", "--no-cedict", "-g", str(glossary_file))
    assert result.exit_code == 0
    assert "mini series+" in result.output and "published in 002" in result.output


def test_lookup_nothing_found_exits_1(glossary_file):
    result = run("lookup", "完全无关", "--no-cedict", "-g", str(glossary_file))
    assert result.exit_code == 1


def test_add_remove_validate(glossary_file):
    result = run(
        "add",
        "出海",
        "going overseas",
        "-v",
        "going global",
        "--category",
        "industry term",
        "--note",
        "published in 002",
        "--source",
        "002",
        "-g",
        str(glossary_file),
    )
    assert result.exit_code == 0, result.output
    entry = load_glossary(glossary_file).lookup("出海")
    assert entry.variants == ("going global",) and entry.pinyin == "chū hǎi"
    assert run("validate", "-g", str(glossary_file)).exit_code == 0
    assert run("remove", "出海", "-g", str(glossary_file)).exit_code == 0
    assert load_glossary(glossary_file).lookup("出海") is None


def test_validate_reports_problems_with_nonzero_exit(glossary_file):
    text = glossary_file.read_text(encoding="utf-8")
    first = text.splitlines()[1].split("\t")
    conflicting = "\t".join([first[0], "something else", *first[2:]])
    glossary_file.write_text(text + conflicting + "\n", encoding="utf-8")
    result = run("validate", "--json", "-g", str(glossary_file))
    assert result.exit_code == 1
    assert [p["kind"] for p in json.loads(result.output)["problems"]] == ["conflict"]


def test_export_import_round_trip_and_overwrite_guard(tmp_path, glossary_file):
    out = tmp_path / "out.tbx"
    assert run("export", str(out), "-g", str(glossary_file)).exit_code == 0
    again = run("export", str(out), "-g", str(glossary_file))
    assert again.exit_code != 0 and "--overwrite" in str(again.exception or again.output)
    fresh = tmp_path / "fresh.tsv"
    fresh.write_text("zh\ten\tvariants\tpinyin\tcategory\tnote\tsource\n", encoding="utf-8")
    result = run("import", str(out), "-g", str(fresh))
    assert result.exit_code == 0, result.output
    assert load_glossary(fresh).entries == load_glossary(glossary_file).entries


def test_hostile_tbx_import_is_refused_and_glossary_untouched(tmp_path, glossary_file):
    before = glossary_file.read_bytes()
    bad = tmp_path / "bad.tbx"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY x SYSTEM "file:///etc/passwd">]><tbx>&x;</tbx>')
    result = run("import", str(bad), "-g", str(glossary_file))
    assert result.exit_code != 0
    assert "refused unsafe XML" in str(result.exception)
    assert glossary_file.read_bytes() == before


def test_import_csv_into_new_glossary_file(tmp_path, glossary_file):
    exported = tmp_path / "g.csv"
    assert run("export", str(exported), "-g", str(glossary_file)).exit_code == 0
    target = tmp_path / "new" / "glossary.tsv"
    result = run("import", str(exported), "-g", str(target))
    assert result.exit_code == 0, result.output
    assert load_glossary(target).entries == load_glossary(glossary_file).entries


def _zhbridge(*args):
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-m", "zhbridge", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_concurrent_adds_from_separate_processes_all_land(glossary_file):
    # once: each process read the old file and the last rename won, dropping the other entries
    terms = {"并发甲": "A", "并发乙": "B", "并发丙": "C", "并发丁": "D"}
    procs = [
        _zhbridge(
            "glossary",
            "add",
            zh,
            en,
            "--category",
            "industry term",
            "--note",
            "test",
            "--source",
            "000",
            "-g",
            str(glossary_file),
        )
        for zh, en in terms.items()
    ]
    outcomes = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * len(terms), outcomes
    stored = load_glossary(glossary_file)
    assert {zh: stored.lookup(zh).en for zh in terms if stored.lookup(zh)} == terms


def test_overlong_lookup_is_refused_quickly(glossary_file):
    import time

    start = time.monotonic()
    proc = _zhbridge("glossary", "lookup", "短剧" * 5000, "-g", str(glossary_file))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and "200-character limit" in err and "Traceback" not in err
    assert time.monotonic() - start < 60


def _import(tmp_path, glossary_file, rows: str):
    source = tmp_path / "in.tsv"
    source.write_text("zh\ten\tvariants\tpinyin\tcategory\tnote\tsource\n" + rows, encoding="utf-8")
    return run("import", str(source), "-g", str(glossary_file))


def test_import_refuses_an_empty_english_side(tmp_path, glossary_file):
    from zhbridge.io import InputError

    before = glossary_file.read_bytes()
    result = _import(tmp_path, glossary_file, "空译文\t\t\t\tindustry term\tx\t000\n")
    assert isinstance(result.exception, InputError) and "empty English side" in str(result.exception)
    assert glossary_file.read_bytes() == before


def test_import_reports_duplicate_rows_and_refuses_conflicting_ones(tmp_path, glossary_file):
    from zhbridge.io import InputError

    row = "重复词\tduplicate\t\t\tindustry term\tx\t000\n"
    result = _import(tmp_path, glossary_file, row + row)
    assert result.exit_code == 0 and "duplicate rows skipped 1" in result.output
    before = glossary_file.read_bytes()
    result = _import(
        tmp_path, glossary_file, "冲突词\tfirst\t\t\tindustry term\tx\t000\n冲突词\tsecond\t\t\tindustry term\tx\t000\n"
    )
    assert isinstance(result.exception, InputError) and "appears twice" in str(result.exception)
    assert glossary_file.read_bytes() == before


def test_full_width_latin_is_stored_folded(glossary_file):
    result = run(
        "add",
        "ＡＩ短剧",
        "AI short drama",
        "--category",
        "industry term",
        "--note",
        "x",
        "--source",
        "000",
        "-g",
        str(glossary_file),
    )
    assert result.exit_code == 0, result.output
    assert "AI短剧" in glossary_file.read_text(encoding="utf-8") and "ＡＩ短剧" not in glossary_file.read_text(encoding="utf-8")


def test_export_to_dash_writes_stdout(tmp_path, glossary_file, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("export", "-", "--format", "csv", "-g", str(glossary_file))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("zh,en,") and "郑州" in result.stdout
    assert not (tmp_path / "-").exists()


def test_tbx_export_then_import_changes_nothing(tmp_path):
    """The round trip used to be refused: pinyin variants come back after the English ones."""
    from zhbridge.paths import DEFAULT_GLOSSARY

    glossary = tmp_path / "g.tsv"
    glossary.write_bytes(DEFAULT_GLOSSARY.read_bytes())
    assert run("export", str(tmp_path / "g.tbx"), "-g", str(glossary)).exit_code == 0
    result = run("import", str(tmp_path / "g.tbx"), "-g", str(glossary))
    assert result.exit_code == 0, result.output
    assert "added 0" in result.output and "replaced 0" in result.output
    assert glossary.read_bytes() == DEFAULT_GLOSSARY.read_bytes()


def test_lookup_with_a_40k_character_note_is_fast(tmp_path):
    import time

    glossary = tmp_path / "g.tsv"
    note = "很长的说明[bold]" * 4000
    glossary.write_text(
        f"zh\ten\tvariants\tpinyin\tcategory\tnote\tsource\n微短剧\tmicro-drama\t\t\t\t{note}\t\n", encoding="utf-8"
    )
    start = time.perf_counter()
    result = run("lookup", "微短剧", "--no-cedict", "-g", str(glossary))
    assert time.perf_counter() - start < 5  # 13 s in rich's highlighter before
    assert result.exit_code == 0 and "很长的说明[bold]" in result.output  # user text is not read as markup


def test_an_argument_that_is_not_utf8_is_one_line():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "zhbridge", "glossary", "lookup", b"\xff\xfe".decode("utf-8", "surrogateescape")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "is not UTF-8 text" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
