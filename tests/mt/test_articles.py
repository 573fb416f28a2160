"""Articles datasets (JSONL, Parquet) as translation input: each row behaves as the file <id>.<format>."""

from __future__ import annotations

import json

import pytest

from zhbridge.io import InputError
from zhbridge.mt.articles import Article, expand_inputs, read_articles, write_translations
from zhbridge.mt.engine import RunOptions
from zhbridge.mt.translate import output_paths, translate_files


def _rows(zh_sentences):
    return [
        {"id": "a0", "text": f"{zh_sentences[0]}\n\n{zh_sentences[1]}{zh_sentences[3]}\n"},
        {"id": "a1", "text": f"# {zh_sentences[2]}\n\n- **{zh_sentences[4][:4]}**{zh_sentences[4][4:]}\n", "format": "md"},
        {"id": 7, "text": zh_sentences[5] + "\r\n" + zh_sentences[6]},
    ]


def _write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _write_parquet(path, rows):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist([{"id": str(r["id"]), "text": r["text"], "format": r.get("format")} for r in rows])
    pq.write_table(table, path)
    return path


def _as_files(folder, rows):
    folder.mkdir()
    paths = []
    for row in rows:
        path = folder / f"{row['id']}.{row.get('format') or 'txt'}"
        path.write_bytes(row["text"].replace("\r\n", "\n").encode("utf-8"))
        paths.append(path)
    return paths


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_a_dataset_row_is_translated_exactly_as_the_file_it_stands_for(engine, zh_sentences, tmp_path, fmt):
    rows = _rows(zh_sentences)
    dataset = (_write_jsonl if fmt == "jsonl" else _write_parquet)(tmp_path / f"articles.{fmt}", rows)
    [(path, found_fmt, articles)] = expand_inputs([dataset])
    assert (path, found_fmt) == (dataset, fmt)
    assert [a.path.name for a in articles] == ["a0.txt", "a1.md", "7.txt"]

    from_rows = translate_files(articles, tmp_path / "rows", engine)
    files = _as_files(tmp_path / "files", rows)
    from_files = translate_files(files, tmp_path / "files_out", engine)
    assert [r.status for r in from_rows] == ["translated"] * 3
    assert [r.summary for r in from_rows] == [r.summary for r in from_files]
    for file in files:
        for kind, produced in output_paths(file, tmp_path / "rows").items():
            assert produced.read_bytes() == output_paths(file, tmp_path / "files_out")[kind].read_bytes(), kind
    assert "**" in (tmp_path / "rows" / "a1.md").read_text(encoding="utf-8")  # Markdown rows keep their markup

    gathered = write_translations(dataset, fmt, articles, from_rows, tmp_path / "rows")
    assert gathered.name == f"articles.en.{fmt}"
    if fmt == "jsonl":
        back = [json.loads(line) for line in gathered.read_text(encoding="utf-8").splitlines()]
    else:
        import pyarrow.parquet as pq

        back = pq.read_table(gathered).to_pylist()
    assert [r["id"] for r in back] == ["a0", "a1", "7"]
    assert back[1]["text"] == (tmp_path / "rows" / "a1.md").read_text(encoding="utf-8") and back[1]["status"] == "translated"

    # a second run finds the job done
    assert [r.status for r in translate_files(articles, tmp_path / "rows", engine)] == ["skipped"] * 3


def test_a_folder_of_parquet_shards_is_read_in_name_order(zh_sentences, tmp_path):
    rows = _rows(zh_sentences)
    (tmp_path / "shards").mkdir()
    _write_parquet(tmp_path / "shards" / "train-00001-of-00002.parquet", rows[2:])
    _write_parquet(tmp_path / "shards" / "train-00000-of-00002.parquet", rows[:2])
    [(_, fmt, articles)] = expand_inputs([tmp_path / "shards"])
    assert fmt == "parquet" and [a.id for a in articles] == ["a0", "a1", "7"]
    assert articles[2].text == zh_sentences[5] + "\n" + zh_sentences[6]  # newlines normalised as for files


def test_bad_rows_fail_alone_and_the_batch_goes_on(engine, zh_sentences, tmp_path):
    rows = [
        {"id": "ok", "text": zh_sentences[0]},
        {"id": "empty", "text": "  "},
        {"id": "../escape", "text": zh_sentences[1]},
        {"id": "ok", "text": zh_sentences[2]},
        {"id": "odd", "text": zh_sentences[3], "format": "docx"},
    ]
    dataset = _write_jsonl(tmp_path / "a.jsonl", rows)
    articles = list(read_articles(dataset, "jsonl"))
    results = translate_files(articles, tmp_path / "out", engine)
    assert [r.status for r in results] == ["translated", "failed", "failed", "failed", "failed"]
    messages = [r.message for r in results[1:]]
    assert f"{dataset}:2: text is empty" in messages[0]
    assert f"{dataset}:3: id '../escape' cannot name an output file" in messages[1]
    assert f"{dataset}:4: id 'ok' already used by {dataset}:1" in messages[2]
    assert "format 'docx'" in messages[3]
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == [
        "ok.txt",
        "ok.txt.qa.json",
        "ok.txt.qa.md",
        "ok.txt.tsv",
        "ok.txt.xlf",
    ]
    gathered = write_translations(dataset, "jsonl", articles, results, tmp_path / "out")
    back = [json.loads(line) for line in gathered.read_text(encoding="utf-8").splitlines()]
    assert [r["status"] for r in back] == ["translated", "failed", "failed", "failed", "failed"]
    assert back[1]["text"] == "" and "text is empty" in back[1]["error"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "no articles"),
        (b'{"id": "a", "text": "x"}\n{"id": "b", "text": \n', ":2: not a JSON object"),
        (b'["a", "b"]\n', ":1: not a JSON object"),
        (b"[" * 100_000 + b"\n", ":1: not an article row \\(JSON nested too deeply\\)"),
        ('{"id": "a", "text": "竖店"}\n'.encode("gbk"), ":1: not UTF-8"),
    ],
)
def test_malformed_jsonl_stops_with_its_line_named(tmp_path, content, message):
    path = tmp_path / "a.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        expand_inputs([path])


def test_parquet_without_the_columns_or_not_parquet_is_refused(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["a"], "body": ["竖店"]}), tmp_path / "a.parquet")
    with pytest.raises(InputError, match="no text column"):
        expand_inputs([tmp_path / "a.parquet"])
    (tmp_path / "b.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        expand_inputs([tmp_path / "b.parquet"])
    with pytest.raises(InputError, match="choose one of"):
        expand_inputs([tmp_path / "a.parquet"], "csv")


def test_a_row_and_a_file_with_the_same_bytes_but_another_format_do_not_share_journal_entries(engine, zh_sentences, tmp_path):
    # same bytes read as .txt and as .md segment differently; one job must not reuse one's segments for the other
    text = f"# {zh_sentences[0]}\n\n- {zh_sentences[1]}{zh_sentences[2]}\n"
    as_txt = Article(tmp_path / "x.txt", text)
    as_md = Article(tmp_path / "x.md", text)
    together = tmp_path / "together"
    translate_files([as_txt, as_md], together, engine)
    translate_files([as_md], tmp_path / "alone", engine)
    assert (together / "x.md").read_bytes() == (tmp_path / "alone" / "x.md").read_bytes()


def test_cli_translates_a_jsonl_dataset_and_gathers_the_english(tiny_model, tm_dataset, zh_sentences, tmp_path):
    from typer.testing import CliRunner

    from zhbridge.cli import app

    rows = [*_rows(zh_sentences), {"id": "blank", "text": ""}]
    dataset = _write_jsonl(tmp_path / "batch.jsonl", rows)
    args = ["translate", str(dataset), "--out", str(tmp_path / "out"), "--model", str(tiny_model)]
    args += ["--glossary", "none", "--tm", str(tm_dataset), "--beams", "1"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output  # the blank row failed; the others are done
    printed = "".join(result.output.split())  # rich wraps long lines at the test console's width
    assert "3of4filesdone" in printed and f"{dataset}:4:textisempty" in printed
    gathered = [json.loads(line) for line in (tmp_path / "out" / "batch.en.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["status"]) for r in gathered] == [
        ("a0", "translated"),
        ("a1", "translated"),
        ("7", "translated"),
        ("blank", "failed"),
    ]
    assert gathered[0]["text"] == (tmp_path / "out" / "a0.txt").read_text(encoding="utf-8") != ""

    # a re-run finds the articles done and rewrites its own gathered file; someone else's is kept
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 1 and again.output.count("skipped ") == 3, again.output
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "batch.en.jsonl").write_text("mine\n", encoding="utf-8")
    refused = CliRunner().invoke(app, [*args[:3], str(theirs), *args[4:]])
    assert isinstance(refused.exception, InputError) and "--overwrite" in str(refused.exception)
    assert (theirs / "batch.en.jsonl").read_text(encoding="utf-8") == "mine\n"

    omegat = CliRunner().invoke(app, [*args, "--omegat"])
    assert isinstance(omegat.exception, InputError) and "--omegat needs file inputs" in str(omegat.exception)


def test_two_datasets_with_one_name_are_refused_before_anything_is_written(zh_sentences, tmp_path):
    from zhbridge.mt.articles import check_gathered

    for folder in ("d1", "d2"):
        (tmp_path / folder).mkdir()
        _write_jsonl(tmp_path / folder / "arts.jsonl", [{"id": folder, "text": zh_sentences[0]}])
    groups = expand_inputs([tmp_path / "d1" / "arts.jsonl", tmp_path / "d2" / "arts.jsonl"])
    with pytest.raises(InputError, match="would be gathered into .*arts.en.jsonl"):
        check_gathered(groups, tmp_path / "out", overwrite=True)


def test_a_row_whose_outputs_are_anothers_fails_alone_and_overwrites_nothing(engine, zh_sentences, tmp_path):
    rows = [{"id": "a", "text": zh_sentences[0]}, {"id": "a.txt.qa", "text": zh_sentences[1], "format": "md"}]
    dataset = _write_jsonl(tmp_path / "a.jsonl", rows)
    out = tmp_path / "out"
    first = translate_files(list(read_articles(dataset, "jsonl")), out, engine)
    assert [r.status for r in first] == ["translated", "failed"] and "would overwrite those of" in first[1].message
    report = (out / "a.txt.qa.md").read_text(encoding="utf-8")
    again = translate_files(list(read_articles(dataset, "jsonl")), out, engine, RunOptions(overwrite=True))
    assert [r.status for r in again] == ["resumed", "failed"]
    assert (out / "a.txt.qa.md").read_text(encoding="utf-8") == report


@pytest.mark.parametrize("bad", ["\x1b[31m", "\x07", "\ufffe", "\x00", "\ud800"])
def test_a_row_with_control_characters_fails_alone_and_leaves_nothing(engine, zh_sentences, tmp_path, bad):
    rows = [{"id": "bad", "text": zh_sentences[0] + bad + zh_sentences[1]}, {"id": "ok", "text": zh_sentences[2]}]
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")  # ASCII escapes, as JSON allows
    results = translate_files(list(read_articles(path, "jsonl")), tmp_path / "out", engine)
    assert [r.status for r in results] == ["failed", "translated"]
    assert f"U+{ord(bad[0]):04X}" in results[0].message and "\n" not in results[0].message
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith("bad")]


def test_a_failure_while_writing_leaves_none_of_the_articles_outputs(engine, zh_sentences, tmp_path, monkeypatch):
    from zhbridge.mt import translate

    def broken(*args, **kwargs):
        raise ValueError("All strings must be XML compatible")

    monkeypatch.setattr(translate, "write_xliff", broken)
    article = tmp_path / "a.txt"
    article.write_text(zh_sentences[0], encoding="utf-8")
    [result] = translate_files([article], tmp_path / "out", engine)
    assert result.status == "failed"
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith("a.txt")]


def test_rows_without_text_or_id_fail_alone(engine, zh_sentences, tmp_path):
    rows = [{"id": "notext"}, {"text": zh_sentences[0]}, {"id": "ok", "text": zh_sentences[1]}]
    dataset = _write_jsonl(tmp_path / "a.jsonl", rows)
    results = translate_files(list(read_articles(dataset, "jsonl")), tmp_path / "out", engine)
    assert [r.status for r in results] == ["failed", "failed", "translated"]
    assert "no text" in results[0].message and "no id" in results[1].message


def test_a_folder_of_articles_is_its_files(zh_sentences, tmp_path):
    (tmp_path / "in").mkdir()
    for name in ("b.md", "a.txt", "c.docx.bak", ".hidden.txt"):
        (tmp_path / "in" / name).write_text(zh_sentences[0], encoding="utf-8")
    groups = expand_inputs([tmp_path / "in"])
    assert [(p.name, fmt) for p, fmt, _ in groups] == [("a.txt", "files"), ("b.md", "files")]
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no .txt, .md or .docx"):
        expand_inputs([tmp_path / "empty"])
