"""Cross-lingual similarity of training pairs, stored once, used to drop the worst-matched tail.

Every general training pair is scored with the project's sentence encoder
(:mod:`zhbridge.embed`, USE multilingual v3): the cosine of its Chinese and English sides.
Misaligned or garbled pairs (a subtitle shifted by one line, a source sentence paired with the
wrong reference) score low. Scoring ~130k pairs takes a quarter of an hour on one core, so the
scores are kept in a committed file (``corpus/training/similarity.tsv.gz``: a 12-hex-digit hash of
the pair, a tab, the cosine to three decimals) and read back by training's ``min_similarity``
filter; a pair without a stored score is encoded on the fly.
"""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from zhbridge import paths
from zhbridge.io import InputError, atomic_write_bytes

Pair = tuple[str, str]
SIMILARITY_FILE = paths.CORPUS_DIR / "training" / "similarity.tsv.gz"
KEY_CHARS = 12  # 48 bits: for 200k pairs a collision is about one in 10^4 (and would only swap one score)


def pair_key(zh: str, en: str) -> str:
    return hashlib.sha1(f"{zh}\t{en}".encode()).hexdigest()[:KEY_CHARS]


def load_scores(path: str | Path | None = None) -> dict[str, float]:
    """Stored key → cosine ({} when the file does not exist); a malformed line is an error naming it."""
    path = Path(path or SIMILARITY_FILE)
    if not path.exists():
        return {}
    out: dict[str, float] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            key, _, value = line.rstrip("\n").partition("\t")
            try:
                out[key] = float(value)
            except ValueError:
                raise InputError(f"{path}:{n}: expected 'key<TAB>score', got {line[:60]!r}") from None
    return out


def save_scores(scores: dict[str, float], path: str | Path | None = None) -> Path:
    """Write ``scores`` sorted by key (a stable, diff-friendly file); gzip without a timestamp."""
    text = "".join(f"{k}\t{v:.3f}\n" for k, v in sorted(scores.items()))
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    return atomic_write_bytes(Path(path or SIMILARITY_FILE), buf.getvalue())


def score_pairs(
    pairs: Sequence[Pair], threads: int = 1, chunk: int = 2048, progress: Callable[[int], None] | None = None
) -> list[float]:
    """cosine(zh, en) of each pair, encoded in chunks (the encoder cache is emptied after each: no reuse here)."""
    from zhbridge import embed

    out: list[float] = []
    for start in range(0, len(pairs), chunk):
        part = pairs[start : start + chunk]
        out.extend(float(x) for x in embed.paired_similarity([z for z, _ in part], [e for _, e in part], threads))
        embed.clear_cache()
        if progress:
            progress(start + len(part))
    return out


def similarities(pairs: Sequence[Pair], stored: dict[str, float] | None = None) -> list[float]:
    """The stored score of each pair, the missing ones encoded now."""
    stored = load_scores() if stored is None else stored
    keys = [pair_key(z, e) for z, e in pairs]
    missing = sorted({k: p for k, p in zip(keys, pairs) if k not in stored}.items())
    fresh = dict(zip((k for k, _ in missing), score_pairs([p for _, p in missing]))) if missing else {}
    return [stored[k] if k in stored else fresh[k] for k in keys]


def filter_by_similarity(
    sources: dict[str, list[Pair]], threshold: float, stored: dict[str, float] | None = None
) -> tuple[dict[str, list[Pair]], dict[str, int]]:
    """Each source without its pairs scoring below ``threshold``, and how many each lost."""
    stored = load_scores() if stored is None else stored
    kept: dict[str, list[Pair]] = {}
    dropped: dict[str, int] = {}
    for name, pairs in sources.items():
        scores = similarities(pairs, stored)
        kept[name] = [p for p, s in zip(pairs, scores) if s >= threshold]
        dropped[name] = len(pairs) - len(kept[name])
    return kept, dropped


def quantiles(values: Iterable[float], qs: Sequence[float] = (0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9)) -> list[float]:
    import numpy as np

    arr = np.asarray(list(values), dtype=np.float64)
    return [float(np.quantile(arr, q)) for q in qs] if len(arr) else [float("nan")] * len(qs)
