"""`zhbridge serve`: its options reach the server in the server's units; bad options are one line and exit 2."""

from __future__ import annotations

from types import SimpleNamespace

import pytest


@pytest.fixture()
def served(monkeypatch):
    """Stand-ins for the model loading and for uvicorn: what `serve` would have started, recorded."""
    import zhbridge.mt.engine
    import zhbridge.serve

    seen: dict = {}

    def load_engine(config, resources=None):
        seen["engine_config"] = config
        return SimpleNamespace(translator=SimpleNamespace(model_dir="models/tiny"))

    def run(engine, *, host, port, options):
        seen.update(engine=engine, host=host, port=port, options=options)

    monkeypatch.setattr(zhbridge.mt.engine, "load_engine", load_engine)
    monkeypatch.setattr(zhbridge.serve, "run", run)
    return seen


def test_options_reach_the_server_in_its_units(zhbridge, served, tmp_path):
    keys = tmp_path / "keys.txt"
    keys.write_text("# team keys\nalpha\n\nbeta\n", encoding="utf-8")
    code, out, err = zhbridge(
        "serve", "--port", 5123, "--model", "models/tiny", "--glossary", "none", "--api-key-file", keys,
        "--max-file-mb", "0.5", "--batch-window-ms", "40", "--max-queue", "3", "--timeout", "9", "--no-enforce", "--beams", "2",
    )  # fmt: skip
    assert code == 0, err
    assert err == "zhbridge serve: model models/tiny on http://127.0.0.1:5123/\n" and out == ""
    options = served["options"]
    assert options.api_keys == frozenset({"alpha", "beta"})
    assert options.max_file_bytes == 524288 and options.batch_window_s == pytest.approx(0.04)
    assert (options.max_queue, options.timeout_s, options.max_chars) == (3, 9.0, 20000)
    config = served["engine_config"]
    assert (config.model, config.glossary, config.tm) == ("models/tiny", "none", None)
    assert config.enforce is False and config.beams == 2
    assert (served["host"], served["port"]) == ("127.0.0.1", 5123)


def test_without_a_key_file_no_key_is_needed(zhbridge, served):
    assert zhbridge("serve")[0] == 0
    assert served["options"].api_keys is None and served["port"] == 5000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--backend", "onnx"], "--backend onnx: choose hf or ct2"),
        (["--api-key-file", "/nonexistent/keys.txt"], "/nonexistent/keys.txt: no such file"),
        (["--api-key-file", "EMPTY"], "no API keys in the file"),
    ],
)
def test_bad_options_are_one_line_and_exit_2_before_loading_a_model(zhbridge, served, tmp_path, args, message):
    empty = tmp_path / "empty.txt"
    empty.write_text("# nobody yet\n", encoding="utf-8")
    code, out, err = zhbridge("serve", *[str(empty) if a == "EMPTY" else a for a in args])
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err, err
    assert "engine_config" not in served and "options" not in served


def test_out_of_range_port_is_a_usage_error(zhbridge, served):
    code, _, err = zhbridge("serve", "--port", "70000")
    assert code == 2 and "--port" in err and "65535" in err and "options" not in served
