"""Build a compact Marian model with random weights and a joint SentencePiece vocabulary.

No pretrained Chinese→English weights are reachable offline, so the shipped model (and the
tiny models the tests use) start here: a SentencePiece model trained on the given texts, a
``MarianTokenizer`` over it and a ``MarianMTModel`` from a ``MarianConfig``.  Everything is
written with ``save_pretrained`` so that ``AutoTokenizer`` / ``AutoModelForSeq2SeqLM`` load
the directory like any hub checkpoint.
"""

from __future__ import annotations

import io
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from zhbridge.io import InputError

# Special pieces: ids follow the Opus-MT convention that MarianTokenizer expects
# (</s> = 0, <unk> = 1) plus an explicit <pad>, which also serves as decoder start.
EOS, UNK, PAD = "</s>", "<unk>", "<pad>"


@dataclass(frozen=True)
class MarianSize:
    d_model: int
    encoder_layers: int
    decoder_layers: int
    ffn_dim: int
    heads: int
    vocab_size: int
    max_positions: int


SIZES: dict[str, MarianSize] = {
    # for tests: builds and runs in well under a second
    "tiny": MarianSize(32, 1, 1, 64, 2, 400, 128),
    # the shipped default: ~7.5M parameters, trainable on 2 CPU cores in well under an hour
    "small": MarianSize(256, 3, 3, 1024, 4, 8000, 256),
    # CPU recipe: deep encoder, shallow decoder (decoding cost lives in the decoder; Kasai et al. 2021),
    # a larger joint vocabulary so English words are not shredded next to ~6k Chinese characters
    "deep-shallow": MarianSize(256, 6, 2, 1024, 4, 12000, 256),
    # a bigger option for users with a GPU
    "base": MarianSize(512, 6, 6, 2048, 8, 16000, 512),
}


def train_sentencepiece(
    model_prefix: Path,
    texts: list[str],
    vocab_size: int,
    seed: int = 0,
    byte_fallback: bool = False,
    max_sentences: int = 2_000_000,
) -> Path:
    """Train a joint (zh+en) unigram SentencePiece model; return the path of the ``.model`` file.

    ``hard_vocab_limit=False`` lets a handful of sentences produce a smaller vocabulary
    instead of failing, which the tests rely on.
    """
    import sentencepiece as spm

    lines = [t.strip() for t in texts if t and t.strip()]
    if not lines:
        raise InputError("cannot train a SentencePiece vocabulary: no non-empty training text")
    random.Random(seed).shuffle(lines)
    lines = lines[:max_sentences]
    spm.set_random_generator_seed(seed)
    try:
        data = _train_spm(lines, vocab_size, byte_fallback)
    except RuntimeError as exc:
        # more distinct characters than the requested vocabulary: grow it to fit them
        found = re.search(r"smaller than required_chars\. \d+ vs (\d+)", str(exc))
        if not found:
            raise
        data = _train_spm(lines, int(found.group(1)) + 16, byte_fallback)
    path = Path(str(model_prefix) + ".model")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _train_spm(lines: list[str], vocab_size: int, byte_fallback: bool) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        # Chinese has thousands of characters; keep nearly all so few become <unk>
        character_coverage=0.9995,
        byte_fallback=byte_fallback,
        eos_id=0,
        unk_id=1,
        pad_id=2,
        bos_id=-1,
        eos_piece=EOS,
        unk_piece=UNK,
        pad_piece=PAD,
        # split digits so numbers are copied piece by piece rather than memorised whole
        split_digits=True,
        num_threads=1,
        minloglevel=2,
    )
    return model.getvalue()


def build_tokenizer(out_dir: Path, spm_path: Path):
    """Write source.spm/target.spm/vocab.json into ``out_dir`` and return a MarianTokenizer."""
    import sentencepiece as spm
    from transformers import MarianTokenizer

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    proc = spm.SentencePieceProcessor(model_file=str(spm_path))
    vocab = {proc.id_to_piece(i): i for i in range(proc.get_piece_size())}
    data = Path(spm_path).read_bytes()
    for name in ("source.spm", "target.spm"):
        (out_dir / name).write_bytes(data)
    (out_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    return MarianTokenizer(
        source_spm=str(out_dir / "source.spm"),
        target_spm=str(out_dir / "target.spm"),
        vocab=str(out_dir / "vocab.json"),
        source_lang="zh",
        target_lang="en",
        unk_token=UNK,
        eos_token=EOS,
        pad_token=PAD,
        model_max_length=SIZES["base"].max_positions,
    )


def marian_config(size: str, vocab_size: int, dropout: float = 0.1):
    """A MarianConfig for one of :data:`SIZES` over a vocabulary of ``vocab_size`` pieces."""
    from transformers import MarianConfig

    if size not in SIZES:
        raise InputError(f"unknown model size {size!r}; choose one of {', '.join(SIZES)}")
    s = SIZES[size]
    pad_id = 2
    return MarianConfig(
        vocab_size=vocab_size,
        decoder_vocab_size=vocab_size,
        d_model=s.d_model,
        encoder_layers=s.encoder_layers,
        decoder_layers=s.decoder_layers,
        encoder_ffn_dim=s.ffn_dim,
        decoder_ffn_dim=s.ffn_dim,
        encoder_attention_heads=s.heads,
        decoder_attention_heads=s.heads,
        max_position_embeddings=s.max_positions,
        dropout=dropout,
        attention_dropout=0.0,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        pad_token_id=pad_id,
        decoder_start_token_id=pad_id,
        eos_token_id=0,
        forced_eos_token_id=0,
        bos_token_id=None,
    )


def build_marian(
    out_dir: str | Path,
    zh_texts: list[str],
    en_texts: list[str],
    size: str = "tiny",
    vocab_size: int | None = None,
    seed: int = 0,
    byte_fallback: bool | None = None,
) -> Path:
    """Train a joint SentencePiece vocabulary on the texts and save a random-weight Marian model.

    ``vocab_size`` defaults to the size preset's; on few sentences the vocabulary comes out
    smaller (it is a limit, not a demand).  Returns ``out_dir``, loadable offline with
    ``AutoTokenizer.from_pretrained`` and ``AutoModelForSeq2SeqLM.from_pretrained``.
    """
    import torch
    from transformers import GenerationConfig, MarianMTModel

    if size not in SIZES:
        raise InputError(f"unknown model size {size!r}; choose one of {', '.join(SIZES)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    preset = SIZES[size]
    if byte_fallback is None:
        # byte pieces cost 256 entries; worth it only when the vocabulary is large
        byte_fallback = size != "tiny"
    spm_path = train_sentencepiece(
        out / "_spm" / "joint",
        list(zh_texts) + list(en_texts),
        vocab_size or preset.vocab_size,
        seed=seed,
        byte_fallback=byte_fallback,
    )
    tokenizer = build_tokenizer(out, spm_path)
    (spm_path).unlink()
    spm_path.parent.rmdir()
    torch.manual_seed(seed)
    config = marian_config(size, len(tokenizer.get_vocab()))
    model = MarianMTModel(config)
    model.generation_config = GenerationConfig(
        decoder_start_token_id=config.decoder_start_token_id,
        eos_token_id=0,
        forced_eos_token_id=0,
        pad_token_id=config.pad_token_id,
        num_beams=4,
        max_length=preset.max_positions,
        bad_words_ids=[[config.pad_token_id]],
    )
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def count_parameters(model) -> int:
    """Unique trainable parameters (tied embeddings counted once)."""
    seen: set[int] = set()
    total = 0
    for p in model.parameters():
        if id(p) not in seen:
            seen.add(id(p))
            total += p.numel()
    return total
