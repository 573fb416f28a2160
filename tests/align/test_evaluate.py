"""Aligning a folder of documents and scoring it against gold beads (the alignment benchmark's plumbing)."""

from __future__ import annotations

import pytest

from zhbridge.align.beads import Bead, read_beads, write_beads
from zhbridge.align.evaluate import align_directory, evaluate_dirs, format_report, signature
from zhbridge.io import InputError

from .toy import WORDS


def document(count, start=0):
    zh, en = [], []
    for k in range(start, start + count):
        (z1, e1), (z2, e2) = WORDS[k % len(WORDS)], WORDS[(k + 5) % len(WORDS)]
        zh.append(f"我看见了{z1}和{z2}，还想了很久。" + "很久" * (k % 3))
        en.append(f"I saw the {e1} and the {e2}, and thought about it for a long time." + " Long." * (k % 3))
    return zh, en


def one_to_one(n):
    return [Bead((i,), (i,)) for i in range(n)]


@pytest.fixture()
def bench(tmp_path):
    """Two documents in the zh/ en/ gold layout, with gold beads that are all 1-1."""
    for name, (zh, en) in {"a": document(5), "b": document(4, start=7)}.items():
        for side, lines in (("zh", zh), ("en", en)):
            (tmp_path / side).mkdir(exist_ok=True)
            (tmp_path / side / f"{name}.{side}").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (tmp_path / "gold").mkdir(exist_ok=True)
        write_beads(tmp_path / "gold" / f"{name}.align", one_to_one(len(zh)))
    return tmp_path


def test_align_directory_writes_beads_and_signature(bench, tmp_path):
    out = tmp_path / "run"
    sig = align_directory(bench, out, features="length")
    assert sorted(p.name for p in out.iterdir()) == ["SIGNATURE", "a.align", "b.align"]
    assert [(b.zh, b.en) for b in read_beads(out / "a.align")] == [((i,), (i,)) for i in range(5)]
    assert sig.startswith(signature("length")) and "|seconds=" in sig
    assert (out / "SIGNATURE").read_text(encoding="utf-8") == sig + "\n"
    report = evaluate_dirs(bench / "gold", out)
    assert list(report) == ["ALL", "a", "b"] and report["ALL"]["f1_strict"] == 1.0


def test_paired_layout_and_an_empty_folder(tmp_path):
    zh, en = document(3)
    (tmp_path / "x.zh").write_text("\n".join(zh) + "\n", encoding="utf-8")
    (tmp_path / "x.en").write_text("\n".join(en) + "\n", encoding="utf-8")
    (tmp_path / "lonely.zh").write_text(zh[0] + "\n", encoding="utf-8")  # no English: not a document
    align_directory(tmp_path, tmp_path / "out", paired=True, features="length")
    assert sorted(p.name for p in (tmp_path / "out").glob("*.align")) == ["x.align"]
    with pytest.raises(InputError, match="no documents to align"):
        align_directory(tmp_path / "out", tmp_path / "out2", paired=True)


def test_evaluate_dirs_sums_counts_over_documents_and_scores_each(bench, tmp_path):
    test = tmp_path / "test"
    test.mkdir()
    write_beads(test / "a.align", one_to_one(5))
    # b: sentences 1 and 2 merged into one 2-2 bead, so two gold beads are missed
    write_beads(test / "b.align", [Bead((0,), (0,)), Bead((1, 2), (1, 2)), Bead((3,), (3,))])
    report = evaluate_dirs(bench / "gold", test)
    assert report["a"]["f1_strict"] == 1.0
    assert report["b"]["precision_strict"] == pytest.approx(2 / 3) and report["b"]["recall_strict"] == pytest.approx(2 / 4)
    assert report["b"]["precision_lax"] == 1.0  # the merged bead shares sentences with gold beads
    assert report["ALL"]["precision_strict"] == pytest.approx(7 / 8) and report["ALL"]["recall_strict"] == pytest.approx(7 / 9)
    text = format_report(report, "SIG")
    assert text.splitlines()[0] == "aligner: SIG" and len(text.splitlines()) == 3 + 3
    assert text.splitlines()[-1].split() == ["b", "0.667", "0.500", "0.571", "1.000", "1.000", "1.000"]


def test_evaluate_dirs_needs_matching_files(bench, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no \\*.align files matching the gold files"):
        evaluate_dirs(bench / "gold", tmp_path / "empty")


def test_signature_names_the_search_settings_and_evidence():
    assert "features=length" in signature("length") and "embed=" not in signature("length")
    assert "margin=3" in signature("length", margin=3)
