from __future__ import annotations

import json

import pytest

from zhbridge.cli import main
from zhbridge.train.pipeline import lineage

from .conftest import EN, ZH


def run_cli(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as exc:
        return exc.code or 0
    return 0


@pytest.fixture()
def dataset_dir(tmp_path):
    from datasets import Dataset, DatasetDict

    def split(idx):
        return Dataset.from_dict({"zh": [ZH[i] for i in idx], "en": [EN[i] for i in idx]})

    # the test pair also sits in train, slightly changed: the leakage guard must drop it
    train_zh = ZH[:6] + [ZH[7].replace("。", "！")]
    dd = DatasetDict(
        {"train": Dataset.from_dict({"zh": train_zh, "en": EN[:6] + ["x"]}), "validation": split([6]), "test": split([7])}
    )
    path = tmp_path / "dataset"
    dd.save_to_disk(str(path))
    return path


def test_cli_trains_from_scratch_and_writes_a_card_from_the_run(dataset_dir, tmp_path, capsys):
    out = tmp_path / "model"
    assert 0 == run_cli(
        [
            "train",
            "--from-scratch",
            "--size",
            "tiny",
            "--data",
            str(dataset_dir),
            "--out",
            str(out),
            "--max-steps",
            "6",
            "--max-tokens",
            "300",
            "--eval-every",
            "3",
            "--threads",
            "1",
            "--lr",
            "3e-3",
            "--warmup",
            "2",
        ]
    )
    printed = capsys.readouterr().out
    assert "after 6 steps" in printed and "nrefs:1" in printed
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["data"]["sources"]["corpus-train"] == 6
    assert record["data"]["leakage"]["corpus-train"]["dropped_exact"] == 1
    assert record["training"]["steps"] == 6 and len(record["training"]["history"]) == 2
    card = (out / "README.md").read_text(encoding="utf-8")
    for needle in (
        "## Data",
        "## Hyperparameters",
        "## Hardware and time",
        "## Known limits",
        record["test"]["scores"]["chrf"]["signature"],
        str(record["training"]["train_wall_s"]),
    ):
        assert needle in card
    # a second run into the same directory must be asked for explicitly
    assert 2 == run_cli(
        ["train", "--from-scratch", "--size", "tiny", "--data", str(dataset_dir), "--out", str(out), "--max-steps", "1"]
    )
    # ... and --resume continues the same run
    assert 0 == run_cli(
        [
            "train",
            "--from-scratch",
            "--size",
            "tiny",
            "--data",
            str(dataset_dir),
            "--out",
            str(out),
            "--resume",
            "--max-steps",
            "8",
            "--max-tokens",
            "300",
            "--eval-every",
            "3",
            "--threads",
            "1",
            "--lr",
            "3e-3",
            "--warmup",
            "2",
        ]
    )
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["training"]["steps"] == 8


def test_shipping_halves_weights_but_loads_as_float32(tiny_model_dir, tmp_path):
    import shutil

    import torch
    from transformers import AutoModelForSeq2SeqLM

    from zhbridge.train.ship import prepare_for_shipping

    model_dir = tmp_path / "ship"
    shutil.copytree(tiny_model_dir, model_dir)
    (model_dir / "checkpoint").mkdir()
    sizes = prepare_for_shipping(model_dir, limit_mb=0.0)
    assert sizes["fp16_weights"] and sizes["after_mb"] < sizes["before_mb"]
    assert not (model_dir / "checkpoint").exists()
    original = AutoModelForSeq2SeqLM.from_pretrained(tiny_model_dir)
    shipped = AutoModelForSeq2SeqLM.from_pretrained(model_dir)
    assert shipped.dtype == torch.float32
    a, b = original.state_dict(), shipped.state_dict()
    assert all(torch.allclose(a[k], b[k], atol=1e-2) for k in a)


def test_term_annotation_follows_each_glossary_term_with_its_english():
    from zhbridge.train.pipeline import annotate

    (out,) = annotate(["郑州的微短剧出海。"])
    assert out == "郑州⟨Zhengzhou⟩的微短剧⟨mini series⟩出海⟨going overseas⟩。"
    assert annotate(["没有术语。"]) == ["没有术语。"]


def test_term_annotation_of_pairs_changes_only_the_chinese_side():
    # run() annotates the training pairs and each named validation set (--validation both) with this
    from zhbridge.train.pipeline import annotate_pairs

    assert annotate_pairs([("郑州的微短剧出海。", "x"), ("没有术语。", "y")]) == [
        ("郑州⟨Zhengzhou⟩的微短剧⟨mini series⟩出海⟨going overseas⟩。", "x"),
        ("没有术语。", "y"),
    ]


def test_warm_start_carries_the_run_history_and_adds_up_steps(dataset_dir, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    common = ["--data", str(dataset_dir), "--max-tokens", "300", "--threads", "1", "--lr", "3e-3", "--warmup", "2"]
    assert 0 == run_cli(["train", "--from-scratch", "--size", "tiny", "--out", str(first), "--max-steps", "4", *common])
    assert 0 == run_cli(
        ["train", "--init", str(first), "--out", str(second), "--max-steps", "3", "--eval-sentences", "3", *common]
    )
    assert json.loads((second / "run.json").read_text(encoding="utf-8"))["config"]["eval_sentences"] == 3
    lineage = json.loads((second / "run.json").read_text(encoding="utf-8"))["lineage"]
    assert [r["steps"] for r in lineage["runs"]] == [4, 3]
    assert lineage["runs"][0]["base"] == "from scratch" and lineage["runs"][1]["base"] == str(first)
    assert lineage["totals"]["steps"] == 7
    assert lineage["totals"]["tokens"] == sum(r["tokens"] for r in lineage["runs"]) > 0
    assert all(r["data"]["corpus-train"] == 6 for r in lineage["runs"])
    card = (second / "README.md").read_text(encoding="utf-8")
    assert "| **total** | | | 7 |" in card
    # a warm start scores its starting weights first: the card shows the scores before and after
    history = json.loads((second / "run.json").read_text(encoding="utf-8"))["training"]["history"]
    assert history[0]["step"] == 0 and history[-1]["step"] == 3
    assert "Before → after (step 0 = the starting weights" in card


def test_validation_on_two_sets_stops_on_their_mean(tiny_model_dir, pairs):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from zhbridge.train.config import TrainConfig
    from zhbridge.train.validation import validation_scores

    model = AutoModelForSeq2SeqLM.from_pretrained(tiny_model_dir)
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    cfg = TrainConfig()
    one, scores_one = validation_scores(model, tok, pairs[:4], cfg)
    two, scores_two = validation_scores(model, tok, pairs[4:], cfg)
    both, scores = validation_scores(model, tok, {"in-domain": pairs[:4], "general": pairs[4:]}, cfg)
    assert scores["in-domain_chrf"] == scores_one["chrf"] and scores["general_chrf"] == scores_two["chrf"]
    assert both == scores["chrf"] == round((one + two) / 2, 2)


def test_lineage_rebuilds_the_run_of_a_model_saved_before_lineage(tmp_path):
    old = {
        "base": "from scratch (deep-shallow)",
        "config": {"max_tokens": 4096, "threads": 2},
        "data": {"sources": {"general": 95080}, "validation": {"from": "general"}},
        "training": {"steps": 3340, "epochs": 2.18, "train_wall_s": 7200.0, "device": "CPU (2 threads)"},
    }
    (tmp_path / "run.json").write_text(json.dumps(old), encoding="utf-8")
    this_run = {"steps": 10, "tokens": 100, "cpu_hours": 0.5, "wall_hours": 0.25}
    result = lineage(str(tmp_path), this_run)
    first = result["runs"][0]
    assert first["steps"] == 3340 and first["cpu_hours"] == 4.0 and first["estimated"] == ["tokens", "cpu_hours"]
    assert result["totals"]["steps"] == 3350 and result["totals"]["cpu_hours"] == 4.5


def test_two_cpu_processes_under_torchrun_train_one_model_and_count_both_cores(dataset_dir, tmp_path):
    """The both-cores path of issue 26: two one-thread processes, DDP over gloo, on a CPU."""
    import os
    import shutil
    import subprocess
    import sys

    torchrun = shutil.which("torchrun") or str(__import__("pathlib").Path(sys.executable).parent / "torchrun")
    out = tmp_path / "ddp"
    common = ["--data", str(dataset_dir), "--max-tokens", "300", "--threads", "1", "--lr", "3e-3", "--warmup", "2"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run(
        [torchrun, "--standalone", "--nproc_per_node", "2", "-m", "zhbridge", "train", "--from-scratch", "--size", "tiny",
         "--out", str(out), "--max-steps", "3", *common],
        capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["training"]["steps"] == 3
    assert "2 processes" in record["training"]["device"]
    run = record["lineage"]["runs"][-1]
    assert run["history"][-1]["step"] == 3 and "2 processes" in run["device"]


def test_general_dev_set_is_the_same_whatever_the_training_seed(dataset_dir, tmp_path, monkeypatch):
    # a lineage trains with several seeds; its dev pairs must stay held out in every run, so they
    # cannot be drawn with the training seed
    from zhbridge.train import data, pipeline
    from zhbridge.train.config import TrainConfig

    news = [(f"新闻第{i}句。", f"News sentence {i}.") for i in range(900)]
    other = [(f"别的{i}。", f"Other {i}.") for i in range(50)]
    monkeypatch.setattr(data, "load_general_pairs", lambda cedict=0, seed=0: {"newstest2019_zhen": news, "ted": other})

    def dev_and_train(seed):
        job = pipeline.TrainJob(
            base=None, out_dir=tmp_path, data_dir=dataset_dir, general=True, validation="general", config=TrainConfig(seed=seed)
        )
        sources, valid, _, _ = pipeline.gather(job)
        return valid, set(sources["general"])

    dev0, train0 = dev_and_train(0)
    dev7, train7 = dev_and_train(7)
    assert len(dev0) == pipeline.DEV_PAIRS and dev0 == dev7
    assert not set(dev0) & train7


def test_term_placeholders_mask_training_pairs_but_not_the_glossary_phrase_pairs(dataset_dir, tmp_path):
    from zhbridge.train.pipeline import placeholder_sources

    sources = {"corpus-train": [("我们去郑州。", "We go to Zhengzhou.")], "glossary": [("郑州", "Zhengzhou")]}
    masked, changed = placeholder_sources(sources)
    assert masked == {"corpus-train": [("我们去<T1>。", "We go to <T1>.")], "glossary": [("郑州", "Zhengzhou")]}
    assert changed == {"corpus-train": 1, "glossary": 0}
    out = tmp_path / "model"
    common = ["--data", str(dataset_dir), "--max-tokens", "300", "--threads", "1", "--max-steps", "2"]
    assert 0 == run_cli(["train", "--from-scratch", "--size", "tiny", "--out", str(out), "--term-placeholders", *common])
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["options"]["term_placeholders"] is True
    # 2 of the 6 train pairs carry glossary terms in both languages (conftest's ZH/EN 0 and 3)
    assert record["data"]["placeholder_pairs"]["corpus-train"] == 2
    assert 2 == run_cli(
        [
            "train",
            "--from-scratch",
            "--size",
            "tiny",
            "--out",
            str(tmp_path / "m2"),
            "--term-placeholders",
            "--term-annotate",
            *common,
        ]
    )
