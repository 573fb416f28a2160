"""`zhbridge translate`'s checks as a function (zhbridge.mt.run): refusals come before any model loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhbridge.io import InputError
from zhbridge.mt.engine import EngineConfig, RunOptions
from zhbridge.mt.run import TranslateRequest, plan_run, translate_folder


@pytest.mark.parametrize(
    ("request_args", "message"),
    [
        (
            {"inputs": ["a.txt"], "out": Path("o"), "run": RunOptions(xliff_target="both")},
            "--xliff-target both: choose source or mt",
        ),
        ({"inputs": ["a.txt"], "out": Path("o"), "engine": EngineConfig(backend="onnx")}, "--backend onnx: choose hf or ct2"),
        ({"inputs": ["-", "a.txt"], "out": Path("o")}, "cannot be mixed"),
        ({"inputs": ["a.txt"], "out": Path("-"), "omegat": True}, "--omegat needs an output folder"),
        ({"inputs": ["a.txt"]}, "--out DIR is required"),
        ({"inputs": ["a.txt"], "out": Path("o"), "engine_kind": "spark"}, "--engine spark: choose local or ray"),
        ({"inputs": ["a.txt"], "out": Path("-"), "engine_kind": "ray"}, "--engine ray needs an output folder"),
    ],
)
def test_bad_requests_are_refused_in_one_line(request_args, message):
    with pytest.raises(InputError, match=message):
        plan_run(TranslateRequest(**request_args))


def test_unusable_files_are_all_named_before_anything_runs(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"\(and 1 more input like it\); nothing translated"):
        plan_run(TranslateRequest([str(tmp_path / "missing.txt"), str(tmp_path / "empty.txt")], out=tmp_path / "o"))
    assert not (tmp_path / "o").exists()


def test_a_plan_lists_the_articles_and_where_the_english_goes(tmp_path, engine, zh_sentences):
    src = tmp_path / "a.txt"
    src.write_text(zh_sentences[0] + "\n", encoding="utf-8")
    to_stdout = plan_run(TranslateRequest([str(src)], out=Path("-")))
    assert to_stdout.to_stdout and [a.path for a in to_stdout.articles] == [src]
    plan = plan_run(TranslateRequest([str(src)], out=tmp_path / "o", run=RunOptions(xliff_target="mt")))
    assert not plan.to_stdout and plan.out == tmp_path / "o"
    [result] = translate_folder(plan, engine)
    assert result.status == "translated"
    assert 'state-qualifier="' in (tmp_path / "o" / "a.txt.xlf").read_text(encoding="utf-8")
    assert 'state="new"' not in (tmp_path / "o" / "a.txt.xlf").read_text(
        encoding="utf-8"
    )  # the run's xliff_target reached the writer
