"""`zhbridge model export`: refusals are one line and exit 2, and nothing is written.

A real export through this command is checked in tests/mt/test_models.py (``_export_exact``) and
tests/mt/test_export.py, with the tiny model those tests build.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("/nonexistent/model", "/nonexistent/model: no such model directory"),
        ("EMPTY", "not a model directory (no config.json or CTranslate2 model.bin)"),
        ("FILE", "a model is a directory (save_pretrained output), not a file"),
    ],
)
def test_a_model_that_is_not_one_is_refused(zhbridge, tmp_path, model, message):
    (tmp_path / "empty").mkdir()
    (tmp_path / "weights.bin").write_bytes(b"\0")
    spec = {"EMPTY": tmp_path / "empty", "FILE": tmp_path / "weights.bin"}.get(model, model)
    out = tmp_path / "ct2"
    code, stdout, err = zhbridge("model", "export", "--model", spec, "--ct2", out)
    assert code == 2 and stdout == "" and err.count("\n") == 1 and message in err, err
    assert not out.exists()


def test_an_existing_export_is_kept_without_overwrite(zhbridge, tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}", encoding="utf-8")
    out = tmp_path / "ct2"
    out.mkdir()
    (out / "model.bin").write_bytes(b"previous export")
    code, _, err = zhbridge("model", "export", "--model", model, "--ct2", out)
    assert code == 2 and "already exists; pass --overwrite to replace it" in err
    assert (out / "model.bin").read_bytes() == b"previous export"


def test_export_needs_an_output_folder(zhbridge):
    code, _, err = zhbridge("model", "export")
    assert code == 2 and "--ct2" in err
