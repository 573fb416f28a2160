"""CTranslate2 export of a Hugging Face seq2seq model, for fast int8 inference on CPU.

The tokenizer files travel with the export (CTranslate2 works on token strings), plus a
small ``zhbridge_export.json`` with the language codes and position limit the loader needs.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import cast

from zhbridge.io import InputError
from zhbridge.mt.models import LANGUAGE_CODES, _family, _language_token_id, resolve_model, trained_with_term_annotation


def export_ct2(
    model: str | os.PathLike | None, out_dir: str | os.PathLike, *, quantization: str | None = "int8", overwrite: bool = False
) -> Path:
    """Convert a Hugging Face seq2seq model to CTranslate2 (tokenizer files copied alongside)."""
    import ctranslate2
    from transformers import AutoConfig, AutoTokenizer

    model_dir = resolve_model(model)
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise InputError(f"{out}: already exists; pass --overwrite to replace it")
    local = Path(model_dir).is_dir()
    config = AutoConfig.from_pretrained(model_dir, local_files_only=local)
    tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=local)
    meta = {
        "source": model_dir,
        "quantization": quantization,
        "model_type": config.model_type,
        "max_positions": int(getattr(config, "max_position_embeddings", 0) or 512),
        "term_annotate": trained_with_term_annotation(model_dir),
    }
    family = _family(config, tokenizer)
    if family:
        meta["src_lang"], meta["target_lang_token"] = LANGUAGE_CODES[family]
        if (
            _language_token_id(tokenizer, meta["target_lang_token"]) is not None
            and tokenizer.convert_tokens_to_ids(meta["target_lang_token"]) == tokenizer.unk_token_id
        ):
            meta["target_lang_token"] = f"__{meta['target_lang_token']}__"
    with tempfile.TemporaryDirectory(prefix="zhbridge-ct2-") as tmp:
        source_dir = model_dir
        if config.model_type == "marian":
            source_dir = _marian_with_pad_last(model_dir, Path(tmp) / "marian")
        staging = Path(tmp) / "out"
        tokenizer.save_pretrained(staging / "tok")
        converter = ctranslate2.converters.TransformersConverter(source_dir, load_as_float16=False)
        converter.convert(str(staging / "ct2"), quantization=quantization, force=True)
        for f in (staging / "tok").iterdir():
            shutil.copy2(f, staging / "ct2" / f.name)
        (staging / "ct2" / "zhbridge_export.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging / "ct2"), str(out))
    return out


def _marian_with_pad_last(model_dir: str, tmp_dir: Path) -> str:
    """CTranslate2's Marian loader drops the last vocabulary row, assuming Opus-MT's <pad>-last layout.

    Models built here put <pad> at id 2, so move that row to the end (weights and vocab alike)
    in a temporary copy; ids of every other token shift down by one above 2, consistently.
    """
    import torch
    from transformers import AutoTokenizer, MarianMTModel

    tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    model = MarianMTModel.from_pretrained(model_dir, local_files_only=True)
    vocab = tokenizer.get_vocab()
    size = model.config.vocab_size
    pad = model.config.pad_token_id
    if pad == size - 1 and len(vocab) == size:
        return model_dir
    order = [i for i in range(size) if i != pad] + [pad]
    index = torch.tensor(order)
    with torch.no_grad():
        emb = model.get_input_embeddings()
        new_weight = cast(torch.Tensor, emb.weight)[index].clone()
        model.model.shared.weight = torch.nn.Parameter(new_weight)
        model.model.encoder.embed_tokens.weight = model.model.shared.weight
        model.model.decoder.embed_tokens.weight = model.model.shared.weight
        model.lm_head.weight = model.model.shared.weight
        model.register_buffer("final_logits_bias", model.final_logits_bias[:, index].clone())
    remap = {old: new for new, old in enumerate(order)}
    model.config.pad_token_id = remap[pad]
    model.config.decoder_start_token_id = remap[model.config.decoder_start_token_id]
    eos = model.config.eos_token_id
    assert isinstance(eos, int)  # Marian has one end-of-sentence token
    model.config.eos_token_id = remap[eos]
    tmp_dir.mkdir(parents=True)
    model.save_pretrained(tmp_dir)
    by_id = {i: t for t, i in vocab.items()}
    new_vocab = {by_id[old]: new for new, old in enumerate(order)}
    tokenizer.save_pretrained(tmp_dir)
    (tmp_dir / "vocab.json").write_text(json.dumps(new_vocab, ensure_ascii=False), encoding="utf-8")
    # the saved added-token table still pins the specials to their old ids; rebuild it from vocab.json
    config_path = tmp_dir / "tokenizer_config.json"
    tok_config = json.loads(config_path.read_text(encoding="utf-8"))
    tok_config["added_tokens_decoder"] = {
        str(new_vocab[t["content"]]): t for t in tok_config.get("added_tokens_decoder", {}).values() if t["content"] in new_vocab
    }
    config_path.write_text(json.dumps(tok_config, ensure_ascii=False), encoding="utf-8")
    return str(tmp_dir)
