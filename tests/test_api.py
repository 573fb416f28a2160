"""The front door: the one-line calls (zhbridge.align_sentences/lookup/translate/score/load_corpus) on the
shipped data, and the stages as plain packages (dotted imports, attribute access)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import zhbridge


def test_import_does_not_load_heavy_stages():
    code = "import sys, zhbridge; print(sorted(m for m in ('torch', 'transformers', 'datasets', 'zhbridge.align') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_stages_import_by_dotted_path():
    # ImportError while zhbridge.align / zhbridge.evaluate were functions that hid the subpackages
    code = (
        "import zhbridge.align.search as s, zhbridge.evaluate.metrics as m, zhbridge;"
        "from zhbridge.align import align_sentences;"
        "print(s.__name__, m.__name__, callable(zhbridge.align_sentences), zhbridge.align.align_sentences is align_sentences)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["zhbridge.align.search", "zhbridge.evaluate.metrics", "True", "True"]


def test_a_stage_is_an_attribute_before_it_is_imported():
    code = "import sys, zhbridge; print('zhbridge.align' in sys.modules, zhbridge.align.align_sentences.__module__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "zhbridge.align.aligner"]
    with pytest.raises(AttributeError):
        zhbridge.no_such_stage  # noqa: B018


def test_align_pairs_shipped_corpus_sentences():
    ds = zhbridge.load_corpus()
    rows = list(ds["test"])[:4]
    zh, en = [r["zh"] for r in rows], [r["en"] for r in rows]
    beads = zhbridge.align_sentences(zh, en)
    assert sorted(i for b in beads for i in b.zh) == list(range(len(zh)))
    assert sorted(j for b in beads for j in b.en) == list(range(len(en)))
    assert all(0.0 <= b.score <= 1.0 for b in beads)


def test_lookup_finds_shipped_glossary_term():
    hits = zhbridge.lookup("竖店", limit=3)
    assert hits[0].mode == "exact" and hits[0].entry.zh == "竖店"
    assert "Shudian" in hits[0].entry.en


def test_lookup_falls_back_to_cedict_only_when_asked():
    word = "苹果"  # a general word, not a domain term
    assert any(h.origin != "glossary" for h in zhbridge.lookup(word, cedict=True))
    assert all(h.origin == "glossary" for h in zhbridge.lookup(word, cedict=False))


def test_evaluate_scores_with_signatures():
    ds = zhbridge.load_corpus()
    refs = list(ds["test"]["en"])
    perfect = zhbridge.score(refs, refs, metrics=("BLEU", "chrF"))
    assert set(perfect) == {"BLEU", "chrF"}
    assert perfect["BLEU"].score == pytest.approx(100.0) and "nrefs:1" in perfect["BLEU"].signature
    worse = zhbridge.score(refs[1:] + refs[:1], refs, metrics=("chrF",))
    assert worse["chrF"].score < perfect["chrF"].score


def test_load_corpus_is_the_shipped_dataset():
    ds = zhbridge.load_corpus()
    assert {"train", "validation", "test"} <= set(ds)
    assert ds["train"].num_rows > 0 and {"zh", "en"} <= set(ds["train"].column_names)


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    """A tiny random Marian model with a vocabulary from the shipped corpus (the real model is too slow for tests)."""
    from zhbridge.train.scratch import build_marian

    train = zhbridge.load_corpus()["train"]
    return build_marian(tmp_path_factory.mktemp("api_marian"), list(train["zh"]), list(train["en"]), size="tiny", seed=0)


def test_translate_one_output_per_segment_in_order(tiny_model):
    segments = ["郑州是竖店。", "今天很冷。", "我们回家吧。"]
    out = zhbridge.translate(segments, model=tiny_model, glossary=False, beams=1)
    assert len(out) == 3 and all(isinstance(s, str) for s in out)
    assert zhbridge.translate(segments[1:], model=tiny_model, glossary=False, beams=1) == out[1:]


def test_translate_rejects_a_bare_string(tiny_model):
    with pytest.raises(TypeError):
        zhbridge.translate("郑州是竖店。", model=tiny_model)
