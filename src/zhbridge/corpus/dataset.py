"""Turn build rows into a ``datasets.DatasetDict`` on disk, with sharded Parquet copies, a card and a TMX.

The directory is assembled beside its destination and swapped in at the end, so
an interrupted build leaves the previous dataset intact. The Parquet copies follow the
Hugging Face Hub's shard naming (``parquet/train-00000-of-00003.parquet``); shard
boundaries depend on row counts only, so every engine writes the same files.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from zhbridge.corpus.build import FLAG_THRESHOLD, SPLIT_RULE, BuildResult
from zhbridge.io import InputError, OutputExistsError, atomic_write_text, locked

PARALLEL_SPLITS = ("train", "validation", "test")
PARALLEL_COLUMNS = ("id", "doc_id", "para_id", "zh", "en", "bead", "score", "flagged", "source", "section")
MONOLINGUAL_COLUMNS = ("id", "doc_id", "para_id", "zh", "title", "source")
COMPARABLE_COLUMNS = ("id", "doc_id", "title", "en", "source")
# rows per Parquet shard: the shipped corpus stays one shard per split; a million-row split gets ten
DEFAULT_SHARD_ROWS = 100_000


def shard_count(rows: int, shard_rows: int) -> int:
    """Shards for a split of ``rows`` rows: an empty split still gets one (empty, with the schema)."""
    return max(1, -(-rows // shard_rows))


def shard_name(split: str, index: int, count: int) -> str:
    return f"{split}-{index:05d}-of-{count:05d}.parquet"


def shard_glob(split: str) -> str:
    """The card's data_files pattern for a split's shards (relative to the dataset folder)."""
    return f"parquet/{split}-*.parquet"


def write_parquet_shards(table, folder: Path, split: str, shard_rows: int) -> list[Path]:
    """``table`` cut into consecutive shards of at most ``shard_rows`` rows, in row order."""
    import pyarrow.parquet as pq

    count = shard_count(table.num_rows, shard_rows)
    written = []
    for index in range(count):
        path = folder / shard_name(split, index, count)
        # through pyarrow: datasets' own to_parquet fails on an empty split
        pq.write_table(table.slice(index * shard_rows, shard_rows), path)
        written.append(path)
    return written


def _features(columns: tuple[str, ...]):
    from datasets import Features, Value

    types = {"para_id": "int32", "score": "float32", "flagged": "bool"}
    return Features({c: Value(types.get(c, "string")) for c in columns})


def to_dataset_dict(result: BuildResult):
    from datasets import Dataset, DatasetDict

    columns: dict[str, tuple[str, ...]] = {name: PARALLEL_COLUMNS for name in PARALLEL_SPLITS}
    columns.update(monolingual=MONOLINGUAL_COLUMNS, comparable=COMPARABLE_COLUMNS)
    splits = {}
    for name, cols in columns.items():
        rows = result.splits.get(name, [])
        if not rows and name not in PARALLEL_SPLITS:
            continue  # datasets cannot load an empty split back from disk
        data = {c: [row[c] for row in rows] for c in cols}
        splits[name] = Dataset.from_dict(data, features=_features(cols))
    return DatasetDict(splits)


def write_dataset(
    result: BuildResult, out_dir: str | Path, *, overwrite: bool = False, shard_rows: int = DEFAULT_SHARD_ROWS
) -> Path:
    out_dir = Path(out_dir)
    if shard_rows < 1:
        raise InputError(f"--shard-rows {shard_rows}: a shard holds at least one row")
    if out_dir.exists() and not overwrite:
        raise OutputExistsError(f"{out_dir}: already exists; pass --overwrite to rebuild it")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with locked(out_dir):
        # staging folders of builds that were killed (their process cannot clean up) go first
        for stale in out_dir.parent.glob(f".{out_dir.name}.*"):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
        _write_staged(result, out_dir, shard_rows)
    return out_dir


def _write_staged(result: BuildResult, out_dir: Path, shard_rows: int) -> None:
    from zhbridge.corpus.export import write_tmx

    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)  # mkdtemp's 0700 would stick to the renamed dataset folder
    try:
        import datasets

        datasets.disable_progress_bars()
        dataset = to_dataset_dict(result)
        # one shard per split even when empty: an empty split saved without one cannot be loaded (IndexError)
        dataset.save_to_disk(str(staging), num_shards={name: 1 for name in dataset})
        (staging / "parquet").mkdir()
        for name, split in dataset.items():
            write_parquet_shards(split.data.table, staging / "parquet", name, shard_rows)
        pairs = [row for name in PARALLEL_SPLITS for row in result.splits[name]]
        write_tmx(staging / "zhbridge.tmx", pairs)
        write_document_alignments(result, staging / "alignments")
        atomic_write_text(staging / "README.md", dataset_card(result, dataset, shard_rows))
        atomic_write_text(staging / "build_report.json", json.dumps(build_report(result), ensure_ascii=False, indent=2) + "\n")
        _swap_into_place(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_document_alignments(result: BuildResult, folder: Path) -> None:
    """Per parallel document: sentence files and beads in the standard format, to score against gold."""
    from zhbridge.align.beads import write_beads

    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, (zh, en, beads) in result.documents.items():
        atomic_write_text(folder / f"{doc_id}.zh", "".join(s + "\n" for s in zh))
        atomic_write_text(folder / f"{doc_id}.en", "".join(s + "\n" for s in en))
        write_beads(folder / f"{doc_id}.align", beads)


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        out_dir.rename(old)
    staging.rename(out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build_report(result: BuildResult) -> dict:
    split_sizes = {name: len(rows) for name, rows in result.splits.items()}
    pairs = [row for name in PARALLEL_SPLITS for row in result.splits[name]]
    return {
        "articles": result.articles,
        "unique_articles": result.unique_articles,
        "aligned_pairs": len(pairs),
        "flagged_pairs": sum(1 for row in pairs if row["flagged"]),
        "pairs_per_bead": dict(sorted(result.bead_counts().items())),
        "split_sizes": split_sizes,
        "aligner": result.aligner,
        "repairs": result.repairs,
    }


def _size_category(n: int) -> str:
    return "n<1K" if n < 1000 else "1K<n<10K" if n < 10_000 else "10K<n<100K"


def _configs(dataset) -> str:
    lines = ["configs:", "- config_name: parallel", "  data_files:"]
    for name in PARALLEL_SPLITS:
        # an empty split's shard stays on disk, but datasets 5.2 cannot load a config naming it
        # ("BatchSize must be greater than 0", or "corresponds to no data"): the config lists the others
        if dataset[name].num_rows:
            lines += [f"  - split: {name}", f"    path: {shard_glob(name)}"]
    for name in ("monolingual", "comparable"):
        if name in dataset:
            lines += [f"- config_name: {name}", "  data_files:", "  - split: train", f"    path: {shard_glob(name)}"]
    return "\n".join(lines) + "\n"


def dataset_card(result: BuildResult, dataset, shard_rows: int = DEFAULT_SHARD_ROWS) -> str:
    report = build_report(result)
    sizes = report["split_sizes"]
    total_pairs = report["aligned_pairs"]
    bead_lines = "\n".join(f"| {kind} | {count} |" for kind, count in report["pairs_per_bead"].items())
    shards = {name: shard_count(sizes[name], shard_rows) for name in dataset}
    split_lines = "\n".join(f"| {name} | {sizes[name]} | {shards[name]} |" for name in dataset)
    # the Python block under "Loading" is written as ruff format leaves it: the shipped card is in the linted tree
    return f"""---
language:
- zh
- en
license: other
license_name: news-excerpts-research-use
pretty_name: zhbridge micro-short-drama zh–en corpus
task_categories:
- translation
size_categories:
- {_size_category(total_pairs + sizes.get("monolingual", 0))}
{_configs(dataset)}---

# zhbridge micro-short-drama corpus (zh–en)

Chinese news coverage (late 2025 – early 2026) of the micro-short-drama (微短剧) industry centred
on Zhengzhou ("竖店"), built by `zhbridge corpus build` from `corpus/raw/` (see `corpus/manifest.tsv`).

## Contents

- **parallel** (`train`, `validation`, `test`): sentence pairs aligned from the one truly parallel
  article (Chinese paragraph followed by its published English translation).
  {total_pairs} pairs, {report["flagged_pairs"]} flagged for review.
- **monolingual**: Chinese-only paragraphs (article titles and bodies): the input of batch
  translation and term extraction. {sizes.get("monolingual", 0)} paragraphs.
- **comparable**: English "Core Insights" summaries written about Chinese articles. They are
  *not* translations and are never aligned as pairs. {sizes.get("comparable", 0)} summaries.

Articles: {report["articles"]} raw, {report["unique_articles"]} unique (the same story on two
clipping pages is kept once; the manifest's `duplicate_of` column records the other copy).

| split | rows | Parquet shards |
|---|---|---|
{split_lines}

Pairs per bead type (zh sentences – en sentences):

| bead | pairs |
|---|---|
{bead_lines}

## Columns (parallel splits)

`id`, `doc_id` (manifest id), `para_id` (paragraph bead in the document), `zh`, `en`,
`bead` (e.g. `1-2`: one Chinese sentence, two English), `score` (aligner confidence in [0, 1]),
`flagged` (score below {FLAG_THRESHOLD} or an unaligned sentence: kept, but review before use),
`source` (seed file and line range), `section` (the split the section belongs to).

## Split rule

{SPLIT_RULE}

## How it was built

Normalization repairs only publishing artefacts (hard-wrapped PDF lines, headlines printed twice,
zh+en captions glued on one line, a stray letter, half-width punctuation in Chinese, BOM and
zero-width characters); every repair is listed in `build_report.json`. Chinese sentences are split
with HanLP's rule-based splitter, English with a blank spaCy pipeline's sentencizer. Paragraphs are
paired by the document's layout; sentences inside them by zhbridge's aligner: {result.aligner}.

## Provenance and licence

The texts are excerpts of Chinese news media (publishers named per article in the manifest),
collected for research on terminology and translation. Copyright stays with the publishers; the
corpus is shared for research and evaluation, not for republication. zhbridge's code is Apache-2.0.

## Files

`load_from_disk` reads the Arrow folders (one per split). The Parquet copies in `parquet/` are
sharded the Hugging Face Hub way, `<split>-00000-of-0000N.parquet`, at most {shard_rows:,} rows
per shard ({sum(shards.values())} files; `zhbridge corpus build --shard-rows` sets the size); the
`configs` above point at every shard of a split with a glob such as `{shard_glob("train")}` (an empty
split keeps its one empty shard but is left out of them: `datasets` cannot load an empty split).
`zhbridge.tmx` holds the parallel pairs, `alignments/` the sentence beads per parallel document,
`build_report.json` the counts and every normalization repair.

## Loading

```python
import datasets

ds = datasets.load_from_disk("corpus/dataset")  # DatasetDict, all splits
parallel = datasets.load_dataset("corpus/dataset", "parallel")  # from the Parquet shards
```
"""
