from __future__ import annotations

import json

import pytest

from zhbridge.io import InputError
from zhbridge.train.scratch import SIZES, build_marian, count_parameters, marian_config

from .conftest import EN, ZH


def test_tiny_model_loads_offline_through_auto_classes(tiny_model_dir):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    model = AutoModelForSeq2SeqLM.from_pretrained(tiny_model_dir)
    assert type(model).__name__ == "MarianMTModel"
    assert model.config.d_model == SIZES["tiny"].d_model
    assert model.config.vocab_size == len(tok.get_vocab())
    # the joint vocabulary covers both sides: Chinese characters and English words
    pieces = tok.convert_ids_to_tokens(tok("郑州")["input_ids"])
    assert "<unk>" not in pieces and pieces[-1] == "</s>"
    labels = tok(text_target="Zhengzhou")["input_ids"]
    assert tok.unk_token_id not in labels
    batch = tok(ZH[:2], text_target=EN[:2], return_tensors="pt", padding=True)
    out = model(**batch)
    assert out.loss.item() > 0
    generated = model.generate(**tok(ZH[:1], return_tensors="pt"), max_new_tokens=4)
    assert generated[0, 0].item() == model.config.decoder_start_token_id


def test_vocabulary_is_a_limit_not_a_demand(tiny_model_dir):
    vocab = json.loads((tiny_model_dir / "vocab.json").read_text(encoding="utf-8"))
    assert len(vocab) <= SIZES["tiny"].vocab_size
    assert vocab["</s>"] == 0 and vocab["<unk>"] == 1 and vocab["<pad>"] == 2
    assert (tiny_model_dir / "source.spm").read_bytes() == (tiny_model_dir / "target.spm").read_bytes()


def test_same_seed_same_weights(tmp_path):
    from safetensors.torch import load_file

    a = build_marian(tmp_path / "a", ZH, EN, seed=3)
    b = build_marian(tmp_path / "b", ZH, EN, seed=3)
    wa, wb = load_file(a / "model.safetensors"), load_file(b / "model.safetensors")
    assert wa.keys() == wb.keys()
    assert all((wa[k] == wb[k]).all() for k in wa)


def test_small_preset_is_a_compact_model():
    from transformers import MarianMTModel

    model = MarianMTModel(marian_config("small", 8000))
    assert 6_000_000 < count_parameters(model) < 10_000_000


def test_bad_inputs_are_refused(tmp_path):
    with pytest.raises(InputError):
        build_marian(tmp_path / "x", ZH, EN, size="huge")
    with pytest.raises(InputError):
        build_marian(tmp_path / "y", ["", " "], [], size="tiny")
