"""Inline markup through the whole pipeline: .docx runs and Markdown syntax survive translation
(tiny model, TM and both backends), and the review XLIFF shows them as inline tags."""

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from zhbridge.mt.engine import RunOptions
from zhbridge.mt.inline import markdown_spans
from zhbridge.mt.translate import translate_files
from zhbridge.mt.xliff import XLIFF_NS

X = f"{{{XLIFF_NS}}}"


def issue_docx(path):
    """The document of issue 18: heading, a paragraph with one bold word, a 2×2 table, a bulleted item."""
    import docx

    d = docx.Document()
    d.add_heading("郑州微短剧", level=1)
    p = d.add_paragraph()
    p.add_run("郑州被称为")
    p.add_run("竖店").bold = True
    p.add_run("，微短剧产业发展迅速。")
    table = d.add_table(rows=2, cols=2)
    for (r, c), text in zip([(0, 0), (0, 1), (1, 0), (1, 1)], ["城市", "数量", "郑州", "120个"]):
        table.cell(r, c).text = text
    d.add_paragraph("竖店吸引了很多演员。", style="List Bullet")
    d.save(path)
    return path


def add_hyperlink(paragraph, text, url):
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rid = paragraph.part.relate_to(url, docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def add_footnote_reference(paragraph, note_id=1):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = OxmlElement("w:r")
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), str(note_id))
    run.append(ref)
    paragraph._p.append(run)


def run_formats(paragraph):
    """(kind, text) of each non-empty run or reference of a paragraph, in document order."""
    out = []
    for child in paragraph._p.iterchildren():
        tag = child.tag.split("}")[1]
        runs = [child] if tag == "r" else list(child.iterchildren("{*}r")) if tag == "hyperlink" else []
        for r in runs:
            if r.find(".//{*}footnoteReference") is not None:
                out.append(("note", ""))
                continue
            text = "".join(t.text or "" for t in r.iter("{*}t"))
            if not text:
                continue
            rpr = r.find("{*}rPr")
            kind = (
                "link"
                if tag == "hyperlink"
                else "+".join(k for k in ("b", "i", "u") if rpr is not None and rpr.find(f"{{*}}{k}") is not None) or "plain"
            )
            out.append((kind, text))
    return out


def tag_kinds(formats):
    """The tag sequence: consecutive runs of one kind are one tag, plain text is none."""
    kinds = [k for k, _ in formats]
    return [k for i, k in enumerate(kinds) if k != "plain" and (i == 0 or kinds[i - 1] != k or k == "note")]


def shape(formats, base):
    """The run kinds other than ``base`` (plain counts when it is not the base), consecutive ones merged."""
    kinds = [k for k, _ in formats if k != base]
    return [k for i, k in enumerate(kinds) if i == 0 or kinds[i - 1] != k or k == "note"]


def test_issue_docx_keeps_the_bold_word_bold_and_numbers(engine, tmp_path, check_xliff):
    import docx

    src = issue_docx(tmp_path / "in.docx")
    [result] = translate_files([src], tmp_path / "out", engine)
    assert result.status == "translated", result.message
    out = docx.Document(str(tmp_path / "out" / "in.docx"))
    body = out.paragraphs[1]
    formats = run_formats(body)
    assert tag_kinds(formats) == ["b"]
    bold = [t for k, t in formats if k == "b"][0]
    assert bold == "Shudian"  # the glossary rendering of the bold 竖店 is what gets the bold
    assert out.tables[0].cell(1, 1).text == "120"
    assert out.paragraphs[0].style.name == "Heading 1" and out.paragraphs[-1].style.name == "List Bullet"
    check_xliff((tmp_path / "out" / "in.docx.xlf").read_bytes())
    root = __import__("lxml.etree", fromlist=["etree"]).parse(str(tmp_path / "out" / "in.docx.xlf")).getroot()
    sources = [u.find(f"{X}source") for u in root.iter(f"{X}trans-unit")]
    bold_source = next(s for s in sources if s.find(f"{X}g") is not None)
    g = bold_source.find(f"{X}g")
    assert g.get("ctype") == "bold" and g.text == "竖店"


def test_docx_hyperlink_footnote_italic_and_underline_survive(engine, tmp_path):
    import docx

    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("郑州是")
    p.add_run("微短剧").italic = True
    p.add_run("创作之都，")
    add_hyperlink(p, "竖店", "https://example.org/shudian")
    p.add_run("吸引了")
    p.add_run("很多演员").underline = True
    add_footnote_reference(p)
    p.add_run("。")
    d.save(tmp_path / "links.docx")
    before = tag_kinds(run_formats(docx.Document(str(tmp_path / "links.docx")).paragraphs[0]))
    assert before == ["i", "link", "u", "note"]
    [result] = translate_files([tmp_path / "links.docx"], tmp_path / "out", engine)
    assert result.status == "translated", result.message
    after = docx.Document(str(tmp_path / "out" / "links.docx")).paragraphs[0]
    formats = run_formats(after)
    assert tag_kinds(formats) == before
    assert all(re.search(r"\w", t) for k, t in formats if k not in ("plain", "note"))
    assert after.hyperlinks[0].address == "https://example.org/shudian"


MARKDOWN = (
    "# 郑州**微短剧**\n\n郑州被称为**竖店**，微短剧产业发展迅速。运行`zhbridge translate`命令，"
    "详见[报告](https://example.org/report)和*平台*数据[^1]。\n\n"
    "- ![竖店片场](img/shudian.png)吸引了**很多演员。产业链条**不断完善。\n"
)


def md_tags(text):
    spans, tags = markdown_spans(text)
    return [(tags[t].ctype, tags[t].open, tags[t].close) for t in sorted(tags)]


@pytest.mark.parametrize("backend", ["hf", "ct2"])
def test_markdown_round_trip_keeps_every_tag_in_order(engine, tmp_path, tiny_model, backend, check_xliff):
    from typer.testing import CliRunner

    from zhbridge.cli import app
    from zhbridge.mt.models import load_translator
    from zhbridge.mt.translate import Engine

    if backend == "ct2":
        ct2_dir = tmp_path / "ct2"
        res = CliRunner().invoke(
            app, ["model", "export", "--model", str(tiny_model), "--ct2", str(ct2_dir), "--quantization", "float32"]
        )
        assert res.exit_code == 0, res.output
        engine = Engine(
            load_translator(ct2_dir, backend="ct2", beams=1, threads=1), engine.glossary, engine.memory, batch_tokens=64
        )
    src = tmp_path / "doc.md"
    src.write_text(MARKDOWN, encoding="utf-8")
    [result] = translate_files([src], tmp_path / "out", engine, RunOptions(xliff_target="mt"))
    assert result.status == "translated", result.message
    english = (tmp_path / "out" / "doc.md").read_text(encoding="utf-8")
    for line_in, line_out in zip(MARKDOWN.split("\n"), english.split("\n")):
        assert md_tags(line_out) == md_tags(line_in), (line_in, line_out)
    assert "`zhbridge translate`" in english and "**Shudian**" in english
    xliff = (tmp_path / "out" / "doc.md.xlf").read_bytes()
    check_xliff(xliff)
    from lxml import etree

    root = etree.fromstring(xliff)
    kinds = {el.tag.split("}")[1] for el in root.iter(f"{X}g", f"{X}x", f"{X}bx", f"{X}ex")}
    assert kinds == {"g", "x", "bx", "ex"}  # the bold run across a sentence end is split with bx/ex
    for unit in root.iter(f"{X}trans-unit"):
        source, target = unit.find(f"{X}source"), unit.find(f"{X}target")

        def ids(el):
            return [(c.tag, c.get("id")) for c in el.iter() if c is not el]

        assert ids(source) == ids(target)
    codes = [g.text for g in root.iter(f"{X}g") if g.get("ctype") == "x-code"]
    assert codes and set(codes) == {"zhbridge translate"}  # code is copied into the target, not translated


def test_tm_match_gets_its_tags_too(engine, tmp_path):
    # 竖店吸引了很多演员。 is an exact TM match: the TM's English gets the bold word
    src = tmp_path / "tm.md"
    src.write_text("**竖店**吸引了很多演员。\n", encoding="utf-8")
    [result] = translate_files([src], tmp_path / "out", engine)
    assert result.summary["tm_exact"] == 1
    assert (tmp_path / "out" / "tm.md").read_text(encoding="utf-8") == "**Shudian** has attracted many actors.\n"


FORMATS = st.sampled_from(["plain", "b", "i", "u", "link", "note"])
WORDS = st.text(alphabet="郑州竖店微短剧产业发展迅速演员拍摄", min_size=1, max_size=5)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    runs=st.lists(st.tuples(FORMATS, WORDS), min_size=1, max_size=6).filter(lambda rs: any(k != "note" for k, _ in rs)),
    english=st.lists(
        st.sampled_from(["Zhengzhou", "drama", "grows", "fast", "the", "120", ",", "Shudian"]), min_size=8, max_size=16
    ),
)
@example(runs=[("b", "业"), ("plain", "业业业业业"), ("b", "业业业业业"), ("b", "业业业业业")], english=["Zhengzhou"] * 8)
@example(runs=[("note", "郑"), ("b", "郑郑"), ("plain", "郑郑")], english=["Zhengzhou"] * 8)  # a tie: bold is first
def test_random_docx_run_structures_keep_tags_in_order(tmp_path_factory, runs, english):
    """Any run structure: reading and writing back one English stretch per span keeps every run
    format, hyperlink and note reference in order, each formatted run with a word in it."""
    import docx

    from zhbridge.mt.documents import read_document, write_document

    d = docx.Document()
    p = d.add_paragraph()
    for kind, text in runs:
        if kind == "note":
            add_footnote_reference(p)
        elif kind == "link":
            add_hyperlink(p, text, "https://example.org")
        else:
            run = p.add_run(text)
            if kind != "plain":
                setattr(run, {"b": "bold", "i": "italic", "u": "underline"}[kind], True)
    folder = tmp_path_factory.mktemp("docx")
    d.save(folder / "in.docx")
    before = run_formats(docx.Document(str(folder / "in.docx")).paragraphs[0])
    doc = read_document(folder / "in.docx")
    write_document(doc, [" ".join(english)], folder / "out.docx", overwrite=False)
    formats = run_formats(docx.Document(str(folder / "out.docx")).paragraphs[0])
    assert [t for _, t in formats if t] and "".join(t for _, t in formats).split() == english
    # The paragraph's base format (most text outside hyperlinks, a tie to the first seen) carries no tag,
    # so a short base run may end up empty (a bold 业 before a plain run, mostly bold paragraph); every
    # other run kind, hyperlink and note keeps a word and its place.
    weight: dict[str, int] = {}
    for kind, text in runs:
        if kind not in ("link", "note"):
            weight[kind] = weight.get(kind, 0) + len(text)
    base = max(weight, key=lambda k: weight[k], default="plain")  # all text in links: plain is the base
    assert shape(formats, base) == shape(before, base), (base, before, formats)


def test_note_reference_format_does_not_become_the_base(tmp_path):
    # all text is in a hyperlink, and the note reference run is superscript: the base stays plain, so the
    # link's run gets only its link tag (the note's format used to be the base and added an x-format tag)
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from zhbridge.mt.documents import read_document

    d = docx.Document()
    p = d.add_paragraph()
    add_footnote_reference(p)
    rpr = OxmlElement("w:rPr")
    align = OxmlElement("w:vertAlign")
    align.set(qn("w:val"), "superscript")
    rpr.append(align)
    p._p[-1].insert(0, rpr)
    add_hyperlink(p, "郑州微短剧", "https://example.org")
    d.save(tmp_path / "in.docx")
    [unit] = read_document(tmp_path / "in.docx").units
    assert sorted(t.ctype for t in unit.tags.values()) == ["link", "x-footnote"]
