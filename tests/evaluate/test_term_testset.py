"""scripts/build_term_testset.py on the vendored WMT23 slice, and the shipped term test set's consistency."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from zhbridge.terms.match import rendering_pattern

ROOT = Path(__file__).resolve().parents[2]
SLICE = ROOT / "tests" / "data" / "wmt" / "wmt23"
SHIPPED = ROOT / "corpus" / "termtest" / "wmt22"


def _builder():
    spec = importlib.util.spec_from_file_location("build_term_testset", ROOT / "scripts" / "build_term_testset.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _check(folder: Path) -> int:
    src = (folder / "src.zh").read_text(encoding="utf-8").splitlines()
    ref = (folder / "ref.en").read_text(encoding="utf-8").splitlines()
    terms = [json.loads(line) for line in (folder / "terms.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(src) == len(ref) == len(terms) > 0
    for zh, en, ts in zip(src, ref, terms):
        assert ts
        for t in ts:
            assert t["zh"] in zh and rendering_pattern(t["en"]).search(en), (zh, en, t)
    return len(src)


def test_builder_keeps_terms_found_in_source_and_reference(tmp_path):
    out = tmp_path / "termtest"
    _builder().main(["--src", str(SLICE / "src.zh"), "--ref", str(SLICE / "ref.A.en"), "--out", str(out), "--name", "slice"])
    assert _check(out) >= 5
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "CC BY-SA" in readme and "research" in readme


def test_builder_refuses_the_held_out_wmt21(tmp_path):
    with pytest.raises(SystemExit):
        _builder().main(["--src", str(tmp_path / "wmt21" / "src.zh"), "--ref", str(SLICE / "ref.A.en"), "--out", str(tmp_path)])


def test_everyday_words_are_not_terms():
    b = _builder()
    assert b.clean_sense("to go") is None and b.clean_sense("for example") is None
    assert b.clean_sense("opening ceremony (event)") == "opening ceremony"
    assert not b.term_like("事情", "thing") and b.term_like("瑞士", "Switzerland") and b.term_like("传感器", "sensor")


def test_shipped_term_test_set_is_consistent():
    assert _check(SHIPPED) == 400
