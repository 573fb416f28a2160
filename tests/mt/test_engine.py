"""One way to build a run (zhbridge.mt.engine): the config's defaults, resources, and rebuilding an engine elsewhere."""

from __future__ import annotations

from dataclasses import replace

import pytest

from zhbridge.io import InputError
from zhbridge.mt.engine import Backend, EngineConfig, Resources, RunOptions, XliffTarget, choose, load_engine, load_resources

GLOSSARY = "zh\ten\tvariants\tpinyin\tcategory\tnote\tsource\n微短剧\tmicro-short drama\t\t\t\t\t\n"


def test_choose_accepts_a_literal_choice_and_refuses_others_in_one_line():
    assert choose("ct2", Backend, "--backend") == "ct2"
    with pytest.raises(InputError, match=r"^--backend onnx: choose hf or ct2$"):
        choose("onnx", Backend, "--backend")
    with pytest.raises(InputError, match=r"^--xliff-target both: choose source or mt$"):
        choose("both", XliffTarget, "--xliff-target")


def test_run_options_default_to_a_plain_batch():
    assert RunOptions() == RunOptions(lines=False, overwrite=False, xliff_target="source")


def test_resources_default_to_the_shipped_glossary_only_when_it_exists(tmp_path, monkeypatch):
    from zhbridge import paths

    shipped = tmp_path / "glossary.tsv"
    monkeypatch.setattr(paths, "DEFAULT_GLOSSARY", shipped)
    monkeypatch.setattr(paths, "DATASET_DIR", tmp_path / "no-dataset")
    quiet = EngineConfig(tm="none", postedits="none")
    assert load_resources(quiet).glossary is None  # absent: no glossary, no error
    shipped.write_text(GLOSSARY, encoding="utf-8")
    found = load_resources(quiet)
    assert [e.zh for e in found.glossary] == ["微短剧"] and found.glossary_name == "glossary.tsv"
    assert load_resources(replace(quiet, glossary="NONE")).glossary is None
    with pytest.raises(InputError):  # a glossary asked for by name must be there
        load_resources(replace(quiet, glossary=tmp_path / "missing.tsv"))
    assert load_resources(quiet).memory is None
    with pytest.raises(InputError, match="no such translation-memory"):
        load_resources(replace(quiet, tm=tmp_path / "missing"))


def test_an_engine_loads_again_from_its_own_config_with_the_same_settings(tiny_model, tm_dataset, tmp_path):
    glossary = tmp_path / "g.tsv"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    config = EngineConfig(
        model=str(tiny_model),
        beams=1,
        threads=1,
        device="cpu",
        glossary=glossary,
        tm=tm_dataset,
        postedits="none",
        batch_tokens=64,
    )
    engine = load_engine(config)
    assert engine.glossary_name == "g.tsv" and engine.memory is not None and engine.batch_tokens == 64
    # what a Ray actor does: the driver's config and resources, no second read of the glossary or TM
    again = load_engine(engine.config(device="cpu", threads=1), engine.resources())
    assert again.glossary is engine.glossary and again.memory is engine.memory
    assert again.settings_hash(True) == engine.settings_hash(True)
    assert engine.config().beams == 1 and engine.config(enforce=False).enforce is False
    off = load_engine(replace(config, enforce=False), Resources())
    assert off.glossary is None and off.settings()["enforce"] is False
