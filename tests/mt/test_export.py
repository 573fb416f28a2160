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


def _tiny_multilingual(tmp_path: Path, family: str, sentences: list[str]) -> Path:
    """A tiny random model of a multilingual family with a tokenizer built from a SentencePiece model trained here.

    transformers 5 has no slow (SentencePiece-file) NLLB or mBART-50 tokenizer, so those are built
    from the trained pieces: NLLB's BPE from the piece list (no merges: one token per piece the
    pre-tokenizer sees), mBART-50's Unigram from the pieces and their scores. M2M100 still reads
    ``vocab.json`` + ``sp.model``. Language codes sit outside ``get_vocab()`` (M2M100) or after the
    pieces (NLLB, mBART-50); the export must keep every row's id.
    """
    import sentencepiece as spm
    import torch
    import transformers

    english = ["Zhengzhou is the capital of micro-short drama.", "The industry is developing fast.", "Actors shoot dramas."]
    (tmp_path / "text.txt").write_text("\n".join(sentences + english * 3), encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(tmp_path / "text.txt"),
        model_prefix=str(tmp_path / "sp"),
        vocab_size=400,
        hard_vocab_limit=False,
        character_coverage=1.0,
        minloglevel=2,
    )  # fmt: skip  (sentencepiece's own layout: <unk> 0, <s> 1, </s> 2)
    pieces = spm.SentencePieceProcessor(model_file=str(tmp_path / "sp.model"))
    fairseq = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for i in range(pieces.get_piece_size()):
        fairseq.setdefault(pieces.id_to_piece(i), len(fairseq))
    if family == "m2m100":
        (tmp_path / "vocab.json").write_text(json.dumps(fairseq), encoding="utf-8")
        tokenizer = transformers.M2M100Tokenizer(
            str(tmp_path / "vocab.json"), str(tmp_path / "sp.model"), src_lang="zh", tgt_lang="en"
        )
    elif family == "nllb":
        tokenizer = transformers.NllbTokenizer(vocab=fairseq, merges=[], src_lang="zho_Hans", tgt_lang="eng_Latn")
    else:  # mbart50: takes sentencepiece's (piece, score) list and reorders the specials itself
        scored = [(pieces.id_to_piece(i), pieces.get_score(i)) for i in range(pieces.get_piece_size())]
        tokenizer = transformers.MBart50Tokenizer(vocab=scored, src_lang="zh_CN", tgt_lang="en_XX")
    sizes = dict(
        d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2, decoder_attention_heads=2,
        encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=128,
        pad_token_id=1, eos_token_id=2, bos_token_id=0, decoder_start_token_id=2,
    )  # fmt: skip
    if family == "mbart50":
        model = transformers.MBartForConditionalGeneration(transformers.MBartConfig(vocab_size=len(tokenizer), **sizes))
    else:  # NLLB is an M2M100 model with another tokenizer; M2M100's 100 language codes follow its pieces
        size = len(tokenizer) if family == "nllb" else len(fairseq) + 100 + 20  # 20 spare rows, as hub models have
        model = transformers.M2M100ForConditionalGeneration(transformers.M2M100Config(vocab_size=size, **sizes))
    torch.manual_seed(0)
    with torch.no_grad():
        for param in model.parameters():
            if param.dim() > 1:
                param.normal_(0.0, 0.3)
    model.save_pretrained(tmp_path / family)
    tokenizer.save_pretrained(tmp_path / family)
    return tmp_path / family


@pytest.mark.parametrize(
    "family, target_token", [("m2m100", "__en__"), ("nllb", "eng_Latn"), ("mbart50", "en_XX")]
)  # fmt: skip
def test_multilingual_export_decodes_like_hf(tmp_path, zh_sentences, family, target_token):
    """NLLB, M2M100, mBART-50 on 40 sentences: the language code forced after </s>, ids kept; greedy identical, beam 4 >= 90 %."""
    sentences = zh_sentences + _real_sentences(30)
    assert len(sentences) == 40
    model_dir = _tiny_multilingual(tmp_path, family, sentences)
    ct2_dir = export_ct2(model_dir, tmp_path / "ct2", quantization=None)
    meta = json.loads((ct2_dir / "zhbridge_export.json").read_text(encoding="utf-8"))
    assert meta["target_lang_token"] == target_token and meta["decoder_start_token"] == "</s>"
    for beams, wanted in ((1, 1.0), (4, 0.9)):
        expected = load_translator(model_dir, beams=beams, threads=1, device="cpu").translate(sentences)
        # the forced code is stripped (the random model emits language codes as its own tokens too, so not never)
        assert len(set(expected)) > 20 and sum(t.startswith(target_token) for t in expected) < len(expected) / 4
        got = load_translator(ct2_dir, backend="ct2", beams=beams, threads=1).translate(sentences)
        same = sum(a == b for a, b in zip(expected, got)) / len(sentences)
        assert same >= wanted, (family, beams, same)
