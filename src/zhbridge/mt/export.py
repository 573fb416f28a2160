"""CTranslate2 export of a Hugging Face seq2seq model, for fast int8 inference on CPU.

The tokenizer files travel with the export (CTranslate2 works on token strings), plus a
small ``zhbridge_export.json`` with the language codes, position limit and suppressed
tokens the loader needs.

The export must decode like the model it came from. CTranslate2's own Marian converter
assumes Opus-MT's layout: it drops the last vocabulary row (taken to be ``<pad>``) and starts
the decoder from a zero vector. Hugging Face starts the decoder from the embedding of
``decoder_start_token_id`` (``<pad>``), which training does not keep at zero in every model
(``models/zhbridge-default``'s has norm 0.52): a zero start made 56 % of WMT23 outputs begin
mid-word. So Marian is converted here as Hugging Face runs it (``<pad>`` kept, decoder started
from its embedding, ``<pad>`` suppressed as the model's ``bad_words_ids`` ask), and every family's
start token is the one its generation config names.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from zhbridge.io import InputError
from zhbridge.mt.models import (
    LANGUAGE_CODES,
    UNUSED_PREFIX,
    _family,
    _language_token_id,
    resolve_model,
    trained_with_term_annotation,
    trained_with_term_placeholders,
)


def export_ct2(
    model: str | os.PathLike | None, out_dir: str | os.PathLike, *, quantization: str | None = "int8", overwrite: bool = False
) -> Path:
    """Convert a Hugging Face seq2seq model to CTranslate2 (tokenizer files copied alongside)."""
    import ctranslate2
    from transformers import AutoConfig, AutoTokenizer, GenerationConfig

    model_dir = resolve_model(model)
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise InputError(f"{out}: already exists; pass --overwrite to replace it")
    local = Path(model_dir).is_dir()
    config = AutoConfig.from_pretrained(model_dir, local_files_only=local)
    tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=local)
    if getattr(tokenizer, "separate_vocabs", False):
        raise InputError(f"{model_dir}: separate source and target vocabularies are not supported by this export")
    try:
        generation = GenerationConfig.from_pretrained(model_dir, local_files_only=local)
    except OSError:  # no generation_config.json: the model config carries the same fields
        generation = GenerationConfig.from_model_config(config)
    start_id = generation.decoder_start_token_id
    if start_id is None:
        start_id = config.decoder_start_token_id
    meta = {
        "source": model_dir,
        "quantization": quantization,
        "model_type": config.model_type,
        "max_positions": int(getattr(config, "max_position_embeddings", 0) or 512),
        "term_annotate": trained_with_term_annotation(model_dir),
        "term_placeholders": trained_with_term_placeholders(model_dir),
        "decoder_start_token": tokenizer.convert_ids_to_tokens(start_id) if start_id is not None else None,
        # Hugging Face generate applies the generation config's bad_words_ids; CTranslate2 needs them by name
        "suppress_sequences": [tokenizer.convert_ids_to_tokens(ids) for ids in (generation.bad_words_ids or [])],
    }
    # <pad> is never an output (HFTranslator bans it too): a generated one shifts M2M100/NLLB positions in HF only
    if tokenizer.pad_token and [tokenizer.pad_token] not in meta["suppress_sequences"]:
        meta["suppress_sequences"].append([tokenizer.pad_token])
    family = _family(config, tokenizer)
    if family:
        meta["src_lang"], meta["target_lang_token"] = LANGUAGE_CODES[family]
        if (
            _language_token_id(tokenizer, meta["target_lang_token"]) is not None
            and tokenizer.convert_tokens_to_ids(meta["target_lang_token"]) == tokenizer.unk_token_id
        ):
            meta["target_lang_token"] = f"__{meta['target_lang_token']}__"
    with tempfile.TemporaryDirectory(prefix="zhbridge-ct2-") as tmp:
        staging = Path(tmp) / "out"
        tokenizer.save_pretrained(staging / "tok")
        converter = ctranslate2.converters.TransformersConverter(model_dir, load_as_float16=False)
        with _marian_as_hugging_face():
            converter.convert(str(staging / "ct2"), quantization=quantization, force=True)
        ct2_config_path = staging / "ct2" / "config.json"
        ct2_config = json.loads(ct2_config_path.read_text(encoding="utf-8"))
        # mBART-50 starts from </s> and forces the language code after it; CTranslate2's mBART loader
        # guesses "start from the prefix" when the config names no tokenizer class. Use the model's own.
        if meta["decoder_start_token"] is not None:
            ct2_config["decoder_start_token"] = meta["decoder_start_token"]
        # transformers 5's MBart50Tokenizer has no bos_token; CTranslate2 cannot load a null one
        if ct2_config.get("bos_token") is None and config.bos_token_id is not None:
            ct2_config["bos_token"] = tokenizer.convert_ids_to_tokens(config.bos_token_id)
        ct2_config_path.write_text(json.dumps(ct2_config, indent=2), encoding="utf-8")
        _check_vocabulary(staging / "ct2", tokenizer)
        for f in (staging / "tok").iterdir():
            shutil.copy2(f, staging / "ct2" / f.name)
        (staging / "ct2" / "zhbridge_export.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging / "ct2"), str(out))
    return out


def _check_vocabulary(ct2_dir: Path, tokenizer) -> None:
    """Every token must keep its Hugging Face id in the export, or decoded ids would name other tokens."""
    names = [p for p in ("shared_vocabulary.json", "target_vocabulary.json") if (ct2_dir / p).exists()]
    if not names:
        return
    tokens = json.loads((ct2_dir / names[0]).read_text(encoding="utf-8"))
    vocab = tokenizer.get_vocab()
    wrong = [t for i, t in enumerate(tokens) if t in vocab and vocab[t] != i]
    if wrong:
        raise InputError(
            f"export would shift token ids ({len(wrong)} tokens, first {wrong[0]!r}); the tokenizer has gaps in its ids"
        )


@contextlib.contextmanager
def _marian_as_hugging_face():
    """Swap CTranslate2's Marian loader for one that converts the model as Hugging Face runs it."""
    from ctranslate2.converters import transformers as ct2t  # type: ignore[import-untyped]

    class MarianAsHuggingFace(ct2t.MarianMTLoader):
        def get_model_spec(self, model):
            model.config.normalize_before = False
            model.config.normalize_embedding = False
            return ct2t.BartLoader.get_model_spec(self, model)  # all rows kept, <pad> included

        def set_decoder(self, spec, decoder):
            ct2t.BartLoader.set_decoder(self, spec, decoder)  # start from the start token's embedding, not zero

        def get_vocabulary(self, model, tokenizer):
            return vocabulary_by_id(model, tokenizer)

        def set_config(self, config, model, tokenizer):
            config.eos_token = tokenizer.eos_token
            config.unk_token = tokenizer.unk_token
            config.decoder_start_token = tokenizer.convert_ids_to_tokens(model.config.decoder_start_token_id)

    class M2M100ById(ct2t.M2M100Loader):
        def get_vocabulary(self, model, tokenizer):
            return vocabulary_by_id(model, tokenizer)

    class MBartById(ct2t.MBartLoader):
        def get_model_spec(self, model):
            # HF's mBART is pre-norm whatever its config says; configs saved by transformers 5 omit the key
            model.config.normalize_before = getattr(model.config, "normalize_before", True)
            return super().get_model_spec(model)

        def get_vocabulary(self, model, tokenizer):
            return vocabulary_by_id(model, tokenizer)

    loaders = ct2t._MODEL_LOADERS
    replacements = {"MarianConfig": MarianAsHuggingFace(), "M2M100Config": M2M100ById(), "MBartConfig": MBartById()}
    originals = {name: loaders.get(name) for name in replacements}
    loaders.update(replacements)
    try:
        yield
    finally:
        for name, loader in originals.items():
            if loader is not None:
                loaders[name] = loader


def vocabulary_by_id(model, tokenizer) -> list[str]:
    """One token string per model row, row i named by ``convert_ids_to_tokens(i)``.

    CTranslate2's loaders rebuild the list from ``get_vocab()`` plus the language codes
    appended in the order the tokenizer lists them, which shifts ids wherever the two
    disagree (transformers 5's M2M100 tokenizer keeps its language codes out of
    ``get_vocab()``); asking the tokenizer id by id cannot. Rows no token names get
    placeholders the tokenizer never produces.
    """
    tokens: list[str] = []
    seen: set[str] = set()
    for i in range(model.config.vocab_size):
        try:
            token = tokenizer.convert_ids_to_tokens(i)
        except (IndexError, KeyError, ValueError):
            token = None
        if not token or token in seen or (token == tokenizer.unk_token and i != tokenizer.unk_token_id):
            token = f"{UNUSED_PREFIX}{i}>"
        seen.add(token)
        tokens.append(token)
    return tokens
