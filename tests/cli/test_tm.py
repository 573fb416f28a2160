"""`zhbridge tm import`: post-edited TMX/XLIFF into the post-edit memory, counts printed, bad input exit 2."""

from __future__ import annotations

from zhbridge.mt.tmx import TMUnit, read_tmx, write_tmx_units


def test_import_reports_added_updated_unchanged(zhbridge, tmp_path):
    memory = tmp_path / "tm" / "postedits.tmx"
    first = write_tmx_units(
        tmp_path / "project_save.tmx", [TMUnit("竖店很大。", "Shudian is big."), TMUnit("我爱你。", "I love you.")]
    )
    code, out, err = zhbridge("tm", "import", first, "--memory", memory)
    assert code == 0, err
    assert out == f"imported 1 file into {memory}: 2 added, 0 updated, 0 unchanged; 2 units in the memory\n"
    second = write_tmx_units(
        tmp_path / "again.tmx", [TMUnit("竖店很大。", "Shudian is huge."), TMUnit("我爱你。", "I love you.")]
    )
    code, out, err = zhbridge("tm", "import", first, second, "--memory", memory)
    assert code == 0, err
    assert "imported 2 files" in out and "0 added, 1 updated, 3 unchanged; 2 units" in out
    units = {u.zh: u for u in read_tmx(memory)}
    assert units["竖店很大。"].en == "Shudian is huge."
    assert units["竖店很大。"].props["origin"] == "post-edit" and units["竖店很大。"].props["file"] == "again.tmx"


def test_bad_inputs_are_one_line_and_exit_2_and_leave_the_memory_alone(zhbridge, tmp_path):
    memory = tmp_path / "postedits.tmx"
    good = write_tmx_units(tmp_path / "good.tmx", [TMUnit("我爱你。", "I love you.")])
    assert zhbridge("tm", "import", good, "--memory", memory)[0] == 0
    before = memory.read_bytes()
    not_tm = tmp_path / "notes.xml"
    not_tm.write_text("<notes><n>hi</n></notes>", encoding="utf-8")
    for bad, message in ((tmp_path / "missing.tmx", "missing.tmx: no such file"), (not_tm, "neither TMX nor XLIFF 1.2")):
        code, out, err = zhbridge("tm", "import", good, bad, "--memory", memory)
        assert code == 2 and out == "" and err.count("\n") == 1 and message in err, err
    assert memory.read_bytes() == before  # inputs are read before the memory is touched
