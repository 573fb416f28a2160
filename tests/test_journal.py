"""The append-only journal (zhbridge.journal): torn lines, details after reopening, one run per folder."""

import json

import pytest

from zhbridge.io import InputError
from zhbridge.journal import JOURNAL_NAME, Journal


def test_torn_last_line_is_dropped_and_appending_continues(tmp_path):
    path = tmp_path / JOURNAL_NAME
    with Journal(path) as j:
        j.add_segments("doc", [{"i": 0, "tgt": "a"}, {"i": 1, "tgt": "b"}])
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('{"type": "segment", "doc": "doc", "i": 2, "tg')  # kill -9 in the middle of a write
    with Journal(path) as j:
        assert sorted(j.segments("doc")) == [0, 1]
        j.add_segments("doc", [{"i": 2, "tgt": "c"}])
        j.mark("doc", "done")
    with Journal(path) as j:
        assert sorted(j.segments("doc")) == [0, 1, 2] and j.state("doc") == "done"
    assert all(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())


def test_details_are_the_last_marks_info_after_reopening(tmp_path):
    path = tmp_path / JOURNAL_NAME
    with Journal(path) as j:
        j.mark("doc", "writing", id="a")
        j.mark("doc", "done", id="a", counts={"beads": 3})
        assert j.details("doc")["counts"] == {"beads": 3} and j.details("other") == {}
    with Journal(path) as j:
        assert j.details("doc")["event"] == "done" and j.details("doc")["counts"] == {"beads": 3}


def test_second_run_on_same_folder_is_refused(tmp_path):
    with Journal(tmp_path / JOURNAL_NAME):
        with pytest.raises(InputError, match="another"):
            Journal(tmp_path / JOURNAL_NAME)
