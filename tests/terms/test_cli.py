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
    result = run("add", "出海", "going overseas", "-v", "going global", "--category", "industry term",
                 "--note", "published in 002", "--source", "002", "-g", str(glossary_file))
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
