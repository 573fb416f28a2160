import csv
import json

import pytest

from zhbridge.io import parse_xml
from zhbridge.mt.documents import parse_text
from zhbridge.mt.engine import RunOptions
from zhbridge.mt.translate import document_segments, token_batches, translate_files, translate_segments

XLIFF = "{urn:oasis:names:tc:xliff:document:1.2}"


@pytest.fixture
def article(tmp_path, zh_sentences):
    path = tmp_path / "in" / "article.md"
    path.parent.mkdir()
    # sentence 3 is in the TM (exact), a near copy of it fuzzy, the rest goes to MT
    body = (
        f"# {zh_sentences[0]}\n\n{zh_sentences[1]}{zh_sentences[3]}\n\n- {zh_sentences[7]}\n"
        f"- 竖店吸引了许多演员。\n\n{zh_sentences[2]}\n"
    )
    path.write_text(body, encoding="utf-8")
    return path


def test_segments_follow_units_and_sentences(zh_sentences):
    doc = parse_text(f"{zh_sentences[0]}{zh_sentences[1]}\n\n{zh_sentences[2]}\n", "txt")
    segs = document_segments(doc)
    assert [(s["unit"], s["sent"], s["src"]) for s in segs] == [
        (0, 0, zh_sentences[0]),
        (0, 1, zh_sentences[1]),
        (1, 0, zh_sentences[2]),
    ]


def test_batches_respect_token_budget_and_cover_everything():
    items = [{"i": i} for i in range(7)]
    lengths = [5, 30, 7, 12, 3, 30, 9]
    batches = token_batches(items, lengths, budget=40)
    assert sorted(k for b in batches for k in b) == list(range(7))
    for b in batches:
        assert len(b) == 1 or max(lengths[k] for k in b) * len(b) <= 40
    flat = [lengths[k] for b in batches for k in b]
    assert flat == sorted(flat)


def test_batched_translation_matches_one_by_one(translator, zh_sentences):
    together = translator.translate(zh_sentences[:5])
    alone = [translator.translate([s])[0] for s in zh_sentences[:5]]
    assert together == alone
    assert len(set(together)) > 1


def test_pipeline_uses_tm_then_mt_and_enforces(engine, zh_sentences):
    segs = [{"i": i, "id": f"s{i}", "unit": 0, "sent": i, "src": s} for i, s in enumerate(zh_sentences[:5])]
    records = translate_segments(segs, engine)
    assert [r["i"] for r in records] == list(range(5))
    assert records[3]["origin"] == "tm-exact" and records[3]["tgt"] == "Shudian has attracted many actors."
    assert {r["origin"] for i, r in enumerate(records) if i != 3} == {"mt"}
    for r in records:
        for t in r["terms"]:
            assert t["status"] != "not-honoured"
            assert t["found"].lower() in r["tgt"].lower()


def test_files_end_to_end_outputs_review_files_and_qa(engine, article, tmp_path):
    original = article.read_bytes()
    out = tmp_path / "out"
    [result] = translate_files([article], out, engine)
    assert result.status == "translated", result.message
    assert article.read_bytes() == original
    english = (out / "article.md").read_text(encoding="utf-8")
    lines = english.split("\n")
    assert lines[0].startswith("# ") and lines[4].startswith("- ") and lines[5].startswith("- ")
    assert "Shudian has attracted many actors." in lines[2]

    root = parse_xml(out / "article.md.xlf")
    units = root.findall(f".//{XLIFF}body/{XLIFF}trans-unit")
    assert len(units) == result.summary["segments"] == 6
    notes = [" ".join(n.text for n in u.findall(f"{XLIFF}note")) for u in units]
    assert any("origin: TM exact" in n for n in notes)
    assert any("origin: TM fuzzy" in n for n in notes)
    assert sum("origin: MT" in n for n in notes) == 4
    assert all(u.find(f"{XLIFF}source").text and u.find(f"{XLIFF}target").get("state") for u in units)
    assert any("terms: 郑州 → Zhengzhou" in n for n in notes)

    with open(out / "article.md.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) == 6 and {r["origin"].split()[0] for r in rows} == {"TM", "MT"}
    qa = json.loads((out / "article.md.qa.json").read_text(encoding="utf-8"))
    s = qa["summary"]
    assert (s["tm_exact"], s["tm_fuzzy"], s["mt"]) == (1, 1, 4)
    assert s["terms_found"] >= 5 and s["terms_not_honoured"] <= 1  # only a verbatim TM segment may miss one
    assert (out / "article.md.qa.md").read_text(encoding="utf-8").startswith("# QA report")


def test_existing_outputs_failures_and_input_safety(engine, article, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "article.md").write_text("someone else's file", encoding="utf-8")
    binary = tmp_path / "in" / "broken.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    results = translate_files([binary, article], out, engine)
    assert [r.status for r in results] == ["failed", "failed"]
    assert "binary" in results[0].message and "--overwrite" in results[1].message
    assert (out / "article.md").read_text(encoding="utf-8") == "someone else's file"
    [again] = translate_files([article], out, engine, RunOptions(overwrite=True))
    assert again.status == "translated"
    [same] = translate_files([article], out, engine)
    assert same.status == "skipped"
    [own] = translate_files([article], article.parent, engine)
    assert own.status == "failed" and "input" in own.message


def test_cli_lines_mode_and_stdin(tiny_model, tm_dataset, tmp_path, zh_sentences):
    from typer.testing import CliRunner

    from zhbridge.cli import app

    src = tmp_path / "test.zh"
    src.write_text("\n".join(zh_sentences[:4]) + "\n\n" + zh_sentences[4] + "\n", encoding="utf-8")
    glossary = tmp_path / "g.tsv"
    glossary.write_text("zh\ten\tvariants\tpinyin\tcategory\tnote\tsource\n郑州\tZhengzhou\t\t\t\t\t\n", encoding="utf-8")
    common = ["--model", str(tiny_model), "--glossary", str(glossary), "--beams", "1", "--tm", str(tm_dataset)]
    res = CliRunner().invoke(app, ["translate", str(src), "--out", str(tmp_path / "o"), "--lines", *common])
    assert res.exit_code == 0, res.output
    out_lines = (tmp_path / "o" / "test.zh").read_text(encoding="utf-8").split("\n")
    assert len(out_lines) == 7 and out_lines[4] == "" and out_lines[6] == ""
    assert out_lines[3] == "Shudian has attracted many actors."
    assert "Zhengzhou" in out_lines[0]

    res = CliRunner().invoke(app, ["translate", "-", *common], input=zh_sentences[3] + "\n")
    assert res.exit_code == 0
    assert res.stdout == "Shudian has attracted many actors.\n"

    res = CliRunner().invoke(app, ["translate", str(src), *common])
    assert res.exit_code != 0


def test_cli_folders_stdout_and_stdin_into_a_folder(tiny_model, tm_dataset, tmp_path, zh_sentences):
    """README promises: a folder is translated; --out - is stdout; stdin honours --out; no settings dict at the end."""
    from typer.testing import CliRunner

    from zhbridge.cli import app

    common = ["--model", str(tiny_model), "--glossary", "none", "--beams", "1", "--tm", str(tm_dataset)]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(zh_sentences[3] + "\n", encoding="utf-8")
    (folder / "b.md").write_text("# " + zh_sentences[6] + "\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["translate", str(folder), "--out", str(tmp_path / "o"), *common])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "o" / "a.txt").read_text(encoding="utf-8") == "Shudian has attracted many actors.\n"
    assert (tmp_path / "o" / "b.md.xlf").exists()
    assert "{" not in res.stderr and "'model'" not in res.stderr  # the settings dict is gone

    res = CliRunner().invoke(app, ["translate", str(folder / "a.txt"), "--out", "-", *common])
    assert res.exit_code == 0, res.output
    assert res.stdout == "Shudian has attracted many actors.\n"
    assert not (tmp_path / "-").exists() and not __import__("pathlib").Path("-").exists()

    res = CliRunner().invoke(app, ["translate", "-", "--out", str(tmp_path / "s"), *common], input=zh_sentences[3] + "\n")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "s" / "stdin.txt").read_text(encoding="utf-8") == "Shudian has attracted many actors.\n"
    assert (tmp_path / "s" / "stdin.txt.qa.json").exists() and res.stdout == ""


def test_cli_missing_or_empty_input_is_one_line_and_exit_2(tiny_model, tmp_path, capsys):
    from zhbridge.cli import main

    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    for name, message in (("missing.txt", "no such file"), ("empty.txt", "empty file")):
        with pytest.raises(SystemExit) as exit_:
            main(["translate", str(tmp_path / name), "--out", str(tmp_path / "o"), "--model", str(tiny_model)])
        err = capsys.readouterr().err
        assert exit_.value.code == 2 and message in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "o").exists()


def test_term_annotated_model_journal_key_follows_the_annotating_glossary(tiny_model, tmp_path, monkeypatch):
    """The ⟨English⟩ hints are model input: editing the glossary that writes them must start a fresh journal,
    even with no --glossary (the shipped glossary annotates); a plain model's key ignores that glossary."""
    import shutil

    from zhbridge import paths
    from zhbridge.mt.models import load_translator
    from zhbridge.mt.translate import Engine

    annotated = tmp_path / "annotated"
    shutil.copytree(tiny_model, annotated)
    (annotated / "run.json").write_text(json.dumps({"options": {"term_annotate": True}}), encoding="utf-8")
    shipped = tmp_path / "glossary.tsv"
    monkeypatch.setattr(paths, "DEFAULT_GLOSSARY", shipped)
    header = "zh\ten\tvariants\tpinyin\tcategory\tnote\tsource\n"

    def keys(english: str) -> tuple[str, str, str]:
        shipped.write_text(header + f"竖店\t{english}\t\t\t\t\t\n", encoding="utf-8")
        hinted = Engine(load_translator(annotated, beams=1, threads=1), None, enforce=False)
        assert hinted.translator.model_inputs(["竖店很大。"]) == [f"竖店⟨{english}⟩很大。"]
        plain = Engine(load_translator(tiny_model, beams=1, threads=1), None, enforce=False)
        return hinted.settings_hash(), hinted.settings()["annotation"], plain.settings_hash()

    hinted_a, annotation_a, plain_a = keys("Shudian")
    hinted_b, annotation_b, plain_b = keys("Vertical Town")
    assert hinted_a != hinted_b and annotation_a != annotation_b
    assert annotation_a.startswith("glossary.tsv:1:")
    assert plain_a == plain_b
