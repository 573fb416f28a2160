"""prepare_for_shipping: resume state dropped, weights halved only past the size limit, config kept fp32."""

from __future__ import annotations

import json

import pytest

from zhbridge.train.finetune import CHECKPOINT
from zhbridge.train.ship import dir_size_mb, prepare_for_shipping


@pytest.fixture()
def model_dir(tmp_path):
    import torch
    from safetensors.torch import save_file

    torch.manual_seed(0)
    tensors = {"encoder.weight": torch.randn(256, 1024), "positions": torch.arange(10)}  # 1 MB of fp32, and ints
    save_file(tensors, str(tmp_path / "model.safetensors"), metadata={"format": "pt"})
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "marian", "dtype": "float16"}), encoding="utf-8")
    for name in (CHECKPOINT, CHECKPOINT + ".tmp", CHECKPOINT + ".old"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "optimizer.pt").write_bytes(b"\0" * 200_000)
    return tmp_path, tensors


def test_over_the_limit_weights_become_fp16_and_resume_state_goes(model_dir):
    from safetensors.torch import load_file

    path, original = model_dir
    report = prepare_for_shipping(path, limit_mb=0.5)
    assert report["fp16_weights"] is True and report["before_mb"] == pytest.approx(1.05, abs=0.01)  # after the checkpoints went
    assert report["after_mb"] == round(dir_size_mb(path), 2) and report["after_mb"] < 0.6
    assert not any((path / name).exists() for name in (CHECKPOINT, CHECKPOINT + ".tmp", CHECKPOINT + ".old"))
    shipped = load_file(str(path / "model.safetensors"))
    assert shipped["encoder.weight"].dtype.is_floating_point and shipped["encoder.weight"].element_size() == 2
    assert (shipped["encoder.weight"].float() - original["encoder.weight"]).abs().max() < 1e-2
    assert shipped["positions"].tolist() == list(range(10))  # integer tensors stay as they are
    assert json.loads((path / "config.json").read_text(encoding="utf-8"))["dtype"] == "float32"  # upcast on load
    assert not list(path.glob("*.tmp"))


def test_under_the_limit_only_the_resume_state_goes(model_dir):
    path, _ = model_dir
    weights = (path / "model.safetensors").read_bytes()
    report = prepare_for_shipping(path, limit_mb=25.0)
    assert report["fp16_weights"] is False and report["after_mb"] == report["before_mb"] == pytest.approx(1.05, abs=0.01)
    assert (path / "model.safetensors").read_bytes() == weights
    assert json.loads((path / "config.json").read_text(encoding="utf-8"))["dtype"] == "float16"
    assert not (path / CHECKPOINT).exists()
