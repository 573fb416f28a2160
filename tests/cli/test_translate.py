"""`zhbridge translate`: every refusal is one line and exit 2, before a model is loaded.

Translations through this command (files, folders, stdin, resume) are tested with the tiny model in
tests/mt/test_translate.py, tests/mt/test_journal.py and tests/mt/test_ray_engine.py.
"""

from __future__ import annotations

import pytest


@pytest.fixture()
def no_model(monkeypatch):
    """Fails the test if the command gets as far as loading a model."""
    import zhbridge.mt.engine
    import zhbridge.mt.run

    def load_engine(*args, **kwargs):
        raise AssertionError("the model was loaded before the input was checked")

    monkeypatch.setattr(zhbridge.mt.engine, "load_engine", load_engine)
    monkeypatch.setattr(zhbridge.mt.run, "load_engine", load_engine)


@pytest.fixture()
def article(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("郑州是微短剧创作之都。\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ARTICLE", "--out", "OUT", "--xliff-target", "both"], "--xliff-target both: choose source or mt"),
        (["ARTICLE", "--out", "OUT", "--backend", "onnx"], "--backend onnx: choose hf or ct2"),
        (["ARTICLE", "--out", "OUT", "--engine", "spark"], "--engine spark: choose local or ray"),
        (["-", "ARTICLE", "--out", "OUT"], "- (stdin) cannot be mixed with file inputs"),
        (["ARTICLE"], "--out DIR is required when translating files (--out - prints the English alone)"),
        (["ARTICLE", "--out", "-", "--omegat"], "--omegat needs an output folder (--out DIR), not stdout"),
        (["ARTICLE", "--out", "-", "--engine", "ray"], "--engine ray needs an output folder (--out DIR), not stdout"),
        (["MISSING", "--out", "OUT"], "missing.txt"),
        (["EMPTY", "--out", "OUT"], "empty.txt"),
        (["DOCX", "--out", "-"], "--out - prints text: give .txt/.md files"),
    ],
)
def test_refusals_are_one_line_exit_2_and_load_no_model(zhbridge, no_model, article, tmp_path, args, message):
    import docx

    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    d = docx.Document()
    d.add_paragraph("竖店")
    d.save(str(tmp_path / "b.docx"))
    names = {
        "ARTICLE": article,
        "OUT": tmp_path / "out",
        "MISSING": tmp_path / "missing.txt",
        "EMPTY": tmp_path / "empty.txt",
        "DOCX": tmp_path / "b.docx",
    }
    code, out, err = zhbridge("translate", *[names.get(a, a) for a in args])
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err, err
    assert not (tmp_path / "out").exists()


def test_several_bad_files_are_counted_in_one_line(zhbridge, no_model, tmp_path):
    code, _, err = zhbridge("translate", tmp_path / "x.txt", tmp_path / "y.txt", tmp_path / "z.txt", "--out", tmp_path / "o")
    assert code == 2 and err.count("\n") == 1
    assert "x.txt" in err and "(and 2 more inputs like it); nothing translated" in err
