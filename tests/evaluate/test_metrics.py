"""Our corpus scores must equal the sacrebleu command line's, digit for digit, signature included."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from zhbridge.evaluate.inputs import read_segments
from zhbridge.evaluate.metrics import corpus_scores, per_document_scores, score_corpus, sentence_chrf
from zhbridge.io import InputError


def sacrebleu_cli(refs, hyp, *args) -> list[dict]:
    cmd = [sys.executable, "-m", "sacrebleu", *map(str, refs), "-i", str(hyp), "-w", "4", "-f", "json", *args]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    parsed = json.loads(out)
    return parsed if isinstance(parsed, list) else [parsed]


def rounded(x: float) -> float:
    return float(f"{x:.4f}")  # sacrebleu -w 4 formats the score this way


@pytest.mark.parametrize("system", ["GPT4-5shot", "NLLB_Greedy"])
def test_bleu_and_chrf_equal_sacrebleu_cli(wmt23_slice, system):
    cli = {d["name"]: d for d in sacrebleu_cli([wmt23_slice["ref"]], wmt23_slice[system], "-m", "bleu", "chrf")}
    ours = corpus_scores(read_segments(wmt23_slice[system]), [read_segments(wmt23_slice["ref"])], ["BLEU", "chrF"])
    assert rounded(ours["BLEU"].score) == cli["BLEU"]["score"]
    assert rounded(ours["chrF"].score) == cli["chrF2"]["score"]
    assert ours["BLEU"].signature == cli["BLEU"]["signature"]
    assert ours["chrF"].signature == cli["chrF2"]["signature"]


def test_chrfpp_and_ter_equal_sacrebleu_cli(wmt23_slice, tmp_path):
    # TER is slow on WMT23's long segments: 40 lines are enough to pin the settings.
    hyp, ref = tmp_path / "hyp.en", tmp_path / "ref.en"
    hyp.write_text("\n".join(read_segments(wmt23_slice["ONLINE-A"])[:40]) + "\n", encoding="utf-8")
    ref.write_text("\n".join(read_segments(wmt23_slice["ref"])[:40]) + "\n", encoding="utf-8")
    cli = {d["name"]: d for d in sacrebleu_cli([ref], hyp, "-m", "chrf", "ter", "--chrf-word-order", "2")}
    ours = corpus_scores(read_segments(hyp), [read_segments(ref)], ["chrF++", "TER"])
    assert rounded(ours["chrF++"].score) == cli["chrF2++"]["score"]
    assert rounded(ours["TER"].score) == cli["TER"]["score"]
    assert ours["TER"].signature == cli["TER"]["signature"]


def test_two_references_equal_sacrebleu_cli(wmt22_slice):
    refs = [wmt22_slice["refA"], wmt22_slice["refB"]]
    cli = {d["name"]: d for d in sacrebleu_cli(refs, wmt22_slice["sys"], "-m", "bleu", "chrf")}
    ours = corpus_scores(read_segments(wmt22_slice["sys"]), [read_segments(p) for p in refs], ["BLEU", "chrF"])
    assert rounded(ours["BLEU"].score) == cli["BLEU"]["score"]
    assert rounded(ours["chrF"].score) == cli["chrF2"]["score"]
    assert "nrefs:2" in ours["BLEU"].signature
    single = corpus_scores(read_segments(wmt22_slice["sys"]), [read_segments(refs[0])], ["BLEU"])
    assert ours["BLEU"].score > single["BLEU"].score  # a second reference can only add matches


def test_score_corpus_contract():
    hyps = ["The cat sat on the mat.", "Dramas are short."]
    refs = [["The cat sat on the mat.", "Short dramas are short."]]
    scores = score_corpus(hyps, refs)
    assert set(scores) == {"BLEU", "chrF", "chrF++", "TER"}
    for name, (value, signature) in scores.items():
        assert isinstance(value, float) and "version:" in signature, name
    perfect = score_corpus(refs[0], refs, metrics=["bleu", "chrf"])
    assert perfect["BLEU"][0] == pytest.approx(100.0) and perfect["chrF"][0] == pytest.approx(100.0)
    assert scores["BLEU"][0] < 100.0


@pytest.mark.parametrize("refs", [["a", "b"], "ab", [["only one"]], []])
def test_score_corpus_refuses_misshapen_references(refs):
    with pytest.raises(InputError):
        score_corpus(["a", "b"], refs)


def test_unknown_metric_is_refused():
    with pytest.raises(InputError, match="unknown metric"):
        score_corpus(["a"], [["a"]], metrics=["meteor"])


def test_sentence_chrf_finds_the_bad_segment():
    refs = [["the short drama industry grows", "a city of studios", "numbers rise"]]
    hyps = ["the short drama industry grows", "bananas", "numbers rise"]
    scores, signature = sentence_chrf(hyps, refs)
    assert min(range(3), key=scores.__getitem__) == 1
    assert scores[0] == pytest.approx(100.0) and "nc:6" in signature


def test_per_document_scores_split_by_doc_id():
    refs = [["alpha beta gamma", "delta epsilon", "zeta eta theta", "iota kappa"]]
    hyps = ["alpha beta gamma", "delta epsilon", "nothing alike here", "wrong words"]
    docs = ["d1", "d1", "d2", "d2"]
    per_doc = per_document_scores(hyps, refs, docs)
    assert list(per_doc) == ["d1", "d2"]
    assert per_doc["d1"]["chrF"] == pytest.approx(100.0)
    assert per_doc["d2"]["chrF"] < 30.0
    with pytest.raises(InputError, match="doc ids"):
        per_document_scores(hyps, refs, docs[:3])


class LengthRatio:
    """A custom metric with sacrebleu's interface: hypothesis characters per 100 reference characters."""

    def __init__(self, unit: str = "char"):
        self.unit = unit

    def corpus_score(self, hyps, refs):
        value = 100.0 * sum(map(len, hyps)) / sum(len(r) for r in refs[0])
        return _Score(value)

    def get_signature(self):
        return _Signature(f"nrefs:1|unit:{self.unit}|ref:first")


class _Score:
    def __init__(self, score):
        self.score = score

    def format(self, signature=""):
        return f"LenRatio = {self.score:.2f} ({signature})"


class _Signature:
    def __init__(self, text):
        self.text = text

    def format(self, short=False):
        return self.text


@pytest.fixture()
def length_ratio():
    from zhbridge.evaluate.metrics import register_metric, unregister_metric

    register_metric("LenRatio", LengthRatio, aliases=("len-ratio",))
    yield "LenRatio"
    unregister_metric("LenRatio")


def test_registered_metric_is_scored_with_its_signature_by_the_cli(length_ratio, tmp_path, capsys):
    from zhbridge.cli import main

    hyp, ref = tmp_path / "hyp.en", tmp_path / "ref.en"
    hyp.write_text("ab\ncd\n", encoding="utf-8")  # 4 characters
    ref.write_text("abcd\nefgh\n", encoding="utf-8")  # 8 characters
    with pytest.raises(SystemExit) as exc:
        main(
            ["evaluate", "--hyp", str(hyp), "--ref", str(ref), "--metrics", "bleu,len-ratio", "--significance", "none", "--json"]
        )
    out, err = capsys.readouterr()
    assert exc.value.code == 0, err
    report = json.loads(out)
    assert report["metrics"] == ["BLEU", "LenRatio"]
    scores = report["systems"][0]["scores"]["LenRatio"]
    assert scores["score"] == pytest.approx(50.0)
    assert scores["signature"] == "nrefs:1|unit:char|ref:first"
    assert scores["sacrebleu"] == "LenRatio = 50.00 (nrefs:1|unit:char|ref:first)"


def test_registry_lists_and_refuses(length_ratio):
    from zhbridge.evaluate.metrics import available_metrics, is_lower_better, metric_names, register_metric

    assert available_metrics() == ("BLEU", "chrF", "chrF++", "TER", "LenRatio")
    assert metric_names(["lenratio", "LEN-RATIO", "chrf2"]) == ("LenRatio", "chrF")
    assert is_lower_better("ter") and not is_lower_better("LenRatio")
    with pytest.raises(ValueError, match=r"'LenRatio' is taken by 'LenRatio' \(pass replace=True"):
        register_metric("LenRatio", LengthRatio)
    with pytest.raises(ValueError, match="'lenratio' is taken by 'LenRatio'$"):
        register_metric("lenratio", LengthRatio, replace=True)  # case-insensitive: would shadow it
    with pytest.raises(ValueError, match="'chrf2' is taken by 'chrF'"):
        register_metric("LenRatio", LengthRatio, aliases=("chrf2",), replace=True)
    with pytest.raises(ValueError, match="no comma"):
        register_metric("a,b", LengthRatio)
    register_metric("LenRatio", lambda: LengthRatio("word"), lower_is_better=True, replace=True)
    assert is_lower_better("LenRatio")
    assert corpus_scores(["ab"], [["abcd"]], ["LenRatio"])["LenRatio"].signature == "nrefs:1|unit:word|ref:first"
    with pytest.raises(InputError, match="unknown metric 'len-ratio'"):
        metric_names(["len-ratio"])  # the replacement has no aliases


def test_lower_is_better_metric_gets_the_arrow_in_the_table(capsys):
    from rich.console import Console

    from zhbridge.evaluate.metrics import register_metric, unregister_metric
    from zhbridge.evaluate.report import render_table
    from zhbridge.evaluate.suite import evaluate_systems

    register_metric("MissRate", LengthRatio, lower_is_better=True)
    try:
        ev = evaluate_systems({"sys": ["ab"]}, [["abcd"]], metrics=["chrF", "MissRate"], significance=None)
        console = Console(width=200, record=True)
        render_table(ev, console=console)
    finally:
        unregister_metric("MissRate")
    assert ev.systems[0].scores["MissRate"].score == pytest.approx(50.0)
    text = console.export_text()
    assert "MissRate ↓" in text and "chrF ↓" not in text
