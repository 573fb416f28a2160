"""How a translation run is built, in one place: :func:`load_engine` from an :class:`EngineConfig`.

``zhbridge.translate``, ``zhbridge translate``, ``zhbridge serve`` and the Ray actors all build their
:class:`Engine` here, so a default lives once. What each caller chooses differently is said in its
config (the library asks for no TM and no post-edits; the CLI takes the project's when present).
:class:`RunOptions` are the per-run choices of a batch (``lines``, ``overwrite``, ``xliff_target``)
that both the local and the Ray engine hand down unchanged. Heavy imports stay inside the functions.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast, get_args

from zhbridge.io import InputError

if TYPE_CHECKING:
    from zhbridge.mt.memory import TranslationMemory
    from zhbridge.mt.models import Translator
    from zhbridge.terms.glossary import Glossary

DEFAULT_BATCH_TOKENS = 4096
FUZZY_THRESHOLD = 80.0  # = zhbridge.mt.memory.FUZZY_THRESHOLD (not imported: it would load the TM code)

Backend = Literal["hf", "ct2"]
XliffTarget = Literal["source", "mt"]
EngineKind = Literal["local", "ray"]


def choose(value: str, choices: object, flag: str) -> str:
    """``value`` if it is one of the ``Literal`` type ``choices``, else the CLI's one-line error."""
    allowed: tuple[str, ...] = get_args(choices)
    if value not in allowed:
        raise InputError(f"{flag} {value}: choose {', '.join(allowed[:-1])} or {allowed[-1]}")
    return value


@dataclass(frozen=True)
class EngineConfig:
    """Everything :func:`load_engine` needs; the defaults are the CLI's."""

    model: str | os.PathLike | None = None  # model dir (HF or CTranslate2) or hub id; None: models/zhbridge-default
    backend: Backend = "hf"
    beams: int = 4
    device: str | None = None  # None: the GPU when there is one
    threads: int | None = None  # CPU threads for the model; None: the library's default
    source_prefix: str = ""  # prepended to every source (models trained with a task prefix)
    enforce: bool = True  # glossary terms forced into the MT (False: only reported)
    batch_tokens: int = DEFAULT_BATCH_TOKENS  # padded source tokens per MT batch
    glossary: str | os.PathLike | None = None  # TSV; "none": no glossary; None: the shipped one when present
    tm: str | os.PathLike | None = None  # dataset dir; "none": no TM; None: corpus/dataset when built
    postedits: str | os.PathLike | None = None  # TMX; "none"; None: corpus/tm/postedits.tmx when present
    fuzzy: float = FUZZY_THRESHOLD  # lowest fuzzy TM score reused (0–100)


@dataclass
class Resources:
    """The glossary and TM of a run: loaded once by the driver, shipped as they are to Ray actors."""

    glossary: Glossary | None = None
    glossary_name: str = ""
    memory: TranslationMemory | None = None


def _off(spec: str | os.PathLike | None) -> bool:
    return spec is not None and str(spec).lower() == "none"


def load_resources(config: EngineConfig) -> Resources:
    """The glossary, TM and post-edit memory ``config`` names (see its field comments for None and 'none')."""
    from zhbridge import paths
    from zhbridge.mt.memory import load_memory

    resources = Resources()
    if not _off(config.glossary):
        from zhbridge.terms.glossary import load_glossary

        gpath = Path(config.glossary) if config.glossary else paths.DEFAULT_GLOSSARY
        if config.glossary or gpath.exists():
            resources.glossary, resources.glossary_name = load_glossary(gpath), gpath.name
    resources.memory = load_memory(config.tm, fuzzy_threshold=config.fuzzy)
    if not _off(config.postedits):
        from zhbridge.mt.postedits import with_postedits

        resources.memory = with_postedits(resources.memory, config.postedits, fuzzy_threshold=config.fuzzy)
    return resources


def load_engine(config: EngineConfig | None = None, resources: Resources | None = None) -> Engine:
    """Load the model and (unless ``resources`` are given, as a Ray actor gets them) glossary and TM."""
    from zhbridge.mt.models import load_translator

    config = config or EngineConfig()
    resources = resources if resources is not None else load_resources(config)
    translator = load_translator(
        config.model,
        backend=config.backend,
        beams=config.beams,
        device=config.device,
        threads=config.threads,
        source_prefix=config.source_prefix,
    )
    return Engine(
        translator,
        resources.glossary,
        resources.memory,
        enforce=config.enforce,
        batch_tokens=config.batch_tokens,
        glossary_name=resources.glossary_name,
    )


@dataclass
class Engine:
    """Everything shared by the documents of one run."""

    translator: Translator
    glossary: Glossary | None = None
    memory: TranslationMemory | None = None
    enforce: bool = True
    batch_tokens: int = DEFAULT_BATCH_TOKENS
    glossary_name: str = ""
    lexicon: object = None  # zhbridge.terms.lexicon.Lexicon for placing inline tags; loaded when first needed
    # the glossary whose ⟨English⟩ hints a term-annotated model sees (the shipped one when no glossary is given)
    annotation_glossary: Glossary | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        from zhbridge.mt.models import trained_with_term_annotation

        if trained_with_term_annotation(self.translator.model_dir):
            from zhbridge.terms.glossary import load_glossary

            # the model learnt to copy ⟨English⟩ hints; without them it would see an input it never trained on
            self.annotation_glossary = self.glossary or load_glossary()
            self.translator.source_annotator = self.annotation_glossary.annotate
        from zhbridge.mt.models import trained_with_term_placeholders

        if trained_with_term_placeholders(self.translator.model_dir) and self.glossary is not None:
            from zhbridge.mt.placeholders import PlaceholderTranslator

            # the model learnt to copy <Tk> for glossary terms: it gets them, and the glossary English comes back after
            self.translator = cast("Translator", PlaceholderTranslator(self.translator, self.glossary.find))

    def config(self, **changes) -> EngineConfig:
        """The config that loads this engine's model again elsewhere (a Ray actor), with ``changes``."""
        t = self.translator
        base = {
            "model": t.model_dir,
            "backend": t.backend,
            "beams": t.options.beams,
            "source_prefix": t.source_prefix,
            "enforce": self.enforce,
            "batch_tokens": self.batch_tokens,
        }
        return EngineConfig(**{**base, **changes})

    def resources(self) -> Resources:
        return Resources(self.glossary, self.glossary_name, self.memory)

    def settings(self, lines: bool = False) -> dict:
        out = {
            "model": self.translator.model_dir,
            "backend": self.translator.backend,
            "translator": self.translator.fingerprint,
            "glossary": glossary_fingerprint(self.glossary, self.glossary_name) if self.glossary is not None else "",
            "tm": self.memory.fingerprint if self.memory is not None else "",
            "enforce": self.enforce,
            "lines": lines,
        }
        if self.annotation_glossary is not None:
            # the hints are part of the model's input: another glossary is another translation, even with
            # --glossary none (the shipped glossary annotates) or enforcement off
            name = self.glossary_name if self.glossary is not None else Path(self.annotation_glossary.path or "").name
            out["annotation"] = glossary_fingerprint(self.annotation_glossary, name)
        return out

    def settings_hash(self, lines: bool = False) -> str:
        return hashlib.sha256(json.dumps(self.settings(lines), sort_keys=True).encode()).hexdigest()[:16]


def glossary_fingerprint(glossary: Glossary, name: str = "") -> str:
    """Identity of a glossary for resume keys: name, size and a digest of every term and its renderings."""
    digest = hashlib.sha256()
    for e in glossary:
        digest.update(json.dumps([e.zh, *e.renderings], ensure_ascii=False).encode())
    return f"{name}:{len(glossary)}:{digest.hexdigest()[:16]}"


@dataclass(frozen=True)
class RunOptions:
    """The per-run choices of a batch, the same for every document and for both engines."""

    lines: bool = False  # line i of an input is line i of its English
    overwrite: bool = False  # replace outputs that exist and are not this job's
    xliff_target: XliffTarget = "source"  # what XLIFF <target> holds (see zhbridge.mt.xliff)
