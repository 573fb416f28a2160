"""`zhbridge train`'s options come from TrainConfig's fields (zhbridge.train.finetune.cli metadata)."""

from __future__ import annotations

import dataclasses
import inspect

from zhbridge.cli.train import config_from_options, train
from zhbridge.train.finetune import TrainConfig


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
