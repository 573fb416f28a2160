"""`zhbridge train`: options become one TrainJob/TrainConfig, the result is one summary line; bad options exit 2.

The training itself is tested end to end in tests/train/test_pipeline.py; here the run is a stand-in.
"""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from zhbridge.cli.train import config_from_options, train
from zhbridge.train.config import TrainConfig

RECORD = {
    "training": {"steps": 12, "stopped_by": "max_steps"},
    "test": {
        "pairs": 3,
        "scores": {"chrF": {"score": 38.604, "signature": "nrefs:1|version:2.6.0"}, "BLEU": {"score": 9.0, "signature": "b"}},
        "terms": {"correct": 1, "total": 2, "accuracy": 0.5},
    },
}


@pytest.fixture()
def jobs(monkeypatch):
    import zhbridge.train.pipeline

    seen = []

    def run(job):
        seen.append(job)
        return RECORD

    monkeypatch.setattr(zhbridge.train.pipeline, "run", run)
    return seen


def test_options_become_one_job_and_the_summary_is_printed(zhbridge, jobs, tmp_path):
    from zhbridge.train.feedback import DEFAULT_POSTEDITS

    out = tmp_path / "model"
    code, stdout, err = zhbridge(
        "train", "--out", out, "--from-scratch", "--size", "tiny", "--max-steps", "12", "--time-budget", "1.5",
        "--metric", "bleu", "--validation", "both", "--postedits", "--upsample", "3", "--no-corpus-train",
    )  # fmt: skip
    assert code == 0, err
    assert stdout.splitlines() == [
        f"saved {out} after 12 steps (max_steps); test (3 pairs): chrF 38.60 (nrefs:1|version:2.6.0), BLEU 9.00 (b)",
        'term accuracy: {"correct": 1, "total": 2, "accuracy": 0.5}',
    ]
    (job,) = jobs
    assert (job.out_dir, job.from_scratch, job.size, job.corpus_upsample, job.corpus_train) == (out, True, "tiny", 3, False)
    assert job.postedits == [DEFAULT_POSTEDITS] and job.project_translations is None and job.validation == "both"
    assert job.config.max_steps == 12 and job.config.time_budget_s == 90.0 and job.config.metric == "bleu"


def test_postedits_files_replace_the_default_memory(zhbridge, jobs, tmp_path):
    a, b = tmp_path / "a.tmx", tmp_path / "b.tmx"
    assert zhbridge("train", "--out", tmp_path / "m", "--postedits", "--postedits-file", a, "--postedits-file", b)[0] == 0
    assert jobs[0].postedits == [a, b] and jobs[0].config.time_budget_s is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--metric", "ter"], "--metric: expected chrf or bleu, got 'ter'"),
        (["--validation", "all"], "--validation: expected corpus, general or both, got 'all'"),
    ],
)
def test_bad_choices_are_one_line_and_exit_2(zhbridge, jobs, tmp_path, args, message):
    code, out, err = zhbridge("train", "--out", tmp_path / "m", *args)
    assert code == 2 and out == "" and err == f"zhbridge: error: {message}\n"
    assert jobs == []


def test_a_non_empty_out_needs_resume_or_overwrite(zhbridge, jobs, tmp_path):
    out = tmp_path / "model"
    out.mkdir()
    (out / "config.json").write_text("{}", encoding="utf-8")
    code, _, err = zhbridge("train", "--out", out)
    assert code == 2 and "exists and is not empty; pass --resume to continue or --overwrite to retrain" in err
    assert jobs == []
    assert zhbridge("train", "--out", out, "--resume")[0] == 0 and jobs[0].resume is True
    assert zhbridge("train", "--out", out, "--overwrite")[0] == 0 and len(jobs) == 2


def test_every_cli_field_of_train_config_is_an_option_and_nothing_else_is():
    params = inspect.signature(train).parameters
    with_cli = [f.name for f in dataclasses.fields(TrainConfig) if "cli" in f.metadata]
    without = [f.name for f in dataclasses.fields(TrainConfig) if "cli" not in f.metadata]
    assert all(name in params for name in with_cli)
    assert not any(name in params for name in without)  # e.g. label_smoothing stays a knob for scripts
    flags = {name: params[name].default.param_decls[0] for name in with_cli}
    assert flags["warmup_steps"] == "--warmup" and flags["time_budget_s"] == "--time-budget"
    assert flags["max_steps"] == "--max-steps"


def test_options_become_the_config_with_units_converted():
    values = {p: inspect.signature(train).parameters[p].default.default for p in ("epochs", "lr", "metric")}
    assert config_from_options(values) == TrainConfig()
    config = config_from_options({"epochs": 2, "time_budget_s": 1.5, "warmup_steps": 10})
    assert (config.epochs, config.time_budget_s, config.warmup_steps) == (2, 90.0, 10)
    assert config_from_options({"time_budget_s": 0}).time_budget_s is None  # 0 minutes: no budget, as before
