import pytest

from zhbridge.align import Bead, format_bead, parse_beads, read_beads, write_beads
from zhbridge.align.beads import check_coverage
from zhbridge.io import InputError


def test_format_and_kind():
    bead = Bead((0, 1), (2,), 0.5)
    assert format_bead(bead) == "[0,1]:[2]"
    assert bead.kind == "2-1"
    assert Bead((), (5,), 0.0).kind == "0-1"
    assert format_bead(Bead((), (5,), 0.0)) == "[]:[5]"


def test_round_trip_through_file(tmp_path):
    beads = [Bead((0, 1), (0,), 0.9), Bead((), (1,), 0.1), Bead((2,), (2, 3, 4), 0.7), Bead((3,), (), 0.2)]
    path = tmp_path / "doc.align"
    write_beads(path, beads)
    back = read_beads(path)
    assert [b.ids for b in back] == [b.ids for b in beads]
    assert path.read_text() == "[0,1]:[0]\n[]:[1]\n[2]:[2,3,4]\n[3]:[]\n"


def test_scores_survive_when_written():
    text = "[0]:[0]\t0.2500\n\n[1, 2]:[1]\n"
    beads = parse_beads(text)
    assert beads[0].score == pytest.approx(0.25)
    assert beads[1].zh == (1, 2)


def test_malformed_line_is_input_error():
    with pytest.raises(InputError, match=":2:"):
        parse_beads("[0]:[0]\n0-0\n", name="x.align")


def test_check_coverage_detects_gaps():
    check_coverage([Bead((0,), (0,)), Bead((1,), ())], 2, 1)
    with pytest.raises(ValueError):
        check_coverage([Bead((0,), (0,)), Bead((2,), (1,))], 3, 2)
