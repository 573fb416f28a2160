"""The shipped project translations pass scripts/check_project_translations.py, and the checker catches breakage."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
PROJECT = CORPUS / "translations" / "project"


def _checker():
    spec = importlib.util.spec_from_file_location(
        "check_project_translations", ROOT / "scripts" / "check_project_translations.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


chk = _checker()


def test_shipped_translations_pass_the_checker():
    problems, files, pairs = chk.check_dir(PROJECT, CORPUS, CORPUS / "dataset")
    assert problems == []
    assert files >= 1 and pairs >= files


def test_every_chinese_only_article_has_a_translation():
    from zhbridge.corpus.manifest import read_manifest

    wanted = {r.id for r in read_manifest(CORPUS / "manifest.tsv") if r.layout in ("zh", "zh+en-summary") and not r.duplicate_of}
    have = {p.stem for p in PROJECT.glob("*.tsv")}
    assert sorted(wanted - have) == []


@pytest.mark.parametrize(
    ("zh", "en", "missing"),
    [
        ("从业人员近4万。", "The sector employs nearly 40,000 people.", []),
        ("从业人员近4万。", "The sector employs nearly 4,000 people.", ["4万"]),
        ("市场规模将达100亿元。", "The market will reach 10 billion yuan.", []),
        ("市场规模将达100亿元。", "The market will reach 100 billion yuan.", ["100亿"]),
        ("带动约69万人就业。", "It created jobs for about 690,000 people.", []),
        ("总体就业贡献203万人。", "Total employment reached 2.03 million.", []),
        ("票房154.46亿元。", "Box office of 15.446 billion yuan.", []),
        ("1月13日在郑州举行。", "It was held in Zhengzhou on January 13.", []),
        ("1月13日在郑州举行。", "It was held in Zhengzhou on February 13.", ["1月"]),
        ("推出50部左右。", "About five dozen works.", ["50"]),
        ("重点打造1~2个基地。", "One or two bases.", []),
        # Traditional multipliers count like Simplified ones
        ("從業人員近4萬。", "The sector employs nearly 40,000 people.", []),
        ("市場規模將達100億元。", "The market will reach 100 billion yuan.", ["100億"]),
        # thousands separators inside a Chinese number
        ("投资1,300万元。", "An investment of 13 million yuan.", []),
        ("投资1,300万元。", "An investment of 1.3 million yuan.", ["1,300万"]),
        ("观众达5,000人。", "An audience of 5,000.", []),
        # zero padding is not a difference, on either side
        ("第07集播出。", "Episode 7 aired.", []),
        ("第7集播出。", "Episode 07 aired.", []),
        ("第07集播出。", "Episode 8 aired.", ["07"]),
        # a month range: both ends are months
        ("3-4月是旺季。", "March-April is the peak season.", []),
        ("3至4月是旺季。", "March and May are the peak season.", ["4月"]),
        ("3-4月是旺季。", "April is the peak season.", ["3"]),
        # other ranges share the unit too; 多 may stand before it; hyphenated "50-billion-yuan"
        ("成本约合新台币45至68万元。", "About NT$450,000 to 680,000.", []),
        ("成本约合新台币45至68万元。", "About NT$45 to 680,000.", ["45"]),
        ("海外市场至少有350到360億美金。", "The overseas market is at least US$35 to 36 billion.", []),
        ("相差仅1300多萬。", "Only a little over 13 million behind.", []),
        ("500億短劇市場。", "The 50-billion-yuan mini series market.", []),
        # an ISO date's month, two-digit years and sentence-initial spelled numbers
        ("鉅亨網2026-02-11 15:30", "Anue, February 11, 2026, 15:30", []),
        ("鉅亨網2026-02-11 15:30", "Anue, March 11, 2026, 15:30", ["02"]),
        ("发布时间：2026-01-07", "Published: 2026-01-07", []),
        ("如《回到70年代》。", "Such as Back to the 1970s.", []),
        ("“00后”姑娘米卡。", "Mika, a young woman born after 2000.", []),
        ("在22年11月完成拍摄。", "Finished shooting in November 2022.", []),
        ("15句台词算不少了。", "Fifteen lines is quite a lot.", []),
    ],
)
def test_numbers_are_checked_after_conversion(zh, en, missing):
    assert chk.missing_numbers(zh, en) == missing


def _copy_corpus(tmp_path: Path, doc: str) -> Path:
    corpus = tmp_path / "corpus"
    (corpus / "raw").mkdir(parents=True)
    shutil.copy(CORPUS / "manifest.tsv", corpus / "manifest.tsv")
    shutil.copy(CORPUS / "raw" / f"{doc}.txt", corpus / "raw" / f"{doc}.txt")
    (corpus / "project").mkdir()
    return corpus


def test_checker_reports_a_wrong_sentence_a_dropped_line_and_an_empty_side(tmp_path):
    doc = "000-01"
    corpus = _copy_corpus(tmp_path, doc)
    lines = (PROJECT / f"{doc}.tsv").read_text(encoding="utf-8").splitlines()
    out = corpus / "project" / f"{doc}.tsv"

    broken = lines[:]
    para, zh, en = broken[1].split("\t")
    broken[1] = f"{para}\t{zh[:-3]}\t{en}"  # a zh side that is no longer split_zh's sentence
    out.write_text("\n".join(broken) + "\n", encoding="utf-8")
    problems, _, _ = chk.check_dir(corpus / "project", corpus, None)
    assert any("sentence 2 is" in p for p in problems)

    out.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # last sentence left untranslated
    problems, _, _ = chk.check_dir(corpus / "project", corpus, None)
    assert any(f"{len(lines) - 1} sentences, the document has {len(lines)}" in p for p in problems)

    para, zh, _ = lines[0].split("\t")
    out.write_text("\n".join([f"{para}\t{zh}\t "] + lines[1:]) + "\n", encoding="utf-8")
    problems, _, _ = chk.check_dir(corpus / "project", corpus, None)
    assert any("empty en side" in p for p in problems)

    out.write_text("\n".join([f"{para}\t{zh}"] + lines[1:]) + "\n", encoding="utf-8")
    problems, _, _ = chk.check_dir(corpus / "project", corpus, None)
    assert any("2 tab-separated fields" in p for p in problems)


def test_checker_exits_1_on_problems_and_2_on_unreadable_input(tmp_path, capsys):
    corpus = _copy_corpus(tmp_path, "000-01")
    (corpus / "project" / "000-01.tsv").write_text("0\t打造\tBuild\n", encoding="utf-8")
    assert chk.main(["--dir", str(corpus / "project"), "--corpus-dir", str(corpus), "--no-dataset"]) == 1
    assert chk.main(["--dir", str(tmp_path / "none"), "--corpus-dir", str(corpus), "--no-dataset"]) == 2
    (corpus / "project" / "999-99.tsv").write_text("0\t打造\tBuild\n", encoding="utf-8")
    problems, _, _ = chk.check_dir(corpus / "project", corpus, None)
    assert any("999-99: no row" in p for p in problems)
