"""zhbridge: Chinese–English aligned corpus, terminology and domain MT for the micro-short-drama industry.

The one-line library API (each call imports its stage on first use, so ``import zhbridge`` stays fast)::

    import zhbridge
    beads = zhbridge.align_sentences(["今天很冷。", "我们回家吧。"], ["It is cold today.", "Let's go home."])
    hits = zhbridge.lookup("竖店")
    english = zhbridge.translate(["郑州是竖店。"], glossary=True)
    scores = zhbridge.score(hyps, refs, metrics=("BLEU", "chrF"))
    ds = zhbridge.load_corpus()

The one-line calls are functions whose names no subpackage bears, so the stages stay plain
packages: ``import zhbridge.align.search as s``, ``from zhbridge.evaluate import metrics`` and
``zhbridge.align.align_sentences`` mean what they say. A stage is also reachable as an attribute
of ``zhbridge`` without importing it first (``zhbridge.align.align_sentences`` after a bare
``import zhbridge``): the module-level ``__getattr__`` below imports it on first access (PEP 562).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from zhbridge.version import __version__

if TYPE_CHECKING:  # for annotations only: importing these at runtime would cost seconds
    from zhbridge.align.beads import Bead
    from zhbridge.evaluate.metrics import MetricScore
    from zhbridge.terms.lookup import LookupHit

__all__ = ["align_sentences", "load_corpus", "lookup", "score", "translate", "__version__"]
# the stages, imported on first attribute access (zhbridge.align.aligner, zhbridge.evaluate.metrics, ...)
_SUBPACKAGES = frozenset({"align", "cli", "corpus", "evaluate", "mt", "serve", "terms", "text", "train"})


def align_sentences(zh: Sequence[str], en: Sequence[str], **options: Any) -> list[Bead]:
    """Align Chinese and English sentence lists into ordered beads (zh indices, en indices, score).

    Every sentence of both sides is in exactly one bead; options are those of
    :func:`zhbridge.align.aligner.align_sentences` (``features``, ``margin``, ...).

    >>> beads = align_sentences(["今天很冷。", "我们回家吧。"], ["It is cold today.", "Let's go home."])
    >>> [(b.zh, b.en) for b in beads]
    [((0,), (0,)), ((1,), (1,))]
    """
    from zhbridge.align.aligner import align_sentences as align

    return align(list(zh), list(en), **options)


def lookup(
    query: str, *, glossary: str | os.PathLike | None = None, cedict: bool = True, limit: int | None = None
) -> list[LookupHit]:
    """Glossary entries matching ``query`` (Chinese, pinyin or English), best first.

    Searches the shipped glossary (or the TSV at ``glossary``); with ``cedict`` it falls back to
    CC-CEDICT when the glossary has no exact entry.

    >>> lookup("竖店")[0].entry.en  # doctest: +SKIP
    'Shudian ("vertical-screen Hengdian")'
    """
    from zhbridge.terms.glossary import load_glossary
    from zhbridge.terms.lookup import LookupIndex

    hits = LookupIndex(load_glossary(glossary)).lookup(query, use_cedict=cedict)
    return hits if limit is None else hits[:limit]


def translate(
    texts: Sequence[str], *, glossary: bool | str | os.PathLike = True, model: str | os.PathLike | None = None, beams: int = 4
) -> list[str]:
    """Translate Chinese segments to English, one output per input, in order.

    ``model`` defaults to the shipped model (models/zhbridge-default); ``glossary=True`` uses the
    shipped glossary with term enforcement on, a path uses that glossary, ``False`` turns both off.

    >>> translate(["郑州是竖店。"])  # doctest: +SKIP
    ['Zhengzhou is Shudian.']
    """
    from zhbridge import paths
    from zhbridge.mt.engine import EngineConfig, load_engine
    from zhbridge.mt.translate import translate_text

    if isinstance(texts, str):
        raise TypeError("translate() takes a list of segments; wrap a single string in a list")
    # unlike the CLI: the shipped glossary must be there when asked for, and no TM or post-edits
    # (a library call translates what it is given, not what this checkout's corpus has seen)
    terms = "none" if glossary is False else paths.DEFAULT_GLOSSARY if glossary is True else glossary
    config = EngineConfig(model=model, beams=beams, glossary=terms, tm="none", postedits="none", enforce=glossary is not False)
    engine = load_engine(config)
    segments = list(texts)
    if not segments:
        return []
    if any("\n" in s for s in segments):  # a segment spanning lines is translated as its own text
        return [translate_text(s, engine)[0] for s in segments]
    # one batched run over all segments: the "lines" reader keeps one output line per input line
    rendered = translate_text("\n".join(segments), engine, kind="lines")[0]
    return rendered.split("\n")[: len(segments)]  # the rendering ends with a newline


def score(
    hyps: Sequence[str], refs: Sequence[str] | Sequence[Sequence[str]], metrics: Iterable[str] | None = None
) -> dict[str, MetricScore]:
    """Corpus scores of ``hyps`` against one reference list (or several): metric name -> score with signature.

    Metric names are ``BLEU``, ``chrF``, ``chrF++`` and ``TER`` (all by default).

    >>> scores = score(["the cat sat"], ["the cat sat"], metrics=("chrF",))
    >>> round(scores["chrF"].score)
    100
    """
    from zhbridge.evaluate.metrics import corpus_scores

    streams: list[list[str]]
    if refs and all(isinstance(r, str) for r in refs):
        streams = [list(refs)]  # type: ignore[arg-type]
    else:
        streams = [list(r) for r in refs]
    return corpus_scores(list(hyps), streams, metrics)


def load_corpus(path: str | os.PathLike | None = None) -> Any:
    """The shipped aligned corpus as a ``datasets.DatasetDict`` (train / validation / test).

    >>> ds = load_corpus()  # doctest: +SKIP
    >>> ds["train"][0]["zh"]  # doctest: +SKIP
    """
    import datasets

    from zhbridge.paths import DATASET_DIR

    return datasets.load_from_disk(str(path or DATASET_DIR))


def __getattr__(name: str) -> Any:
    """``zhbridge.<stage>`` before ``import zhbridge.<stage>``: import it now (PEP 562)."""
    if name in _SUBPACKAGES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _SUBPACKAGES)
