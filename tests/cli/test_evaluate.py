"""`zhbridge evaluate`: bad input is one clear line and exit 2; JSON and report outputs work."""

from __future__ import annotations

import json

import pytest

from zhbridge.cli import main


def run(argv, capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    return exc.value.code, out, err


@pytest.fixture()
def files(tmp_path):
    ref = tmp_path / "ref.en"
    ref.write_text("The drama was shot in Zhengzhou.\nIt took seven days.\nActors were paid daily.\n", encoding="utf-8")
    hyp = tmp_path / "sys1.en"
    hyp.write_text("The drama was filmed in Zhengzhou.\nIt took 7 days.\nActors got daily pay.\n", encoding="utf-8")
    src = tmp_path / "src.zh"
    src.write_text("这部剧在郑州拍摄。\n拍了7天。\n演员按天结算。\n", encoding="utf-8")
    return {"ref": ref, "hyp": hyp, "src": src, "dir": tmp_path}


def test_length_mismatch_names_file_and_counts(files, capsys):
    short = files["dir"] / "short.en"
    short.write_text("Only one line.\n", encoding="utf-8")
    code, out, err = run(["evaluate", "--hyp", str(short), "--ref", str(files["ref"]), "--metrics", "bleu"], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "short.en: 1 lines" in err and "ref.en has 3 lines" in err


def test_source_length_mismatch(files, capsys):
    src = files["dir"] / "src2.zh"
    src.write_text("一行。\n", encoding="utf-8")
    code, _, err = run(["evaluate", "--hyp", str(files["hyp"]), "--ref", str(files["ref"]), "--src", str(src)], capsys)
    assert code == 2 and "src2.zh: 1 lines" in err


def test_empty_file(files, capsys):
    empty = files["dir"] / "empty.en"
    empty.write_text("", encoding="utf-8")
    code, _, err = run(["evaluate", "--hyp", str(empty), "--ref", str(files["ref"])], capsys)
    assert code == 2 and "empty.en: empty file" in err


@pytest.mark.parametrize("data, message", [(b"caf\xe9 au lait\n" * 3, "not UTF-8"), (b"\x00\x01\x02binary" * 50, "binary")])
def test_undecodable_file(files, capsys, data, message):
    bad = files["dir"] / "bad.en"
    bad.write_bytes(data)
    code, _, err = run(["evaluate", "--hyp", str(bad), "--ref", str(files["ref"])], capsys)
    assert code == 2 and "bad.en" in err and message in err


def test_json_output(files, capsys):
    code, out, _ = run(
        [
            "evaluate",
            "--hyp",
            str(files["hyp"]),
            "--ref",
            str(files["ref"]),
            "--src",
            str(files["src"]),
            "--metrics",
            "bleu,chrf",
            "--significance",
            "none",
            "--json",
        ],
        capsys,
    )
    assert code == 0
    data = json.loads(out)
    system = data["systems"][0]
    assert system["name"] == "sys1" and set(system["scores"]) == {"BLEU", "chrF"}
    assert system["scores"]["chrF"]["signature"].startswith("nrefs:1|case:mixed|eff:yes|nc:6|nw:0")
    assert system["numbers"] == {"correct": 1, "total": 1, "accuracy": 1.0, "misses": []}


def test_report_dir_refused_before_scoring(files, capsys):
    report = files["dir"] / "rep"
    report.mkdir()
    (report / "evaluation.png").write_bytes(b"keep me")
    code, _, err = run(["evaluate", "--hyp", str(files["hyp"]), "--ref", str(files["ref"]), "--report", str(report)], capsys)
    assert code == 2 and "--overwrite" in err
    assert (report / "evaluation.png").read_bytes() == b"keep me"


def test_dataset_split_supplies_reference_source_and_docs(tmp_path, capsys):
    from zhbridge.evaluate.suite import load_dataset_split

    test = load_dataset_split("test")
    hyp = tmp_path / "copy.en"
    hyp.write_text("\n".join(test["en"]) + "\n", encoding="utf-8")
    code, out, _ = run(
        ["evaluate", "--hyp", str(hyp), "--dataset-split", "test", "--metrics", "bleu,chrf", "--significance", "none", "--json"],
        capsys,
    )
    assert code == 0
    data = json.loads(out)
    assert data["references"] == ["dataset:test.en"] and data["source"] == "dataset:test.zh"
    system = data["systems"][0]
    assert system["scores"]["BLEU"]["score"] == pytest.approx(100.0)
    assert set(system["documents"]) == set(test["doc_id"])
    code, _, err = run(["evaluate", "--hyp", str(hyp), "--dataset-split", "nope"], capsys)
    assert code == 2 and "no parallel split 'nope'" in err
