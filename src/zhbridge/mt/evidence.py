"""Machine translations as evidence for aligning and mining (Bleualign, Sennrich & Volk 2010).

The aligner and the miner (:mod:`zhbridge.align`) may not import :mod:`zhbridge.mt`; they take
the translations of the Chinese sentences as plain strings. This module makes those strings: it
translates each distinct sentence once (fast settings: the evidence is compared with the English
by character n-grams and by the sentence encoder, so greedy decoding is enough) and keeps them in
a ``zh<TAB>translation`` cache file, so a set translated once is never translated again.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from zhbridge.io import InputError, atomic_write_text

BATCH = 32  # sentences per translate call (and per cache write: an interrupted run keeps what it did)


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def read_cache(path: str | os.PathLike) -> dict[str, str]:
    """``zh<TAB>translation`` lines → {zh: translation} (a missing file is an empty cache)."""
    path = Path(path)
    if not path.exists():
        return {}
    out: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            raise InputError(f"{path}:{number}: expected zh<TAB>translation, got {len(parts)} fields")
        out[parts[0]] = parts[1]
    return out


def write_cache(path: str | os.PathLike, cache: dict[str, str]) -> None:
    atomic_write_text(Path(path), "".join(f"{zh}\t{mt}\n" for zh, mt in cache.items()))


def translate_sentences(
    sentences: Sequence[str],
    translate: Callable[[list[str]], list[str]] | None = None,
    cache: str | os.PathLike | None = None,
    log: Callable[[str], None] | None = None,
) -> list[str]:
    """The translation of each sentence (parallel to ``sentences``), from ``cache`` where it has them.

    ``translate`` is a batch function (e.g. ``load_translator(...).translate``); without one every
    sentence must already be in the cache.
    """
    known = read_cache(cache) if cache else {}
    keys = [_clean(s) for s in sentences]
    todo = [k for k in dict.fromkeys(keys) if k not in known and k]
    if todo and translate is None:
        raise InputError(f"{cache}: {len(todo)} sentences have no cached translation and no model was given")
    started = time.perf_counter()
    for b in range(0, len(todo), BATCH):
        batch = todo[b : b + BATCH]
        known.update(zip(batch, map(_clean, translate(batch))))  # type: ignore[misc]
        if cache:
            write_cache(cache, known)
    if todo and log:
        log(f"translated {len(todo)} sentences in {time.perf_counter() - started:.1f}s ({len(keys) - len(todo)} cached)")
    return [known.get(k, "") for k in keys]


def load_fast_translator(model: str | os.PathLike | None, backend: str = "ct2", beams: int = 1, threads: int | None = 1):
    """The translator for evidence: a CT2 export by default (about ten times faster than HF on a CPU)."""
    from zhbridge.mt.models import load_translator

    return load_translator(model, backend=backend, beams=beams, threads=threads)
