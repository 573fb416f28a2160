"""Reading evaluation files: sacrebleu's line handling, unique system names, length checks."""

from __future__ import annotations

import pytest

from zhbridge.evaluate.inputs import check_same_length, read_segments, system_name
from zhbridge.io import InputError


def test_read_segments_strips_trailing_whitespace_like_sacrebleu(tmp_path):
    path = tmp_path / "h.en"
    path.write_bytes("\ufeffone  \r\n  two\t\r\n\r\nlast".encode("utf-8"))
    assert read_segments(path) == ["one", "  two", "", "last"]


def test_gbk_file_is_decoded(tmp_path):
    path = tmp_path / "src.zh"
    path.write_bytes("微短剧\n竖店\n".encode("gbk"))
    assert read_segments(path) == ["微短剧", "竖店"]


def test_system_names_are_unique():
    taken: set[str] = set()
    names = []
    for path in ["a/sys.en", "b/sys.en", "c/other.txt"]:
        names.append(system_name(path, taken))
        taken.add(names[-1])
    assert names == ["sys", "sys#2", "other"]


def test_length_check_names_both_files():
    with pytest.raises(InputError, match=r"^hyp.en: 2 lines but ref.en has 3 lines"):
        check_same_length({"ref.en": ["a", "b", "c"], "hyp.en": ["a", "b"]})
    with pytest.raises(InputError, match="empty"):
        check_same_length({"ref.en": []})
    assert check_same_length({"ref.en": ["a"], "hyp.en": ["b"]}) == 1


def test_a_line_far_longer_than_a_segment_is_refused(tmp_path):
    """A 200k-word line made TER use 6 GB; it is refused with its line named."""
    from zhbridge.evaluate.inputs import read_segments

    path = tmp_path / "hyp.txt"
    path.write_text("ok\n" + "word " * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"hyp.txt:2: .* characters on one line") as caught:
        read_segments(path)
    assert "\n" not in str(caught.value)
