from dataclasses import replace

import pytest

from zhbridge.io import InputError
from zhbridge.mt.enforce import enforce_terms, find_rendering
from zhbridge.mt.models import load_translator, resolve_model
from zhbridge.terms.glossary import Entry, Glossary


def test_model_spec_errors(tmp_path, monkeypatch):
    from zhbridge import paths

    with pytest.raises(InputError, match="no such model"):
        resolve_model(str(tmp_path / "missing"))
    with pytest.raises(InputError, match="not a model directory"):
        resolve_model(str(tmp_path))
    monkeypatch.setattr(paths, "DEFAULT_MODEL", tmp_path / "absent")
    with pytest.raises(InputError, match="default model"):
        resolve_model(None)
    assert resolve_model("Helsinki-NLP/opus-mt-zh-en") == "Helsinki-NLP/opus-mt-zh-en"  # hub id kept, not fetched


def test_ct2_export_matches_hf_greedy_and_enforces(tiny_model, translator, tmp_path, zh_sentences):
    from typer.testing import CliRunner

    from zhbridge.cli import app

    exact = tmp_path / "ct2-float"
    res = CliRunner().invoke(app, ["model", "export", "--model", str(tiny_model), "--ct2", str(exact), "--quantization", "none"])
    assert res.exit_code == 0, res.output
    ct2 = load_translator(exact, backend="ct2", beams=1, threads=1)
    assert ct2.translate(zh_sentences[:5]) == translator.translate(zh_sentences[:5])

    quantized = tmp_path / "ct2-int8"
    assert CliRunner().invoke(app, ["model", "export", "--model", str(tiny_model), "--ct2", str(quantized)]).exit_code == 0
    assert CliRunner().invoke(app, ["model", "export", "--model", str(tiny_model), "--ct2", str(quantized)]).exit_code != 0
    int8 = load_translator(quantized, backend="ct2", beams=2, threads=1)
    outputs = int8.translate(zh_sentences[:3])
    assert len(outputs) == 3 and all(outputs)
    glossary = Glossary([Entry("郑州", "Zhengzhou"), Entry("短剧", "short drama")])
    src = zh_sentences[7]  # 演员们在郑州拍摄短剧。
    out, checks = enforce_terms(src, int8.translate([src])[0], glossary.find(src), translator=int8)
    assert find_rendering(out, ["Zhengzhou"]) and find_rendering(out, ["short drama"])
    # Which mechanism places a term (constrained decoding or post-editing) depends on the CPU's int8
    # kernels; that every term is honoured and found in the output does not.
    assert [(c.ok, bool(c.found)) for c in checks] == [(True, True), (True, True)]
    with pytest.raises(InputError, match="CTranslate2"):
        load_translator(tiny_model, backend="ct2")


def test_language_codes_per_family():
    from types import SimpleNamespace

    from zhbridge.mt.models import LANGUAGE_CODES, _family, _language_token_id

    class NllbTokenizerFast:
        unk_token_id = 3
        vocab = {"eng_Latn": 7, "zho_Hans": 8}

        def convert_tokens_to_ids(self, token):
            return self.vocab.get(token, self.unk_token_id)

    class M2M100Tokenizer(NllbTokenizerFast):
        vocab = {"__en__": 9, "__zh__": 10}

    m2m = SimpleNamespace(model_type="m2m_100")
    assert _family(m2m, NllbTokenizerFast()) == "nllb"
    assert _family(m2m, M2M100Tokenizer()) == "m2m_100"
    assert _family(SimpleNamespace(model_type="marian"), object()) is None
    assert _language_token_id(NllbTokenizerFast(), LANGUAGE_CODES["nllb"][1]) == 7
    assert _language_token_id(M2M100Tokenizer(), LANGUAGE_CODES["m2m_100"][1]) == 9
    assert _language_token_id(M2M100Tokenizer(), "xx") is None


def test_term_annotated_model_gets_annotated_sources(tiny_model, tmp_path, zh_sentences):
    """A model trained with --term-annotate must see ⟨English⟩ hints at translation time too."""
    import json
    import shutil

    from zhbridge.mt.engine import EngineConfig, load_engine

    annotated = tmp_path / "annotated"
    shutil.copytree(tiny_model, annotated)
    (annotated / "run.json").write_text(json.dumps({"options": {"term_annotate": True}}), encoding="utf-8")
    config = EngineConfig(beams=1, batch_tokens=64, device="cpu", threads=1, tm="none")
    plain = load_engine(replace(config, model=str(tiny_model)))
    hinted = load_engine(replace(config, model=str(annotated)))
    text = zh_sentences[0]  # 郑州 and 微短剧 are glossary terms
    assert plain.translator.model_inputs([text]) == [text]
    assert hinted.translator.model_inputs([text]) == [hinted.glossary.annotate(text)] != [text]
    assert "⟨Zhengzhou⟩" in hinted.translator.model_inputs([text])[0]
    assert hinted.translator.source_lengths([text])[0] > plain.translator.source_lengths([text])[0]
    # a resumed job must not mix outputs of annotated and plain decoding
    assert hinted.translator.fingerprint.endswith(":term-annotated")
    assert hinted.translator.translate([text])  # the annotated input decodes


def _export_exact(model, out):
    """The model exported to CTranslate2 without quantization, through the CLI."""
    from typer.testing import CliRunner

    from zhbridge.cli import app

    args = ["model", "export", "--model", str(model), "--ct2", str(out), "--quantization", "none"]
    assert CliRunner().invoke(app, args).exit_code == 0
    return out


def test_loop_guard_applies_in_both_backends(tiny_model, tmp_path, zh_sentences):
    """Without the n-gram ban the random tiny model repeats token pairs; with a 2-gram ban neither backend does,
    and both backends write the same outputs either way."""
    exact = _export_exact(tiny_model, tmp_path / "ct2")
    hf = load_translator(tiny_model, beams=1, threads=1)
    ct2 = load_translator(exact, backend="ct2", beams=1, threads=1)

    def repeats_a_pair(text: str) -> bool:
        ids = hf.target_ids(text)
        pairs = list(zip(ids, ids[1:]))
        return len(set(pairs)) < len(pairs)

    for translator in (hf, ct2):
        translator.options.no_repeat_ngram_size = 0
    unguarded = hf.translate(zh_sentences)
    assert sum(map(repeats_a_pair, unguarded)) >= 5
    assert ct2.translate(zh_sentences) == unguarded
    for translator in (hf, ct2):
        translator.options.no_repeat_ngram_size = 2
    guarded = hf.translate(zh_sentences)
    assert guarded != unguarded and sum(map(repeats_a_pair, guarded)) < sum(map(repeats_a_pair, unguarded))
    assert ct2.translate(zh_sentences) == guarded


def test_decoding_rules_reach_both_backends(tiny_model, tmp_path, zh_sentences):
    """The loop guards and the length penalty set on DecodeOptions are what each backend's search gets.

    (A random model's beams all run to the length budget, so the penalty's effect on length cannot
    be observed on it; the tests check what reaches HF generate and CTranslate2 translate_batch.)
    """
    exact = _export_exact(tiny_model, tmp_path / "ct2")
    hf = load_translator(tiny_model, beams=4, threads=1)
    ct2 = load_translator(exact, backend="ct2", beams=4, threads=1)
    seen: dict[str, dict] = {}

    def spy(name, method):
        def call(*args, **kwargs):
            seen[name] = kwargs
            return method(*args, **kwargs)

        return call

    hf.model.generate = spy("hf", hf.model.generate)
    ct2.translator = type("Spy", (), {"translate_batch": staticmethod(spy("ct2", ct2.translator.translate_batch))})()
    for translator in (hf, ct2):
        translator.options.length_penalty = 1.7
        translator.options.no_repeat_ngram_size = 3
        translator.options.repetition_penalty = 1.1
        assert translator.translate(zh_sentences[:2])
    for name in ("hf", "ct2"):
        assert seen[name]["length_penalty"] == 1.7, name
        assert seen[name]["no_repeat_ngram_size"] == 3, name
        assert seen[name]["repetition_penalty"] == 1.1, name
    assert ":lp=1.7:" in hf.fingerprint and ":nr=3:" in ct2.fingerprint
