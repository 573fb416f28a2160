"""Traditional Chinese input: the TM, the glossary and the model see Simplified; review files keep the user's text."""

from __future__ import annotations

import csv

from zhbridge.io import parse_xml
from zhbridge.mt.translate import translate_files, translate_segments

XLIFF = "{urn:oasis:names:tc:xliff:document:1.2}"
# Hong Kong-style Traditional writings of conftest's ZH_SENTENCES[0], [3] and [7]
HANT = ["鄭州是微短劇創作之都。", "竪店吸引了很多演員。", "演員們在鄭州拍攝短劇。"]
HANS = ["郑州是微短剧创作之都。", "竖店吸引了很多演员。", "演员们在郑州拍摄短剧。"]


def recording(monkeypatch, translator) -> list[str]:
    seen: list[str] = []
    real = translator.translate

    def translate(sources, *args, **kwargs):
        seen.extend(sources)
        return real(sources, *args, **kwargs)

    monkeypatch.setattr(translator, "translate", translate)
    return seen


def test_traditional_segments_meet_tm_glossary_and_model_in_simplified(engine, monkeypatch):
    seen = recording(monkeypatch, engine.translator)
    segs = [{"i": i, "id": f"s{i}", "unit": 0, "sent": i, "src": s} for i, s in enumerate(HANT)]
    records = translate_segments(segs, engine)
    assert [r["src"] for r in records] == HANT  # the user's text stays in the record
    assert records[1]["origin"] == "tm-exact" and records[1]["tgt"] == "Shudian has attracted many actors."
    assert {HANS[0], HANS[2]} <= set(seen) and not set(HANT) & set(seen)  # the model got Simplified only
    terms = {(t["zh"], t["en"]) for t in records[0]["terms"]}
    assert {("郑州", "Zhengzhou"), ("微短剧", "micro-short drama")} <= terms
    zheng = next(t for t in records[2]["terms"] if t["zh"] == "郑州")
    assert HANT[2][zheng["start"] : zheng["end"]] == "鄭州"  # offsets point into the original
    assert all(t["status"] != "not-honoured" for r in records for t in r["terms"])
    for r in records[0], records[2]:
        assert "Zhengzhou" in r["tgt"]


def test_review_files_keep_the_traditional_source(engine, tmp_path):
    src = tmp_path / "in" / "hk.txt"
    src.parent.mkdir()
    src.write_text("".join(HANT) + "\n", encoding="utf-8")
    [result] = translate_files([src], tmp_path / "out", engine)
    assert result.status == "translated", result.message
    out = tmp_path / "out"
    root = parse_xml((out / "hk.txt.xlf").read_bytes())
    sources = ["".join(unit.find(f"{XLIFF}source").itertext()) for unit in root.iter(f"{XLIFF}trans-unit")]
    assert sources == HANT
    with (out / "hk.txt.tsv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert [r["source"] for r in rows] == HANT
    assert "Zhengzhou" in (out / "hk.txt").read_text(encoding="utf-8")


def test_qa_and_number_repair_read_traditional_numerals():
    from zhbridge.mt.numbers import repair_numbers
    from zhbridge.mt.qa import check_segment

    src = "觀眾達到3萬人，市場規模50億元。"
    assert check_segment(src, "The audience reached 30,000 and the market 5 billion yuan.") == []
    fixed, repairs = repair_numbers("2024年3月，觀眾達到3萬人", "In March 2024, the audience reached 30,000")
    assert fixed == "In March 2024, the audience reached 30,000" and repairs == []
