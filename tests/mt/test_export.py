"""The CTranslate2 export decodes like the Hugging Face model it came from: what comes out, not what goes in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from zhbridge import paths
from zhbridge.mt.export import export_ct2
from zhbridge.mt.models import load_translator


def _pad_last(model_dir: Path, out: Path) -> Path:
    """The same model in Opus-MT's (hub) layout: <pad> moved to the last vocabulary row."""
    import torch
    from transformers import MarianMTModel

    model = MarianMTModel.from_pretrained(model_dir)
    vocab = json.loads((model_dir / "vocab.json").read_text(encoding="utf-8"))
    size, pad = model.config.vocab_size, model.config.pad_token_id
    order = [i for i in range(size) if i != pad] + [pad]
    remap = {old: new for new, old in enumerate(order)}
    with torch.no_grad():
        weight = torch.nn.Parameter(model.model.shared.weight[torch.tensor(order)].clone())
        model.model.shared.weight = weight
        model.model.encoder.embed_tokens.weight = weight
        model.model.decoder.embed_tokens.weight = weight
        model.lm_head.weight = weight
    for key in ("pad_token_id", "decoder_start_token_id", "eos_token_id", "forced_eos_token_id"):
        new = remap[getattr(model.config, key)]
        setattr(model.config, key, new)
        setattr(model.generation_config, key, new)
    model.generation_config.bad_words_ids = [[remap[pad]]]
    model.save_pretrained(out)
    for f in model_dir.iterdir():
        if f.suffix == ".spm":
            shutil.copy2(f, out / f.name)
    by_id = {i: t for t, i in vocab.items()}
    (out / "vocab.json").write_text(json.dumps({by_id[old]: new for new, old in enumerate(order)}), encoding="utf-8")
    config = json.loads((model_dir / "tokenizer_config.json").read_text(encoding="utf-8"))
    config.pop("added_tokens_decoder", None)  # rebuilt from vocab.json
    (out / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    return out


@pytest.mark.parametrize("layout", ["scratch", "hub"])
def test_marian_export_decodes_like_hf(tiny_model, tmp_path, zh_sentences, layout):
    model_dir = tiny_model if layout == "scratch" else _pad_last(tiny_model, tmp_path / "hub")
    ct2_dir = export_ct2(model_dir, tmp_path / "ct2", quantization=None)
    meta = json.loads((ct2_dir / "zhbridge_export.json").read_text(encoding="utf-8"))
    assert meta["decoder_start_token"] == "<pad>" and meta["suppress_sequences"] == [["<pad>"]]
    for beams in (1, 4):
        hf = load_translator(model_dir, beams=beams, threads=1, device="cpu")
        ct2 = load_translator(ct2_dir, backend="ct2", beams=beams, threads=1)
        expected = hf.translate(zh_sentences)
        assert len(set(expected)) > 3  # the random model says different things to different inputs
        assert ct2.translate(zh_sentences) == expected, (layout, beams)


def _real_sentences(n: int) -> list[str]:
    from zhbridge.text.segment import split_zh

    sentences: list[str] = []
    for f in sorted(paths.RAW_DIR.glob("*.txt")):
        for line in f.read_text(encoding="utf-8").splitlines():
            sentences += [s for s in split_zh(line.strip()) if 6 <= len(s) <= 60]
        if len(sentences) >= n:
            break
    return sentences[:n]


@pytest.mark.skipif(not (paths.DEFAULT_MODEL / "config.json").exists(), reason="the shipped default model is absent")
def test_default_model_same_outputs_in_both_backends(tmp_path):
    """The shipped model, 30 real corpus sentences: greedy identical, beam 4 identical on >= 90 %."""
    sentences = _real_sentences(30)
    assert len(sentences) == 30
    ct2_dir = export_ct2(None, tmp_path / "ct2", quantization=None)
    for beams, wanted in ((1, 1.0), (4, 0.9)):
        hf = load_translator(None, beams=beams, threads=1, device="cpu").translate(sentences)
        ct2 = load_translator(ct2_dir, backend="ct2", beams=beams, threads=1).translate(sentences)
        same = sum(a == b for a, b in zip(hf, ct2)) / len(sentences)
        assert same >= wanted, (beams, same)
