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


def test_m2m100_export_decodes_like_hf(tmp_path, zh_sentences):
    """M2M100: language codes outside get_vocab(), the code forced after </s>; ids must keep their rows."""
    import sentencepiece as spm
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, M2M100Tokenizer

    english = ["Zhengzhou is the capital of micro-short drama.", "The industry is developing fast.", "Actors shoot dramas."]
    (tmp_path / "text.txt").write_text("\n".join(zh_sentences + english * 3), encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(tmp_path / "text.txt"), model_prefix=str(tmp_path / "sp"), vocab_size=110, hard_vocab_limit=False, character_coverage=1.0,
        bos_id=-1, eos_id=-1, pad_id=-1, unk_id=0, minloglevel=2,
    )  # fmt: skip
    pieces = spm.SentencePieceProcessor(model_file=str(tmp_path / "sp.model"))
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for i in range(pieces.get_piece_size()):
        vocab.setdefault(pieces.id_to_piece(i), len(vocab))
    (tmp_path / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    tokenizer = M2M100Tokenizer(str(tmp_path / "vocab.json"), str(tmp_path / "sp.model"), src_lang="zh", tgt_lang="en")
    sizes = dict(d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2, decoder_attention_heads=2)
    config = M2M100Config(
        vocab_size=230, encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=128,
        pad_token_id=1, eos_token_id=2, bos_token_id=0, decoder_start_token_id=2, **sizes,
    )  # fmt: skip
    torch.manual_seed(0)
    model = M2M100ForConditionalGeneration(config)
    with torch.no_grad():
        for param in model.parameters():
            if param.dim() > 1:
                param.normal_(0.0, 0.3)
    model.save_pretrained(tmp_path / "m2m")
    tokenizer.save_pretrained(tmp_path / "m2m")
    ct2_dir = export_ct2(tmp_path / "m2m", tmp_path / "ct2", quantization=None)
    assert json.loads((ct2_dir / "zhbridge_export.json").read_text())["target_lang_token"] == "__en__"
    for beams in (1, 4):
        expected = load_translator(tmp_path / "m2m", beams=beams, threads=1, device="cpu").translate(zh_sentences)
        assert len(set(expected)) > 3 and not any(t.startswith("__en__") for t in expected)
        assert load_translator(ct2_dir, backend="ct2", beams=beams, threads=1).translate(zh_sentences) == expected, beams
