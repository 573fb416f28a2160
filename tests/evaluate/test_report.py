"""Report: Markdown + PNG + JSON written atomically, never over an existing report unless asked."""

from __future__ import annotations

import json

import pytest

from zhbridge.evaluate.report import render_markdown, render_table, to_json, write_report
from zhbridge.evaluate.suite import evaluate_systems
from zhbridge.io import OutputExistsError
from zhbridge.terms.glossary import Entry, Glossary

SRC = ["郑州微短剧产业2025年产值达100亿元。", "竖店有三百多家公司。", "短剧拍摄很快。", "演员每天拍十二个小时。"]
REF = [
    "Zhengzhou's micro-short drama industry reached 10 billion yuan in 2025.",
    "Shudian has more than 300 companies.",
    "Short dramas are shot quickly.",
    "Actors shoot twelve hours a day.",
]
GOOD = [
    "In 2025 the micro-short drama industry of Zhengzhou reached 10 billion yuan.",
    "Shudian has over 300 companies.",
    "Short dramas are filmed fast.",
    "Actors film 12 hours every day.",
]
BAD = ["Zhengzhou's mini plays made money.", "Vertical shop has companies.", "Plays are quick.", "Actors work."]


@pytest.fixture(scope="module")
def evaluation():
    glossary = Glossary(
        [Entry(zh="微短剧", en="micro-short drama"), Entry(zh="短剧", en="short drama"), Entry(zh="竖店", en="Shudian")]
    )
    return evaluate_systems(
        {"good": GOOD, "bad": BAD},
        [REF],
        src=SRC,
        glossary=glossary,
        doc_ids=["d1", "d1", "d2", "d2"],
        metrics=["BLEU", "chrF"],
        n_samples=100,
        glossary_name="test glossary",
    )


def test_evaluation_contents(evaluation):
    good, bad = evaluation.systems
    assert good.scores["chrF"].score > bad.scores["chrF"].score
    assert evaluation.reference_terms.accuracy == 1.0
    assert good.terms.accuracy == 1.0 and bad.terms.accuracy == 0.0
    assert good.numbers.accuracy == 1.0 and bad.numbers.accuracy == 0.0
    assert set(good.documents) == {"d1", "d2"}
    assert evaluation.significance.significant("chrF", "bad") in (True, False)
    worst = evaluation.worst_segments("bad", 2)
    assert len(worst) == 2 and worst[0]["chrF"] <= worst[1]["chrF"] and worst[0]["source"] in SRC


def test_report_files(evaluation, tmp_path):
    out = tmp_path / "report"
    written = write_report(evaluation, out)
    assert sorted(p.name for p in written) == ["evaluation.png", "report.md", "scores.json"]
    png = (out / "evaluation.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    md = (out / "report.md").read_text(encoding="utf-8")
    for expected in (
        "| good |",
        "| bad |",
        "nrefs:1|",
        "seed:",
        "![",
        "evaluation.png",
        "## Terminology",
        "## Numbers",
        "## Per-document chrF",
        "## Worst segments",
    ):
        assert expected in md, expected
    data = json.loads((out / "scores.json").read_text(encoding="utf-8"))
    assert data["systems"][0]["scores"]["BLEU"]["signature"].startswith("nrefs:1|")
    assert data["reference_terms"]["accuracy"] == 1.0
    assert not list(out.glob(".*.part"))  # no temporary files left behind


def test_existing_report_is_not_overwritten(evaluation, tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "report.md").write_text("my notes", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="--overwrite"):
        write_report(evaluation, out)
    assert (out / "report.md").read_text(encoding="utf-8") == "my notes"
    assert not (out / "evaluation.png").exists()  # refused before writing anything
    write_report(evaluation, out, overwrite=True)
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# Evaluation report")


def test_table_and_json_carry_signatures(evaluation):
    from rich.console import Console

    console = Console(record=True, width=200)
    render_table(evaluation, console)
    text = console.export_text()
    assert "good" in text and "BLEU: nrefs:1|bs:100|seed:12345|" in text
    payload = json.loads(json.dumps(to_json(evaluation)))
    assert payload["significance"]["baseline"] == "good"
    assert "sacrebleu" in payload["systems"][0]["scores"]["BLEU"]
    assert "| good |" in render_markdown(evaluation)
