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

from zhbridge.corpus.build import FLAG_THRESHOLD, LEGACY_TEST, SPLIT_RULE, BuildResult
from zhbridge.io import InputError, OutputExistsError, atomic_write_text, locked

PARALLEL_SPLITS = ("train", "validation", "test")
PARALLEL_COLUMNS = ("id", "doc_id", "para_id", "zh", "en", "bead", "score", "flagged", "source", "section", "translation")
# who wrote the English of a pair: the publisher (a bilingual page), or the zhbridge project
TRANSLATIONS = ("published", "project")
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
        import pyarrow.compute

        datasets.disable_progress_bars()
        dataset = to_dataset_dict(result)
        # one shard per split even when empty: an empty split saved without one cannot be loaded (IndexError)
        dataset.save_to_disk(str(staging), num_shards={name: 1 for name in dataset})
        (staging / "parquet").mkdir()
        for name, split in dataset.items():
            write_parquet_shards(split.data.table, staging / "parquet", name, shard_rows)
        for kind in TRANSLATIONS:  # one config per provenance, so a researcher can take published pairs only
            for name in PARALLEL_SPLITS:
                table = dataset[name].data.table
                only = table.filter(pyarrow.compute.equal(table["translation"], kind))
                write_parquet_shards(only, staging / "parquet", f"{kind}-{name}", shard_rows)
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
        "pairs_per_translation": {
            name: {kind: sum(1 for row in result.splits[name] if row["translation"] == kind) for kind in TRANSLATIONS}
            for name in PARALLEL_SPLITS
        },
        "articles_per_split": {name: sorted({row["doc_id"] for row in result.splits[name]}) for name in PARALLEL_SPLITS},
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
    for kind in TRANSLATIONS:
        counts = {name: sum(1 for t in dataset[name]["translation"] if t == kind) for name in PARALLEL_SPLITS}
        if any(counts.values()):
            lines += [f"- config_name: {kind}", "  data_files:"]
            lines += [f"  - split: {n}\n    path: {shard_glob(f'{kind}-{n}')}" for n in PARALLEL_SPLITS if counts[n]]
    for name in ("monolingual", "comparable"):
        if name in dataset:
            lines += [f"- config_name: {name}", "  data_files:", "  - split: train", f"    path: {shard_glob(name)}"]
    return "\n".join(lines) + "\n"


def _article_list(ids: list[str]) -> str:
    return ", ".join(f"`{doc}`" for doc in ids) if ids else "none"


def dataset_card(result: BuildResult, dataset, shard_rows: int = DEFAULT_SHARD_ROWS) -> str:
    report = build_report(result)
    sizes = report["split_sizes"]
    total_pairs = report["aligned_pairs"]
    per_kind = report["pairs_per_translation"]
    articles = report["articles_per_split"]
    kind_total = {kind: sum(per_kind[name][kind] for name in PARALLEL_SPLITS) for kind in TRANSLATIONS}
    docs_of = {
        kind: sorted({row["doc_id"] for name in PARALLEL_SPLITS for row in result.splits[name] if row["translation"] == kind})
        for kind in TRANSLATIONS
    }
    bead_lines = "\n".join(f"| {kind} | {count} |" for kind, count in report["pairs_per_bead"].items())
    shards = {name: shard_count(sizes[name], shard_rows) for name in dataset}
    split_lines = "\n".join(
        f"| {name} | {sizes[name]} | "
        + (
            f"{per_kind[name]['published']} | {per_kind[name]['project']} | {len(articles[name])} |"
            if name in PARALLEL_SPLITS
            else "| | |"
        )
        + f" {shards[name]} |"
        for name in dataset
    )
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

Chinese news coverage and bilingual posts (mostly 2025 – early 2026) of the micro-short-drama (微短剧) industry centred
on Zhengzhou ("竖店"), built by `zhbridge corpus build` from `corpus/raw/` (see `corpus/manifest.tsv`).

## Contents

- **parallel** (`train`, `validation`, `test`): {total_pairs} Chinese–English sentence pairs,
  {report["flagged_pairs"]} flagged for review. The column `translation` says who wrote the English:
  - `published` ({kind_total["published"]} pairs, articles {_article_list(docs_of["published"])}): the
    publisher's own English, printed beside the Chinese on a bilingual page, aligned by zhbridge's aligner;
  - `project` ({kind_total["project"]} pairs, {len(docs_of["project"])} articles): Chinese-only articles
    translated by the zhbridge project (see *Who translated what*).
  The configs `published` and `project` hold each kind alone; `parallel` holds both.
- **monolingual**: Chinese-only paragraphs (article titles and bodies): the input of batch
  translation and term extraction. {sizes.get("monolingual", 0)} paragraphs. They include the Chinese of
  project-translated articles, test articles too: do not train on the monolingual rows of test articles.
- **comparable**: English "Core Insights" summaries written about Chinese articles. They are
  *not* translations and are never aligned as pairs. {sizes.get("comparable", 0)} summaries.

Articles: {report["articles"]} raw, {report["unique_articles"]} unique (the same story on two
pages is kept once; the manifest's `duplicate_of` column records the other copy).

| split | rows | published | project | articles | Parquet shards |
|---|---|---|---|---|---|
{split_lines}

Pairs per bead type (zh sentences – en sentences; project pairs are 1-1 by construction):

| bead | pairs |
|---|---|
{bead_lines}

## Who translated what

- **published**: the English as the publisher printed it (publisher, date, address and terms per
  article in the manifest's `publisher`, `date`, `url`, `licence` columns). It was not edited; only
  sentence alignment is zhbridge's.
- **project**: written by the zhbridge project's engineers, an AI model working as project engineer,
  one English sentence per Chinese sentence, as a newspaper's English edition would translate
  (names in pinyin, the glossary's preferred renderings, every number and date kept). Not professionally
  post-edited. Files, method and guideline: `corpus/translations/project/` and its README. Each Chinese
  sentence there is checked against the raw article when the corpus is built; `score` is 1.0 and
  `flagged` false for these pairs (no aligner decided them).

## Columns (parallel splits)

`id`, `doc_id` (manifest id), `para_id` (paragraph in the document), `zh`, `en`,
`bead` (e.g. `1-2`: one Chinese sentence, two English), `score` (aligner confidence in [0, 1]),
`flagged` (score below {FLAG_THRESHOLD} or an unaligned sentence: kept, but review before use),
`source` (seed file and line range, or the page address), `section` (the split the article belongs to),
`translation` (`published` or `project`).

## Split rule

{SPLIT_RULE}

- train: {len(articles["train"])} articles
- validation: {_article_list(articles["validation"])}
- test: {_article_list(articles["test"])}

The test split is the in-domain test set: nothing in zhbridge trains on it (`zhbridge train` takes
`train`, and `validation` for checkpoints). History: the earlier split cut each parallel document by
position, and its test split was {LEGACY_TEST}.

## How it was built

Normalization repairs only publishing artefacts (hard-wrapped PDF lines, headlines printed twice,
zh+en captions glued on one line, a stray letter, half-width punctuation in Chinese, BOM and
zero-width characters); every repair is listed in `build_report.json`. Chinese sentences are split
with HanLP's rule-based splitter, English with a blank spaCy pipeline's sentencizer. Paragraphs are
paired by the document's layout; sentences inside them by zhbridge's aligner: {result.aligner}.

## Provenance and licence

The texts are excerpts of Chinese news media and bilingual posts (publisher, address and the terms
each is kept under are named per article in the manifest), collected for research on terminology and
translation. Copyright stays with the publishers; the corpus is shared for research and evaluation,
not for republication. The project translations are the zhbridge project's work, shared with the
corpus on the same terms. zhbridge's code is Apache-2.0.

## Files

`load_from_disk` reads the Arrow folders (one per split). The Parquet copies in `parquet/` are
sharded the Hugging Face Hub way, `<split>-00000-of-0000N.parquet`, at most {shard_rows:,} rows
per shard ({sum(shards.values())} files for the splits; `zhbridge corpus build --shard-rows` sets the size),
with `published-<split>-…` and `project-<split>-…` copies for the two provenance configs; the
`configs` above point at every shard of a split with a glob such as `{shard_glob("train")}` (an empty
split keeps its one empty shard but is left out of them: `datasets` cannot load an empty split).
`zhbridge.tmx` holds the parallel pairs, `alignments/` the sentence beads per published parallel document,
`build_report.json` the counts and every normalization repair.

## Loading

```python
import datasets

ds = datasets.load_from_disk("corpus/dataset")  # DatasetDict, all splits
parallel = datasets.load_dataset("corpus/dataset", "parallel")  # from the Parquet shards
published = datasets.load_dataset("corpus/dataset", "published")  # the publishers' own translations only
```
"""
