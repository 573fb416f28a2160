from __future__ import annotations

import json

import pytest

from zhbridge.io import InputError
from zhbridge.train.config import TrainConfig
from zhbridge.train.finetune import lr_factor, make_batches, train


def _weights(path):
    from safetensors.torch import load_file

    return load_file(str(path / "model.safetensors"))


def _cfg(**kw):
    base = dict(epochs=1000, lr=3e-3, warmup_steps=5, max_tokens=200, save_every=5, seed=0, threads=1)
    base.update(kw)
    return TrainConfig(**base)


def test_loss_falls_and_model_round_trips(tiny_model_dir, pairs, tmp_path):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    result = train(tiny_model_dir, pairs, [], tmp_path / "out", _cfg(max_steps=40), progress=False)
    assert result.steps == 40 and result.stopped_by == "max_steps"
    assert result.losses[-1] < result.losses[0] - 0.5
    # the saved model is the trained one (not the random start) and reloads through the Auto classes
    saved, start = _weights(tmp_path / "out"), _weights(tiny_model_dir)
    assert any(not (saved[k] == start[k]).all() for k in saved)
    tok = AutoTokenizer.from_pretrained(tmp_path / "out")
    model = AutoModelForSeq2SeqLM.from_pretrained(tmp_path / "out")
    reloaded = {k: v for k, v in model.state_dict().items() if k in saved}
    assert all((reloaded[k] == saved[k]).all() for k in reloaded)
    batch = tok([z for z, _ in pairs], text_target=[e for _, e in pairs], return_tensors="pt", padding=True)
    batch["labels"][batch["labels"] == tok.pad_token_id] = -100
    assert model(**batch).loss.item() < 4.0  # a random 400-piece model starts near ln(106) ≈ 4.7


def test_resume_continues_from_checkpoint_and_matches_uninterrupted(tiny_model_dir, pairs, tmp_path):
    whole = train(tiny_model_dir, pairs, [], tmp_path / "whole", _cfg(max_steps=20), progress=False)
    first = train(tiny_model_dir, pairs, [], tmp_path / "split", _cfg(max_steps=10), progress=False)
    assert first.steps == 10
    state = json.loads((tmp_path / "split" / "checkpoint" / "trainer_state.json").read_text())
    assert state["step"] == 10
    resumed = train(tiny_model_dir, pairs, [], tmp_path / "split", _cfg(max_steps=20), resume=True, progress=False)
    assert resumed.steps == 20
    assert resumed.losses[:10] == first.losses[:10]  # history carried over, not restarted
    assert 0 < state["cpu_s"] <= first.cpu_s and resumed.cpu_s > state["cpu_s"]  # CPU time adds up across the resume
    a, b = _weights(tmp_path / "whole"), _weights(tmp_path / "split")
    import torch

    assert all(torch.allclose(a[k], b[k], atol=1e-5) for k in a)
    assert resumed.losses == pytest.approx(whole.losses, abs=1e-3)


def test_resume_without_checkpoint_is_a_clear_error(tiny_model_dir, pairs, tmp_path):
    with pytest.raises(InputError, match="nothing to resume"):
        train(tiny_model_dir, pairs, [], tmp_path / "none", _cfg(max_steps=2), resume=True, progress=False)


def test_early_stopping_keeps_the_best_validation_model(tiny_model_dir, pairs, tmp_path):
    # lr 0 cannot improve after the first validation: patience 2 stops at the third
    result = train(
        tiny_model_dir, pairs, pairs[:2], tmp_path / "es", _cfg(lr=0.0, eval_every=2, patience=2, max_steps=50), progress=False
    )
    assert result.stopped_by == "early_stopping"
    assert result.steps == 6 and result.best_step == 2
    assert [h["step"] for h in result.history] == [2, 4, 6]
    assert "chrf" in result.history[0] and "bleu" in result.history[0]


def test_batches_respect_the_token_budget_and_are_reproducible():
    lengths = [(n % 17 + 1, n % 13 + 2) for n in range(300)]
    batches = make_batches(lengths, 120, seed=1, epoch=0)
    assert sorted(i for b in batches for i in b) == list(range(300))
    for b in batches:
        longest = max(max(lengths[i]) for i in b)
        assert len(b) == 1 or longest * 2 * len(b) <= 120
    assert batches == make_batches(lengths, 120, seed=1, epoch=0)
    assert batches != make_batches(lengths, 120, seed=1, epoch=1)


def test_lr_schedule_warms_up_then_decays_and_a_warm_start_continues_the_decay():
    import math

    assert lr_factor(0, 100) == pytest.approx(0.01) and lr_factor(99, 100) == pytest.approx(1.0)
    assert lr_factor(399, 100) == pytest.approx(math.sqrt(100 / 400))
    # a base that took 3,000 steps: after a short re-warmup the factor follows sqrt(3000 / (3000 + s))
    assert lr_factor(49, 50, offset=3000) == pytest.approx(math.sqrt(3000 / 3050))
    assert lr_factor(2999, 50, offset=3000) == pytest.approx(math.sqrt(0.5))
    assert lr_factor(5, 50, offset=3000) < lr_factor(49, 50, offset=3000)


def test_parameters_that_are_not_saved_are_not_trained(tiny_model_dir):
    # transformers 5 loads Marian's sinusoidal position tables as trainable; save_pretrained drops them,
    # so training them made checkpoints (and the saved best model) differ from the model in memory
    from transformers import AutoModelForSeq2SeqLM

    from zhbridge.train.finetune import freeze_unsaved_parameters

    model = AutoModelForSeq2SeqLM.from_pretrained(tiny_model_dir)
    frozen = freeze_unsaved_parameters(model)
    assert sorted(frozen) == ["model.decoder.embed_positions.weight", "model.encoder.embed_positions.weight"]
    assert all(not p.requires_grad for n, p in model.named_parameters() if n in frozen)
    assert sum(p.requires_grad for p in model.parameters()) == len(list(model.parameters())) - 2


def test_autocast_plan_follows_the_precision_setting_and_the_cpu(monkeypatch):
    import torch

    from zhbridge.io import InputError
    from zhbridge.train import finetune

    assert finetune.autocast_plan("cpu", "fp32") == (False, None)
    assert finetune.autocast_plan("cpu", "bf16") == (True, torch.bfloat16)
    monkeypatch.setattr(finetune, "cpu_has_bf16", lambda: False)
    assert finetune.autocast_plan("cpu", "auto") == (False, None)  # emulated bf16 is slower than fp32
    monkeypatch.setattr(finetune, "cpu_has_bf16", lambda: True)
    assert finetune.autocast_plan("cpu", "auto") == (True, torch.bfloat16)
    with pytest.raises(InputError, match="precision"):
        finetune.autocast_plan("cpu", "fp16")


def test_cooldown_takes_the_learning_rate_linearly_to_zero_at_the_end_of_the_run(tiny_model_dir, pairs, tmp_path):
    from zhbridge.train.finetune import cooldown_factor

    assert cooldown_factor(0.3, 0.5) == 1.0 and cooldown_factor(0.75, 0.5) == pytest.approx(0.5)
    assert cooldown_factor(1.0, 0.5) == 0.0 and cooldown_factor(0.99, 0.0) == 1.0
    out = tmp_path / "cool"
    train(tiny_model_dir, pairs, [], out, _cfg(max_steps=20, warmup_steps=1, cooldown=0.5), progress=False)
    lrs = {r["step"]: r["lr"] for r in map(json.loads, (out / "train_log.jsonl").read_text().splitlines())}
    plain = tmp_path / "plain"
    train(tiny_model_dir, pairs, [], plain, _cfg(max_steps=20, warmup_steps=1), progress=False)
    scheduled = {r["step"]: r["lr"] for r in map(json.loads, (plain / "train_log.jsonl").read_text().splitlines())}
    assert lrs[5] == pytest.approx(scheduled[5])  # untouched before the last half
    # step 15 runs with the scale set after step 14: (1 - 14/20) / 0.5; step 20 after 19: 0.1
    assert lrs[15] == pytest.approx(scheduled[15] * 0.6) and lrs[20] == pytest.approx(scheduled[20] * 0.1)


def test_cooldown_without_a_run_length_is_a_clear_error(tiny_model_dir, pairs, tmp_path):
    with pytest.raises(InputError, match="cooldown"):
        train(tiny_model_dir, pairs, [], tmp_path / "x", _cfg(cooldown=0.3), progress=False)
