"""Paired tests: same numbers as `sacrebleu --paired-bs`, and p-values that behave."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from zhbridge.evaluate.inputs import read_segments
from zhbridge.evaluate.significance import paired_test


def test_paired_bootstrap_equals_sacrebleu_cli(wmt23_slice):
    base, other = wmt23_slice["GPT4-5shot"], wmt23_slice["NLLB_Greedy"]
    cmd = [
        sys.executable,
        "-m",
        "sacrebleu",
        str(wmt23_slice["ref"]),
        "-i",
        str(base),
        str(other),
        "--paired-bs",
        "--paired-bs-n",
        "300",
        "-m",
        "bleu",
        "chrf",
        "-w",
        "4",
        "-f",
        "latex",
    ]
    latex = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    # "... & 13.5476 (13.6808 ± 3.5867) (p = 0.0050)* & ..." for the compared system's row
    row = next(line for line in latex.splitlines() if "NLLB" in line)
    cells = re.findall(r"([\d.]+) \(([\d.]+) ± ([\d.]+)\) \(p = ([\d.]+)\)", row)
    assert len(cells) == 2
    result = paired_test(
        {"base": read_segments(base), "other": read_segments(other)},
        [read_segments(wmt23_slice["ref"])],
        test="bs",
        n_samples=300,
    )
    for metric, (score, mean, ci, p) in zip(["BLEU", "chrF"], cells):
        ours = result.results[metric]["other"]
        assert f"{ours.score:.4f}" == score
        assert f"{ours.mean:.4f}" == mean
        assert f"{ours.ci:.4f}" == ci
        assert f"{ours.p_value:.4f}" == p
    assert "bs:300" in result.signatures["BLEU"] and "seed:12345" in result.signatures["BLEU"]


@pytest.mark.parametrize("test", ["bs", "ar"])
def test_p_values_separate_a_broken_system_from_a_copy(test, wmt23_slice):
    ref = read_segments(wmt23_slice["ref"])
    good = read_segments(wmt23_slice["GPT4-5shot"])
    # A near copy (5 of 60 segments taken from another system) and a system that
    # lost the second half of every segment.
    near_copy = read_segments(wmt23_slice["ONLINE-A"])[:5] + good[5:]
    broken = [" ".join(h.split()[: max(1, len(h.split()) // 2)]) for h in good]
    result = paired_test({"good": good, "copy": near_copy, "broken": broken}, [ref], test=test, n_samples=200)
    for metric in ("BLEU", "chrF"):
        by_system = result.results[metric]
        assert by_system["good"].p_value is None  # the baseline
        assert by_system["copy"].p_value > 0.05
        assert by_system["broken"].p_value < 0.05
        assert result.significant(metric, "broken") and not result.significant(metric, "copy")
        for r in by_system.values():
            low, high = r.interval
            assert low <= r.score <= high and r.ci > 0


def test_single_system_gets_a_confidence_interval(wmt23_slice):
    ref = read_segments(wmt23_slice["ref"])
    result = paired_test({"only": read_segments(wmt23_slice["ONLINE-A"])}, [ref], n_samples=200)
    r = result.results["BLEU"]["only"]
    assert r.p_value is None and 0 < r.ci < 10


def test_unknown_test_type():
    with pytest.raises(ValueError):
        paired_test({"a": ["x"]}, [["x"]], test="t-test")


def test_identical_systems_follow_sacrebleu_convention(wmt23_slice):
    # sacrebleu counts only strictly larger differences (multeval's convention), so a
    # system against an exact copy of itself gets the smallest p, 1/(n+1): documented, not a bug.
    good = read_segments(wmt23_slice["GPT4-5shot"])
    result = paired_test({"a": good, "b": list(good)}, [read_segments(wmt23_slice["ref"])], n_samples=99)
    assert result.results["BLEU"]["b"].p_value == pytest.approx(1 / 100)
