import pytest

from zhbridge.io import InputError
from zhbridge.mt.documents import parse_text, read_document, render_text, write_document

MARKDOWN = """# 郑州微短剧

郑州是微短剧创作之都。产业发展很快。

- 竖店吸引了很多演员。
- [ ] 短剧出海成为新趋势。
1. 平台推出了精品微短剧。

> 河南文化发展报告发布。

| 城市 | 产量 |
|---|---|
| 郑州 | 100 |

```
代码不翻译
```
---
"""


def tagged(doc):
    return [f"<{i}>" for i in range(len(doc.units))]


def test_markdown_keeps_markers_tables_and_code():
    doc = parse_text(MARKDOWN, "md")
    texts = [u.text for u in doc.units]
    assert "代码不翻译" not in texts and "100" not in texts
    assert texts[:3] == ["郑州微短剧", "郑州是微短剧创作之都。产业发展很快。", "竖店吸引了很多演员。"]
    out = render_text(doc, tagged(doc))
    assert out.splitlines() == [
        "# <0>",
        "",
        "<1>",
        "",
        "- <2>",
        "- [ ] <3>",
        "1. <4>",
        "",
        "> <5>",
        "",
        "| <6> | <7> |",
        "|---|---|",
        "| <8> | 100 |",
        "",
        "```",
        "代码不翻译",
        "```",
        "---",
    ]
    assert render_text(doc, [u.text for u in doc.units]) == MARKDOWN  # identity round trip


def test_txt_keeps_blank_lines_and_indentation():
    text = "第一段。\n\n  第二段。\n"
    doc = parse_text(text, "txt")
    assert render_text(doc, ["One.", "Two."]) == "One.\n\n  Two.\n"


def test_lines_mode_keeps_every_line(tmp_path):
    path = tmp_path / "in.zh"
    path.write_text("一。\n\n三。\n", encoding="utf-8")
    doc = read_document(path, lines=True)
    assert len(doc.units) == 3
    assert render_text(doc, ["a", "", "c"]) == "a\n\nc\n"


def test_docx_paragraph_styles_and_tables_kept(tmp_path):
    import docx

    src = tmp_path / "in.docx"
    d = docx.Document()
    d.add_heading("郑州微短剧", level=1)
    p = d.add_paragraph()
    p.add_run("郑州").bold = True
    p.add_run("是微短剧创作之都。")
    d.add_paragraph("2025", style="List Bullet")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "竖店"
    d.save(src)
    doc = read_document(src)
    assert [u.text for u in doc.units] == ["郑州微短剧", "郑州是微短剧创作之都。", "", "竖店", ""]
    out = tmp_path / "out.docx"
    write_document(doc, ["Zhengzhou micro-short dramas", "Zhengzhou is the capital.", "", "Shudian", ""], out, overwrite=False)
    back = docx.Document(str(out))
    paras = back.paragraphs
    assert [p.text for p in paras] == ["Zhengzhou micro-short dramas", "Zhengzhou is the capital.", "2025"]
    assert paras[0].style.name == "Heading 1" and paras[2].style.name == "List Bullet"
    assert paras[1].runs[0].bold  # the first run's format carries the translation
    assert back.tables[0].cell(0, 0).text == "Shudian"
    with pytest.raises(InputError):
        write_document(doc, ["a", "b", "", "c", ""], out, overwrite=False)


def test_unsupported_and_broken_inputs(tmp_path):
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF")
    with pytest.raises(InputError, match="unsupported"):
        read_document(bad)
    broken = tmp_path / "y.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="docx"):
        read_document(broken)


@pytest.mark.parametrize("damage", ["not-a-docx-zip", "broken-xml"])
def test_a_damaged_docx_package_is_one_input_error(tmp_path, damage):
    """A zip without a Word document (PackageNotFoundError) and a package with broken XML (an lxml error)."""
    import zipfile

    import docx

    path = tmp_path / "damaged.docx"
    if damage == "not-a-docx-zip":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "not a Word document")
    else:
        good = tmp_path / "good.docx"
        d = docx.Document()
        d.add_paragraph("竖店")
        d.save(str(good))
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
            for item in src.infolist():
                data = src.read(item)
                dst.writestr(item, b"<w:document" if item.filename == "word/document.xml" else data)
    with pytest.raises(InputError, match=r"damaged\.docx: not a readable \.docx file \(\w+\)"):
        read_document(path)


def test_a_docx_that_unpacks_to_gigabytes_is_refused_before_python_docx_reads_it(tmp_path):
    """A 1.5 MB docx with a 1.5 GB document.xml reached 3.6 GB of memory; the unpacked size is checked first."""
    import resource
    import zipfile

    import docx

    from zhbridge.io import InputError
    from zhbridge.mt.documents import read_document

    plain = tmp_path / "plain.docx"
    d = docx.Document()
    d.add_paragraph("郑州是微短剧创作之都。")
    d.save(str(plain))
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                # 300 MB of whitespace inside the body: valid XML, a few hundred KB compressed
                data = data.replace(b"<w:body>", b"<w:body>" + b" " * (300 << 20), 1)
            dst.writestr(info, data, zipfile.ZIP_DEFLATED)
    assert bomb.stat().st_size < 2 << 20
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(InputError, match="unpacks to .* MiB") as caught:
        read_document(bomb)
    assert "\n" not in str(caught.value)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 << 10  # KiB: nothing was inflated
    assert read_document(plain).units[0].text == "郑州是微短剧创作之都。"
