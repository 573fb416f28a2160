"""Training-pair similarity: stored scores round-trip, and the filter drops a misaligned pair of real text."""

from __future__ import annotations

import gzip

import pytest

from zhbridge.io import InputError
from zhbridge.train import similarity

from .conftest import EN, ZH


def test_scores_round_trip_sorted_and_reproducible(tmp_path):
    path = tmp_path / "sim.tsv.gz"
    scores = {similarity.pair_key(z, e): 0.1 * k for k, (z, e) in enumerate(zip(ZH, EN))}
    similarity.save_scores(scores, path)
    first = path.read_bytes()
    similarity.save_scores(scores, path)
    assert path.read_bytes() == first  # no timestamp in the gzip header: a rerun changes nothing
    back = similarity.load_scores(path)
    assert back == pytest.approx(scores, abs=5e-4)
    lines = gzip.decompress(first).decode().splitlines()
    assert lines == sorted(lines) and all(len(line.split("\t")[0]) == similarity.KEY_CHARS for line in lines)
    assert similarity.load_scores(tmp_path / "absent.tsv.gz") == {}


def test_malformed_line_is_an_error_naming_it(tmp_path):
    path = tmp_path / "bad.tsv.gz"
    path.write_bytes(gzip.compress(b"abc\t0.5\nnot-a-score\n"))
    with pytest.raises(InputError, match=r"bad.tsv.gz:2"):
        similarity.load_scores(path)


def test_filter_drops_the_shifted_pair_and_uses_stored_scores_first():
    pairs = list(zip(ZH, EN))
    shifted = (ZH[0], EN[2])  # a subtitle off by two lines: the weather, not the industry
    scores = similarity.similarities([*pairs, shifted], stored={})
    assert min(scores[:-1]) > scores[-1] + 0.2
    threshold = (min(scores[:-1]) + scores[-1]) / 2
    kept, dropped = similarity.filter_by_similarity({"set": [*pairs, shifted]}, threshold, stored={})
    assert kept["set"] == pairs and dropped == {"set": 1}
    # a stored score wins over encoding: here it claims the shifted pair is perfect
    kept, dropped = similarity.filter_by_similarity({"set": [shifted]}, threshold, stored={similarity.pair_key(*shifted): 0.99})
    assert kept["set"] == [shifted] and dropped == {"set": 0}
