"""Load any seq2seq translation model behind one small interface, with a Hugging Face and a CTranslate2 backend.

Both backends take and return plain strings; the pipeline never touches tensors. Language
codes differ per family (NLLB ``zho_Hans``/``eng_Latn``, M2M100 ``zh``/``en``, mBART-50
``zh_CN``/``en_XX``; Marian needs none), so they are resolved here once from the config.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhbridge.io import InputError

# family -> (source code, target code); the model_type/tokenizer class decides the family
LANGUAGE_CODES = {
    "nllb": ("zho_Hans", "eng_Latn"),
    "m2m_100": ("zh", "en"),
    "mbart": ("zh_CN", "en_XX"),
}
MAX_NEW_TOKENS_CAP = 400
UNUSED_PREFIX = "<zhbridge-unused-"  # how the CTranslate2 export names vocabulary rows no token names


@dataclass
class DecodeOptions:
    beams: int = 4
    # per-segment output budget: ratio * source tokens + slack, so one runaway hypothesis
    # cannot stall a batch and a segment's output does not depend on its batch-mates
    length_ratio: float = 2.0
    length_slack: int = 10
    max_positions: int = 512  # the model's position limit: longer sources are truncated
    # loop guards, chosen on the general dev set (models/zhbridge-default/evaluation.md); both
    # backends apply the same two rules so HF and CTranslate2 outputs stay comparable
    # (beam 4 on the 400 dev pairs: no ban 30.8% of outputs loop; 3-gram ban 0 loops and the best chrF)
    no_repeat_ngram_size: int = 3
    repetition_penalty: float = 1.0
    # beam scores are divided by length ** length_penalty in both backends; chosen on the same dev set
    # (a small model's beams favour short, incomplete outputs: BLEU brevity penalty 0.71 at 1.0, 0.83 at 1.5)
    length_penalty: float = 1.5

    def budget(self, source_tokens: int) -> int:
        return min(MAX_NEW_TOKENS_CAP, self.max_positions - 2, int(source_tokens * self.length_ratio) + self.length_slack)


def resolve_model(spec: str | os.PathLike | None) -> str:
    """A local directory (checked) or a hub id; None means the project's shipped default."""
    from zhbridge import paths

    if spec is None:
        if (paths.DEFAULT_MODEL / "config.json").exists():
            return str(paths.DEFAULT_MODEL)
        raise InputError(
            f"no --model given and the default model {paths.DEFAULT_MODEL} does not exist; "
            "train it (scripts/train_default.sh) or pass --model DIR"
        )
    p = Path(spec)
    if p.exists():
        if not p.is_dir():
            raise InputError(f"{p}: a model is a directory (save_pretrained output), not a file")
        if not (p / "config.json").exists() and not (p / "model.bin").exists():
            raise InputError(f"{p}: not a model directory (no config.json or CTranslate2 model.bin)")
        return str(p.resolve())
    if str(spec).startswith((".", "/", "~")) or str(spec).count("/") > 1:
        raise InputError(f"{spec}: no such model directory")
    return str(spec)  # a hub id such as Helsinki-NLP/opus-mt-zh-en; needs a network


def trained_with_term_annotation(model_dir: str) -> bool:
    """Whether a local model (its run.json) or its CTranslate2 export was trained with ``--term-annotate``."""

    def read(name: str) -> dict:
        path = Path(model_dir, name)
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    run_options = read("run.json").get("options") or {}
    return run_options.get("term_annotate") is True or read("zhbridge_export.json").get("term_annotate") is True


def trained_with_term_placeholders(model_dir: str) -> bool:
    """Whether a local model (its run.json) or its export was trained with ``--term-placeholders``."""
    for name in ("run.json", "zhbridge_export.json"):
        path = Path(model_dir, name)
        if path.is_file():
            record = json.loads(path.read_text(encoding="utf-8"))
            if (record.get("options") or {}).get("term_placeholders") is True or record.get("term_placeholders") is True:
                return True
    return False


def model_fingerprint(model_dir: str) -> str:
    """Identity of a model for resume keys: path plus size/mtime of its weight and vocab files."""
    p = Path(model_dir)
    h = hashlib.sha256(model_dir.encode())
    if p.is_dir():
        for f in sorted(p.iterdir()):
            if f.is_file():
                st = f.stat()
                h.update(f"{f.name}:{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()[:16]


def _family(config, tokenizer) -> str | None:
    name = type(tokenizer).__name__.lower()
    if "nllb" in name:
        return "nllb"
    if config.model_type in ("m2m_100",):
        return "m2m_100"
    if config.model_type == "mbart" and hasattr(tokenizer, "lang_code_to_id") or "mbart50" in name:
        return "mbart"
    return None


def _language_token_id(tokenizer, code: str) -> int | None:
    for token in (code, f"__{code}__"):
        tid = tokenizer.convert_tokens_to_ids(token)
        if tid is not None and tid != tokenizer.unk_token_id:
            return tid
    return None


@dataclass
class Translator:
    """What the pipeline needs from a model: token counts, batch translation, term-constrained re-decoding."""

    model_dir: str
    backend: str
    tokenizer: Any  # a transformers tokenizer (untyped call surface)
    options: DecodeOptions = field(default_factory=DecodeOptions)
    source_prefix: str = ""
    target_lang_token: str | None = None
    # set for models trained on term-annotated sources (zhbridge train --term-annotate): they must
    # see the same ⟨English⟩ annotations at translation time
    source_annotator: Callable[[str], str] | None = None

    @property
    def fingerprint(self) -> str:
        return (
            f"{self.backend}:{model_fingerprint(self.model_dir)}:beams={self.options.beams}:"
            f"len={self.options.length_ratio}+{self.options.length_slack}:nr={self.options.no_repeat_ngram_size}:"
            f"rp={self.options.repetition_penalty}:lp={self.options.length_penalty}:prefix={self.source_prefix}"
            + (":term-annotated" if self.source_annotator else "")
        )

    def model_inputs(self, texts: list[str]) -> list[str]:
        annotate = self.source_annotator or (lambda t: t)
        return [self.source_prefix + annotate(t) for t in texts]

    def source_lengths(self, texts: list[str]) -> list[int]:
        enc = self.tokenizer(self.model_inputs(texts), add_special_tokens=True)
        return [len(ids) for ids in enc["input_ids"]]

    def target_ids(self, text: str) -> list[int]:
        """Token ids of an English phrase as the decoder would write it mid-sentence."""
        ids = self.tokenizer(text_target=" " + text.strip(), add_special_tokens=False)["input_ids"]
        special = set(self.tokenizer.all_special_ids)
        return [i for i in ids if i not in special]

    def decode(self, ids) -> str:
        return self.tokenizer.decode(ids, skip_special_tokens=True).strip()

    def translate(self, texts: list[str]) -> list[str]:
        raise NotImplementedError

    def translate_with_terms(self, text: str, terms: list[tuple[str, float]]) -> str:
        """Re-translate ``text`` so that each (English term, relative source position) appears."""
        raise NotImplementedError

    def score(self, texts: list[str], targets: list[str]) -> list[float]:
        """Length-normalised log-probability (mean per token, end-of-sentence included) of each target given its source."""
        raise NotImplementedError


class HFTranslator(Translator):
    def __init__(
        self,
        model_dir: str,
        tokenizer,
        model,
        options: DecodeOptions,
        device: str,
        source_prefix: str = "",
        forced_bos_token_id: int | None = None,
    ):
        super().__init__(model_dir, "hf", tokenizer, options, source_prefix)
        self.model, self.device, self.forced_bos_token_id = model, device, forced_bos_token_id

    def _generate(self, texts: list[str], logits_processor=None, beams: int | None = None):
        import torch

        enc = self.tokenizer(
            self.model_inputs(texts), return_tensors="pt", padding=True, truncation=True, max_length=self.options.max_positions
        ).to(self.device)
        budgets = [self.options.budget(int(n)) for n in enc["attention_mask"].sum(dim=1)]
        # no forced EOS at the length limit: it would make a row's output depend on its batch's longest row
        kwargs = dict(
            # the forced language code is one more new token in HF, none in CTranslate2's prefix
            max_new_tokens=max(budgets) + (self.forced_bos_token_id is not None),
            num_beams=beams or self.options.beams,
            do_sample=False,
            num_return_sequences=1,
            forced_eos_token_id=None,
            bad_words_ids=self._banned(),
            **self._loop_guards(),
        )
        if self.forced_bos_token_id is not None:
            kwargs["forced_bos_token_id"] = self.forced_bos_token_id
        if logits_processor is not None:
            from transformers import LogitsProcessorList

            kwargs["logits_processor"] = LogitsProcessorList(logits_processor)
        with torch.inference_mode():
            out = self.model.generate(**enc, **kwargs)
        return out, budgets

    def translate(self, texts: list[str]) -> list[str]:
        if not texts:
            return []
        out, budgets = self._generate(texts)
        # cut each row to its own budget so the result is the same whatever batch it ran in
        return [self.decode(self._output(row.tolist())[:b]) for row, b in zip(out, budgets)]

    def translate_with_terms(self, text: str, terms: list[tuple[str, float]]) -> str:
        from zhbridge.mt.enforce import TermForcingProcessor

        sequences = [self.target_ids(t) for t, _ in sorted(terms, key=lambda t: t[1])]
        budget = min(
            self.options.max_positions - 2, self.options.budget(self.source_lengths([text])[0]) + sum(len(s) for s in sequences)
        )
        start = 2 if self.forced_bos_token_id is not None else 1
        processor = TermForcingProcessor(
            sequences,
            eos_token_id=self.model.generation_config.eos_token_id or self.tokenizer.eos_token_id,
            max_new_tokens=budget,
            prompt_length=start,
            may_follow_term=self._word_start_mask(),
        )
        enc = self.tokenizer(
            self.model_inputs([text]), return_tensors="pt", truncation=True, max_length=self.options.max_positions
        ).to(self.device)
        import torch

        # the same loop guards as free decoding: generate applies its own processors first and ours last,
        # so a forced term token (all else -inf) overrides an n-gram ban, and a term used twice still
        # appears twice; without the guards a forced decode looped in a third of the in-domain segments
        kwargs = dict(
            max_new_tokens=budget + 1,
            num_beams=1,
            do_sample=False,
            logits_processor=[processor],
            no_repeat_ngram_size=self.options.no_repeat_ngram_size,
            repetition_penalty=self.options.repetition_penalty,
        )
        if self.forced_bos_token_id is not None:
            kwargs["forced_bos_token_id"] = self.forced_bos_token_id
        with torch.inference_mode():
            out = self.model.generate(**enc, **kwargs)
        return self.decode(out[0])

    def score(self, texts: list[str], targets: list[str]) -> list[float]:
        import torch

        if not texts:
            return []
        enc = self.tokenizer(
            self.model_inputs(texts), return_tensors="pt", padding=True, truncation=True, max_length=self.options.max_positions
        ).to(self.device)
        labels = self.tokenizer(
            text_target=targets, return_tensors="pt", padding=True, truncation=True, max_length=self.options.max_positions
        )["input_ids"].to(self.device)
        mask = labels != self.tokenizer.pad_token_id
        if self.forced_bos_token_id is not None:  # the forced language code is no choice of the model's
            mask[:, 0] &= labels[:, 0] != self.forced_bos_token_id
        with torch.inference_mode():
            logits = self.model(**enc, labels=labels.masked_fill(labels == self.tokenizer.pad_token_id, -100)).logits
            logprobs = torch.log_softmax(logits.float(), dim=-1).gather(-1, labels.unsqueeze(-1)).squeeze(-1)
        return [float(lp[m].mean()) if m.any() else 0.0 for lp, m in zip(logprobs, mask)]

    def _output(self, ids: list[int]) -> list[int]:
        """The generated ids without the decoder start and the forced language code (CTranslate2 drops
        both, and neither counts against the length budget there)."""
        if ids and ids[0] == self.model.config.decoder_start_token_id:
            ids = ids[1:]
        if self.forced_bos_token_id is not None and ids and ids[0] == self.forced_bos_token_id:
            ids = ids[1:]
        return ids

    def _banned(self) -> list[list[int]] | None:
        """The generation config's bad_words_ids plus ``<pad>``, which no output may contain.

        A generated ``<pad>`` is where the backends part: M2M100/NLLB number decoder positions
        by counting non-pad tokens, CTranslate2 by step. The export suppresses the same list.
        """
        banned = [list(ids) for ids in (self.model.generation_config.bad_words_ids or [])]
        pad = self.tokenizer.pad_token_id
        if pad is not None and [pad] not in banned:
            banned.append([pad])
        return banned or None

    def _loop_guards(self) -> dict:
        return {
            "no_repeat_ngram_size": self.options.no_repeat_ngram_size,
            "repetition_penalty": self.options.repetition_penalty,
            "length_penalty": self.options.length_penalty,
            # CTranslate2's beam search, so that both backends return the same outputs: it stops once
            # `beams` hypotheses have finished (HF's default keeps searching for longer ones) and it
            # applies the n-gram ban before the softmax (HF's default after it, leaving the banned
            # mass out of every score). With both, beam-4 outputs of models/zhbridge-default on 40
            # WMT23 lines agreed 40/40 (HF defaults: 4/20).
            "early_stopping": True,
            "renormalize_logits": True,
        }

    def _word_start_mask(self):
        """Vocabulary pieces that begin a new word (SentencePiece ▁), are punctuation, or are special."""
        import torch

        if getattr(self, "_mask", None) is None:
            size = self.model.get_output_embeddings().weight.shape[0]
            mask = torch.zeros(size, dtype=torch.bool)
            special = set(self.tokenizer.all_special_ids)
            for piece, i in self.tokenizer.get_vocab().items():
                if i < size and (i in special or piece.startswith(("\u2581", "Ġ")) or not piece[:1].isalnum()):
                    mask[i] = True
            self._mask = mask.to(self.device)
        return self._mask


class CT2Translator(Translator):
    def __init__(
        self,
        model_dir: str,
        tokenizer,
        translator,
        options: DecodeOptions,
        target_lang_token: str | None,
        source_prefix: str = "",
        suppress_sequences: list[list[str]] | None = None,
    ):
        super().__init__(model_dir, "ct2", tokenizer, options, source_prefix, target_lang_token)
        self.translator = translator
        # the generation config's bad_words_ids and <pad> (HFTranslator._banned), which HF generate is given too
        self.suppress_sequences = suppress_sequences or None

    def _source_tokens(self, texts: list[str]) -> list[list[str]]:
        enc = self.tokenizer(self.model_inputs(texts), add_special_tokens=True)
        limit = self.options.max_positions
        # same truncation as the HF tokenizer: keep the closing </s>
        return [
            self.tokenizer.convert_ids_to_tokens(ids if len(ids) <= limit else ids[: limit - 1] + ids[-1:])
            for ids in enc["input_ids"]
        ]

    def _run(self, texts: list[str], prefixes: list[list[str]] | None, beams: int, extra: int = 0):
        source = self._source_tokens(texts)
        budgets = [self.options.budget(len(s)) + extra for s in source]
        if self.target_lang_token:
            prefixes = [[self.target_lang_token] + (p or []) for p in (prefixes or [[]] * len(texts))]
        results = self.translator.translate_batch(
            source,
            target_prefix=prefixes,
            beam_size=beams,
            # the length limit counts the target prefix; the language code is not part of the budget
            max_decoding_length=min(max(budgets) + bool(self.target_lang_token), self.options.max_positions - 1),
            no_repeat_ngram_size=self.options.no_repeat_ngram_size,
            repetition_penalty=self.options.repetition_penalty,
            length_penalty=self.options.length_penalty,
            suppress_sequences=self.suppress_sequences,
            min_decoding_length=0,  # as HF generate: end-of-sentence is allowed from the first step
            return_scores=False,
        )
        outputs = []
        for result, budget in zip(results, budgets):
            budget = min(budget, self.options.max_positions - 1)
            tokens = result.hypotheses[0]
            if self.target_lang_token and tokens and tokens[0] == self.target_lang_token:
                tokens = tokens[1:]
            outputs.append(self.decode(self._ids(tokens[:budget])))
        return outputs

    def _ids(self, tokens: list[str]) -> list[int]:
        # rows the tokenizer names no token for were exported as placeholders (mt.export.vocabulary_by_id)
        return [
            int(t[len(UNUSED_PREFIX) : -1]) if t.startswith(UNUSED_PREFIX) else self.tokenizer.convert_tokens_to_ids(t)
            for t in tokens
        ]

    def translate(self, texts: list[str]) -> list[str]:
        return self._run(texts, None, self.options.beams) if texts else []

    def score(self, texts: list[str], targets: list[str]) -> list[float]:
        if not texts:
            return []
        lang = [self.target_lang_token] if self.target_lang_token else []
        target_tokens = [lang + self.tokenizer.convert_ids_to_tokens(self.target_ids(t)) for t in targets]
        limit = self.options.max_positions - 1
        results = self.translator.score_batch(self._source_tokens(texts), [t[:limit] for t in target_tokens])
        scores = []
        for r in results:
            logprobs = r.log_probs[len(lang) :]  # the language code is forced, not chosen
            scores.append(sum(logprobs) / len(logprobs) if logprobs else 0.0)
        return scores

    def translate_with_terms(self, text: str, terms: list[tuple[str, float]]) -> str:
        # CTranslate2 takes no Python logits processor; force each term through target_prefix:
        # keep the hypothesis up to the word nearest the term's relative source position, add the
        # term, and let the model continue from there.
        from zhbridge.mt.enforce import cut_at_word

        hypothesis = self._run([text], None, 1)[0]
        floor = 0
        for term, position in sorted(terms, key=lambda t: t[1]):
            head = cut_at_word(hypothesis, position, floor)
            prefix_text = (head + " " + term).strip()
            floor = len(prefix_text)
            prefix = self.tokenizer.convert_ids_to_tokens(self.target_ids(prefix_text))
            hypothesis = self._run([text], [prefix], 1, extra=len(prefix))[0]
        return hypothesis


def load_translator(
    spec: str | os.PathLike | None,
    *,
    backend: str = "hf",
    beams: int = 4,
    device: str | None = None,
    source_prefix: str = "",
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    threads: int | None = None,
) -> Translator:
    """Load a local model directory or hub id for zh→en translation with the chosen backend."""
    import transformers
    from transformers import AutoTokenizer

    # per-load progress bars and generation notices would drown the batch progress display
    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    # MarianTokenizer suggests sacremoses for punctuation normalisation; our input is normalised already
    warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
    model_dir = resolve_model(spec)
    local = Path(model_dir).is_dir()
    options = DecodeOptions(beams=beams)
    try:
        tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=local)
    except (OSError, ValueError) as exc:
        raise InputError(f"{model_dir}: cannot load its tokenizer ({str(exc).splitlines()[0]})") from None
    if backend == "ct2":
        return _load_ct2(model_dir, tokenizer, options, device, source_prefix, tgt_lang, threads)
    if backend != "hf":
        raise InputError(f"unknown backend {backend!r}; choose hf or ct2")
    import torch
    from transformers import AutoConfig, AutoModelForSeq2SeqLM

    if Path(model_dir, "model.bin").exists() and not Path(model_dir, "config.json").exists():
        raise InputError(f"{model_dir}: is a CTranslate2 export; use --backend ct2")
    try:
        config = AutoConfig.from_pretrained(model_dir, local_files_only=local)
        model = AutoModelForSeq2SeqLM.from_pretrained(model_dir, local_files_only=local)
    except (OSError, ValueError) as exc:
        raise InputError(f"{model_dir}: cannot load a seq2seq model ({str(exc).splitlines()[0]})") from None
    if threads:
        torch.set_num_threads(threads)
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    model.to(device).eval()
    options.max_positions = int(getattr(config, "max_position_embeddings", 0) or options.max_positions)
    forced_bos = None
    family = _family(config, tokenizer)
    if family:
        src_code, tgt_code = LANGUAGE_CODES[family]
        tokenizer.src_lang = src_lang or src_code
        forced_bos = _language_token_id(tokenizer, tgt_lang or tgt_code)
        if forced_bos is None:
            raise InputError(f"{model_dir}: target language code {tgt_lang or tgt_code!r} not in its vocabulary")
    return HFTranslator(model_dir, tokenizer, model, options, device, source_prefix, forced_bos)


def _load_ct2(model_dir, tokenizer, options, device, source_prefix, tgt_lang, threads) -> CT2Translator:
    import ctranslate2

    if not Path(model_dir, "model.bin").exists():
        raise InputError(f"{model_dir}: not a CTranslate2 model; create one with `zhbridge model export --ct2 DIR`")
    device = device or ("cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu")
    # "default" keeps the type chosen at export (int8 by default), which is what the export was for
    translator = ctranslate2.Translator(model_dir, device=device, compute_type="default", intra_threads=threads or 0)
    meta = {}
    if Path(model_dir, "zhbridge_export.json").exists():
        meta = json.loads(Path(model_dir, "zhbridge_export.json").read_text(encoding="utf-8"))
    target = tgt_lang or meta.get("target_lang_token")
    options.max_positions = int(meta.get("max_positions") or options.max_positions)
    if meta.get("src_lang"):
        tokenizer.src_lang = meta["src_lang"]
    return CT2Translator(model_dir, tokenizer, translator, options, target, source_prefix, meta.get("suppress_sequences"))
