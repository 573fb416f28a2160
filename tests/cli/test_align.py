from typer.testing import CliRunner

from zhbridge.align import read_beads
from zhbridge.cli import app


def _files(tmp_path):
    zh = tmp_path / "doc.zh"
    en = tmp_path / "doc.en"
    zh.write_text("第一句很短。\n第二句稍微长一点，有更多的字。\n", encoding="utf-8")
    en.write_text("The first is short.\nThe second sentence is a little longer, with more words.\n", encoding="utf-8")
    return zh, en


def test_align_presplit_writes_beads_and_tsv(tmp_path):
    zh, en = _files(tmp_path)
    out, tsv = tmp_path / "doc.align", tmp_path / "doc.tsv"
    result = CliRunner().invoke(
        app, ["align", "--presplit", "--features", "length", str(zh), str(en), "--out", str(out), "--tsv", str(tsv)]
    )
    assert result.exit_code == 0, result.output
    assert [b.ids for b in read_beads(out)] == [((0,), (0,)), ((1,), (1,))]
    rows = tsv.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "zh\ten\tbead\tscore" and rows[1].startswith("第一句很短。\tThe first is short.\t[0]:[0]\t")


def test_align_refuses_to_overwrite(tmp_path):
    zh, en = _files(tmp_path)
    out = tmp_path / "doc.align"
    out.write_text("keep me\n")
    result = CliRunner().invoke(app, ["align", "--presplit", "--features", "length", str(zh), str(en), "--out", str(out)])
    assert result.exit_code != 0
    assert out.read_text() == "keep me\n"


def test_align_eval_prints_strict_and_lax(tmp_path):
    gold, test = tmp_path / "gold", tmp_path / "test"
    gold.mkdir(), test.mkdir()
    (gold / "a.align").write_text("[0]:[0]\n[1]:[1,2]\n")
    (test / "a.align").write_text("[0]:[0]\n[1]:[1]\n[]:[2]\n")
    result = CliRunner().invoke(app, ["align-eval", str(gold), str(test)])
    assert result.exit_code == 0, result.output
    line = [l for l in result.output.splitlines() if l.startswith("ALL")][0].split()
    assert line[1:4] == ["0.333", "0.500", "0.400"]


def _cli(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "zhbridge", *args], capture_output=True, text=True)


def test_bad_outputs_and_features_get_one_line_errors(tmp_path):
    zh, en = _files(tmp_path)
    folder = tmp_path / "folder"
    folder.mkdir()
    cases = {
        "not a regular file": ["--out", str(folder), "--overwrite"],
        "cannot write there": ["--out", "/proc/x"],
        "choose full, lexical or length": ["--features", "bogus"],
    }
    for message, extra in cases.items():
        result = _cli("align", "--presplit", str(zh), str(en), *extra)
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert folder.is_dir() and not any(folder.iterdir())


def test_one_pair_and_manifest_forms_do_not_mix(tmp_path):
    zh, en = _files(tmp_path)
    manifest = tmp_path / "pairs.tsv"
    manifest.write_text(f"id\tzh\ten\ndoc\t{zh.name}\t{en.name}\n", encoding="utf-8")
    out = str(tmp_path / "out")
    cases = {
        "give ZH EN or --manifest PAIRS.tsv, not both": [str(zh), str(en), "--manifest", str(manifest), "--out", out],
        "--manifest needs --out DIR": ["--manifest", str(manifest)],
        "-: --out must be a folder with --manifest": ["--manifest", str(manifest), "--out", "-"],
        "--tsv is for one pair": ["--manifest", str(manifest), "--out", out, "--tsv", str(tmp_path / "x.tsv")],
        "--engine bogus: choose local or ray": ["--manifest", str(manifest), "--out", out, "--engine", "bogus"],
        "give the ZH and EN documents, or --manifest": [str(zh)],
        "--engine and --address are for --manifest batches": [str(zh), str(en), "--engine", "ray"],
    }
    for message, args in cases.items():
        result = _cli("align", *args)
        assert result.returncode == 2 and message in result.stderr, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "x.tsv").exists()


def test_no_embed_keeps_the_lexical_aligner_and_says_so(tmp_path):
    zh, en = _files(tmp_path)
    runs = {}
    for flag in ([], ["--no-embed"]):
        out = tmp_path / f"doc{len(flag)}.align"
        result = CliRunner().invoke(app, ["align", "--presplit", str(zh), str(en), "--out", str(out), *flag])
        assert result.exit_code == 0, result.output
        runs[bool(flag)] = (read_beads(out), result.output)
    assert [b.ids for b in runs[True][0]] == [b.ids for b in runs[False][0]] == [((0,), (0,)), ((1,), (1,))]
    assert "embed=USE multilingual v3" in runs[False][1] and "Apache-2.0" in runs[False][1]
    assert "features=lexical" in runs[True][1] and "embed=" not in runs[True][1]
