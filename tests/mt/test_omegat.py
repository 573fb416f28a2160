from zhbridge.mt.omegat import glossary_text, project_xml, write_project
from zhbridge.mt.tmx import read_tmx
from zhbridge.mt.translate import translate_files
from zhbridge.terms.glossary import Entry


def test_project_file_is_zh_cn_to_en():
    from lxml import etree

    project = etree.fromstring(project_xml()).find("project")
    assert (project.findtext("source_lang"), project.findtext("target_lang")) == ("zh-CN", "en")
    assert project.findtext("tm_dir") == "__DEFAULT__"


def test_glossary_is_omegat_tsv_without_header_and_without_pinyin_terms():
    text = glossary_text([Entry("36氪", "36Kr", ("3 6 Ke", "36 Krypton"), "36 kè", "publisher", "own name", "000")])
    assert text == "36氪\t36Kr\talso: 36 Krypton; pinyin: 36 kè; publisher; own name\n"


def test_project_pre_translates_every_segment(tmp_path, engine, zh_sentences, check_tmx):
    source = tmp_path / "in" / "article.txt"
    source.parent.mkdir()
    source.write_text(f"{zh_sentences[0]}{zh_sentences[3]}\n\n{zh_sentences[5]}\n", encoding="utf-8")
    out = tmp_path / "out"
    [result] = translate_files([source], out, engine)
    project = write_project(out / "omegat", [source], out, memory=engine.memory, glossary=engine.glossary)
    assert (project / "source" / "article.txt").read_bytes() == source.read_bytes()
    check_tmx((project / "tm" / "auto" / "zhbridge.tmx").read_bytes())
    units = read_tmx(project / "tm" / "auto" / "zhbridge.tmx")
    by_source = {u.zh: u for u in units}
    # every sentence, and the two-sentence paragraph as a whole (for segmentation turned off)
    assert set(by_source) == {zh_sentences[0], zh_sentences[3], zh_sentences[5], zh_sentences[0] + zh_sentences[3]}
    assert by_source[zh_sentences[3]].en == "Shudian has attracted many actors."
    assert by_source[zh_sentences[3]].props == {"origin": "TM exact", "file": "article.txt"}
    assert len(read_tmx(project / "tm" / "auto" / "corpus.tmx")) == len(engine.memory)
    glossary_rows = (project / "glossary" / "zhbridge.txt").read_text(encoding="utf-8").splitlines()
    assert len(glossary_rows) == len(engine.glossary) and not glossary_rows[0].startswith("zh\t")
    assert result.summary["segments"] == 3


def test_refreshing_keeps_the_translators_work(tmp_path, engine, zh_sentences):
    source = tmp_path / "article.txt"
    source.write_text(zh_sentences[0] + "\n", encoding="utf-8")
    out = tmp_path / "out"
    translate_files([source], out, engine)
    project = write_project(out / "omegat", [source], out)
    saved = project / "omegat" / "project_save.tmx"
    saved.write_text("translator's work", encoding="utf-8")
    write_project(out / "omegat", [source], out)
    assert saved.read_text(encoding="utf-8") == "translator's work"


def test_translate_toolkit_reads_the_omegat_glossary():
    from translate.storage import omegat as tt_omegat

    entries = [
        Entry("竖店", "Shudian", ("Vertical Town",), "shù diàn", "nickname", "no published rendering"),
        Entry("郑州", "Zhengzhou", (), "zhèng zhōu", "place"),
    ]
    store = tt_omegat.OmegaTFile.parsestring(glossary_text(entries).encode("utf-8"))
    assert [(u.source, u.target) for u in store.units] == [("竖店", "Shudian"), ("郑州", "Zhengzhou")]
    assert "also: Vertical Town" in store.units[0].getnotes()
