"""Post-edits and project translations become training data (zhbridge.train.feedback, `zhbridge train --postedits`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhbridge.io import InputError
from zhbridge.train import feedback, pipeline

from .conftest import EN, ZH
from .test_pipeline import run_cli

TMX = Path(__file__).resolve().parents[1] / "data" / "postedits" / "project_save.tmx"
TEST_ZH = "国内市场竞争日趋激烈，出海成为新增长极。"  # in the TMX and in the dataset's test split
CONFIRMED = {
    "微短剧亟待更多“内容工匠”": 'Micro-short dramas urgently need more "content craftsmen"',
    "深圳微短剧产业借势起飞": "Shenzhen's micro-short drama industry takes off on the momentum",
    "到2027年，全市微短剧市场规模将达100亿元": "By 2027 the city's micro-short drama market will reach 10 billion yuan",
    "南京微短剧产业联盟成立，“攥指成拳”闯千亿级赛道": (
        "Nanjing forms a micro-short drama industry alliance, joining forces to enter a 100-billion-yuan market"
    ),
    "本报记者董艳竹/文李居正/图": "Text by Dong Yanzhu, photo by Li Juzheng, staff reporters",
}


@pytest.fixture()
def dataset_dir(tmp_path):
    from datasets import Dataset, DatasetDict

    def split(zh, en, doc):
        return Dataset.from_dict({"zh": zh, "en": en, "doc_id": [doc] * len(zh)})

    dd = DatasetDict(
        {
            "train": split(ZH[:6], EN[:6], "A"),
            "validation": split([ZH[6]], [EN[6]], "V"),
            "test": split(
                [TEST_ZH, ZH[7]], ["As domestic competition intensifies, going overseas is a new growth pole.", EN[7]], "T"
            ),
        }
    )
    path = tmp_path / "dataset"
    dd.save_to_disk(str(path))
    return path


@pytest.fixture()
def project_dir(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    # P: one new sentence and one whose Chinese already trains; T: a test document, never trained on
    (folder / "P.tsv").write_text(
        f"0\t竖店的剧组很忙。\tThe crews in Shudian are busy.\n1\t{ZH[1]}\tI love you!\n", encoding="utf-8"
    )
    (folder / "T.tsv").write_text(f"0\t{ZH[7]}\tWe go to Zhengzhou tomorrow.\n", encoding="utf-8")
    return folder


def test_postedit_pairs_keep_confirmed_units_only():
    pairs = feedback.postedit_pairs(TMX)
    assert dict(pairs) == {
        **CONFIRMED,
        TEST_ZH: "With competition at home growing fiercer, going overseas has become a new growth pole.",
    }


def test_missing_or_empty_memory_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="tm import"):
        feedback.postedit_pairs(tmp_path / "none.tmx")


def test_project_translations_skip_held_out_documents_and_reject_bad_lines(project_dir, dataset_dir):
    held = feedback.held_out_documents(dataset_dir)
    assert held == {"V", "T"}
    pairs, info = feedback.project_translation_pairs(project_dir, exclude_docs=held)
    assert pairs == [("竖店的剧组很忙。", "The crews in Shudian are busy."), (ZH[1], "I love you!")]
    assert info["files"] == ["P.tsv"] and info["held_out_documents"] == ["T"]
    (project_dir / "P.tsv").write_text("0\tonly two columns\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"P\.tsv:1"):
        feedback.project_translation_pairs(project_dir)


def test_imported_postedits_reach_the_fine_tune_and_the_run_record(dataset_dir, project_dir, tmp_path, monkeypatch):
    store = tmp_path / "tm" / "postedits.tmx"
    assert 0 == run_cli(["tm", "import", str(TMX), "--memory", str(store)])
    seen: dict = {}
    real_train = pipeline.train

    def spy(base, pairs, valid, out, config, **kwargs):
        seen["pairs"] = list(pairs)
        return real_train(base, pairs, valid, out, config, **kwargs)

    monkeypatch.setattr(pipeline, "train", spy)
    out = tmp_path / "model"
    args = ["train", "--from-scratch", "--size", "tiny", "--data", str(dataset_dir), "--out", str(out)]
    args += ["--postedits-file", str(store), "--translations-dir", str(project_dir), "--upsample", "3"]
    args += ["--max-steps", "3", "--max-tokens", "400", "--threads", "1", "--lr", "3e-3", "--warmup", "1"]
    assert 0 == run_cli(args)

    trained = seen["pairs"]
    for zh, en in CONFIRMED.items():
        assert trained.count((zh, en)) == 3, zh  # upsampled like the corpus train split
    assert not any(zh == TEST_ZH for zh, _ in trained)  # the leakage guard: a test sentence never trains
    assert trained.count(("竖店的剧组很忙。", "The crews in Shudian are busy.")) == 3
    assert not any(zh == ZH[7] for zh, _ in trained) and (ZH[1], "I love you!") not in trained

    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    data = record["data"]
    assert data["sources"]["postedits"] == 15 and data["leakage"]["postedits"]["dropped_exact"] == 3
    assert data["sources"]["project-translations"] == 3
    assert data["feedback"]["postedits"] == {"files": [str(store)], "pairs": 6, "upsample": 3}
    assert data["feedback"]["project_translations"]["already_training"] == 1
    assert data["feedback"]["project_translations"]["held_out_documents"] == ["T"]
    assert record["options"]["postedits"] == [str(store)]
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "| postedits | 15 | 3 | 0 |" in card and "| project-translations | 3 | 0 | 0 |" in card
