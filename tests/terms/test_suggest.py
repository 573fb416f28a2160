from zhbridge.terms.glossary import Entry, Glossary
from zhbridge.terms.suggest import suggest

PAIRS = [
    ("竖店吸引了很多演员。", "Shudian has attracted many actors."),
    ("竖店很有名。", "Shudian is famous."),
    ("演员们喜欢竖店。", "Actors like Shudian."),
    ("郑州是微短剧创作之都。", "Zhengzhou is the capital of micro-short drama creation."),
    ("郑州发展很快。", "Zhengzhou is developing fast."),
]


def test_contradicted_and_missing_terms_are_suggested():
    glossary = Glossary([Entry("竖店", "Vertical Town"), Entry("郑州", "Zhengzhou")])
    got = {(s.kind, s.zh, s.en, s.glossary_en, s.uses, s.pairs) for s in suggest(PAIRS, glossary)}
    assert ("contradicts", "竖店", "shudian", "Vertical Town", 3, 3) in got
    assert ("missing", "演员", "actors", "", 2, 2) in got
    assert not any(zh == "郑州" for _, zh, *_ in got)  # used as the glossary says


def test_nothing_to_suggest_when_post_edits_follow_the_glossary():
    glossary = Glossary([Entry("竖店", "Shudian"), Entry("郑州", "Zhengzhou"), Entry("演员", "actor")])
    assert suggest(PAIRS, glossary) == []


def test_a_single_use_is_not_consistent_evidence():
    glossary = Glossary([Entry("竖店", "Vertical Town")])
    assert suggest(PAIRS[:1], glossary) == []


def test_cli_reads_post_edited_tmx(tmp_path):
    import json

    from typer.testing import CliRunner

    from zhbridge.cli import app
    from zhbridge.mt.tmx import TMUnit, write_tmx_units
    from zhbridge.terms.glossary import save_glossary

    tmx = write_tmx_units(tmp_path / "project_save.tmx", [TMUnit(zh, en) for zh, en in PAIRS])
    glossary = save_glossary([Entry("竖店", "Vertical Town", (), "shù diàn", "nickname", "n", "s")], tmp_path / "g.tsv")
    res = CliRunner().invoke(app, ["glossary", "suggest", str(tmx), "-g", str(glossary), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["pairs"] == len(PAIRS)
    assert {(s["kind"], s["zh"]) for s in data["suggestions"]} >= {("contradicts", "竖店"), ("missing", "演员")}
