"""Translation memory over the aligned corpus: exact matches reused verbatim, fuzzy ones with their score.

Keys are the normalised Chinese segment with whitespace removed, so a TM built from the
corpus and a document normalised the same way meet on the same string. Fuzzy search is
rapidfuzz's ``fuzz.ratio`` (normalised Indel similarity, 0–100) over candidates of
comparable length only, which keeps lookups fast on tens of thousands of pairs.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from zhbridge.io import InputError
from zhbridge.text.script import to_simplified

# The test split is evaluation data: reusing its references would make scores meaningless.
DEFAULT_SPLITS = ("train", "validation")
FUZZY_THRESHOLD = 80.0


@dataclass(frozen=True)
class TMMatch:
    source: str
    target: str
    score: float  # 100.0 for exact

    @property
    def exact(self) -> bool:
        return self.score >= 100.0


def tm_key(text: str) -> str:
    # Traditional and Simplified writings of one sentence are one key (zhbridge.text.script)
    return re.sub(r"\s+", "", to_simplified(text))


class TranslationMemory:
    def __init__(self, pairs: list[tuple[str, str]], *, fuzzy_threshold: float = FUZZY_THRESHOLD, name: str = "memory"):
        self.name = name
        self.fuzzy_threshold = fuzzy_threshold
        self._exact: dict[str, tuple[str, str]] = {}
        for zh, en in pairs:
            if zh and en and zh.strip() and en.strip():
                self._exact.setdefault(tm_key(zh), (zh.strip(), en.strip()))
        self._keys = list(self._exact)
        self._lengths = [len(k) for k in self._keys]
        digest = hashlib.sha256()
        for k in sorted(self._keys):
            digest.update(k.encode())
            digest.update(self._exact[k][1].encode())
        self.fingerprint = f"{name}:{len(self._keys)}:{digest.hexdigest()[:16]}:fuzzy>={fuzzy_threshold}"

    def __len__(self) -> int:
        return len(self._keys)

    def pairs(self) -> list[tuple[str, str]]:
        """The (zh, en) pairs kept, one per key (the first one given wins)."""
        return list(self._exact.values())

    def lookup(self, text: str) -> TMMatch | None:
        """The exact match if any, else the best fuzzy match at or above the threshold, else None."""
        from rapidfuzz import fuzz, process

        key = tm_key(text)
        if not key:
            return None
        hit = self._exact.get(key)
        if hit:
            return TMMatch(hit[0], hit[1], 100.0)
        # ratio >= t needs the lengths within a factor t/(200-t) of each other
        t = self.fuzzy_threshold
        lo, hi = len(key) * t / (200 - t), len(key) * (200 - t) / t
        candidates = [k for k, n in zip(self._keys, self._lengths) if lo <= n <= hi]
        if not candidates:
            return None
        best = process.extractOne(key, candidates, scorer=fuzz.ratio, score_cutoff=t)
        if best is None:
            return None
        zh, en = self._exact[best[0]]
        return TMMatch(zh, en, round(min(float(best[1]), 99.9), 1))


def _parquet_files(folder: Path, split: str) -> list[Path]:
    """A split's Parquet: ``{split}.parquet``, or its Hub-style shards ``{split}-00000-of-00003.parquet`` in order."""
    single = folder / f"{split}.parquet"
    # the five-digit zero-padded index makes name order the row order
    return [single] if single.is_file() else sorted(folder.glob(f"{split}-*-of-*.parquet"))


def load_memory(
    spec: str | os.PathLike | None, *, splits=DEFAULT_SPLITS, fuzzy_threshold: float = FUZZY_THRESHOLD
) -> TranslationMemory | None:
    """A TM from a saved DatasetDict (or a folder of ``{split}.parquet`` or its shards); 'none' disables it.

    None means the project's dataset when it has been built, else no TM.
    """
    from zhbridge import paths

    if spec is not None and str(spec).lower() == "none":
        return None
    path = Path(spec) if spec is not None else paths.DATASET_DIR
    if not path.exists():
        if spec is None:
            return None
        raise InputError(f"{path}: no such translation-memory dataset (a `datasets` save_to_disk folder)")
    pairs: list[tuple[str, str]] = []
    parquet = path / "parquet" if (path / "parquet").is_dir() else path
    files = {split: _parquet_files(parquet, split) for split in splits}
    if any(files.values()) and not (path / "dataset_dict.json").exists():
        import pyarrow.parquet as pq

        for split in splits:
            for f in files[split]:
                table = pq.read_table(f, columns=["zh", "en"])
                pairs += list(zip(table.column("zh").to_pylist(), table.column("en").to_pylist()))
    else:
        import datasets

        try:
            data = datasets.load_from_disk(str(path))
        except (FileNotFoundError, ValueError) as exc:
            raise InputError(f"{path}: not a saved dataset ({str(exc).splitlines()[0]})") from None
        parts = [data[s] for s in splits if s in data] if isinstance(data, datasets.DatasetDict) else [data]
        for part in parts:
            if "zh" not in part.column_names or "en" not in part.column_names:
                raise InputError(f"{path}: translation memory needs zh and en columns")
            pairs += list(zip(part["zh"], part["en"]))
    return TranslationMemory(pairs, fuzzy_threshold=fuzzy_threshold, name=path.name)
