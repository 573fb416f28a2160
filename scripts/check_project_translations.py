"""Validate the project translations in corpus/translations/project/<doc_id>.tsv.

Each file is UTF-8, no header, one line per Chinese sentence: ``para<TAB>zh<TAB>en``.
``para`` is the ``para_id`` of the paragraph in the built dataset's ``monolingual``
split, i.e. the index of the paragraph among the Chinese paragraphs that
``zhbridge corpus build`` reads from ``corpus/raw/<doc_id>.txt`` (for a clipping
article: 0 = title, 1 = body; the ``publisher· date`` header is not a paragraph).
``zh`` is one sentence of that *normalized* paragraph exactly as
``zhbridge.text.segment.split_zh`` returns it.

Checks, per file:
- the doc id has a manifest row and a raw file;
- every line has three tab-separated fields, an integer para, no empty side;
- the zh sentences are exactly the split_zh sentences of every paragraph, in order
  (nothing left out, nothing added);
- numbers written with Arabic digits in zh appear in en (万/亿, and Traditional 萬/億,
  converted: 3万 -> 30,000 or 30 thousand; 100亿 -> 10 billion; 5月 -> May, 3-4月 ->
  March-April; 1-10 may be spelled out; "1,300万" read as 1300万; 07 compared as 7);
- with --dataset (default: the workspace's corpus/dataset), the paragraphs agree
  with the shipped dataset, so a stale build is noticed.

    python scripts/check_project_translations.py [--dir corpus/translations/project] [--corpus-dir corpus]

Prints one line per problem (``file:line: message``) and exits 1 if there is any;
exit 2 on unreadable input.
"""

from __future__ import annotations

import argparse
import re
import sys
from decimal import Decimal
from pathlib import Path

from zhbridge import paths
from zhbridge.corpus.build import BuildResult, _add_monolingual  # the build's own reading, not a copy of it
from zhbridge.corpus.manifest import read_manifest
from zhbridge.io import InputError, read_text
from zhbridge.text.segment import split_zh

MONTHS = "January February March April May June July August September October November December".split()
# spelled out by style (one to nine) or at the start of a sentence ("Fifteen lines ...")
SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
    " sixteen seventeen eighteen nineteen twenty"
).split()
# a number in Chinese text (thousands commas allowed), with an optional 万/亿 multiplier (Simplified or
# Traditional; "1300多万" is over 13 million) and what follows it (月 makes it a month)
_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_MULT = r"(万亿|萬億|万|萬|亿|億)"
_ZH_NUMBER = re.compile(rf"(?<![\d.,A-Za-z])({_NUM})(?:[多余餘]?{_MULT}|(月))?")
# in a range the first number shares the second's unit: "3-4月" (March-April), "45至68万" (450,000 to 680,000)
_ZH_RANGE = re.compile(rf"(?<![\d.,])({_NUM})[-~～－–—至到]{_NUM}[多余餘]?(?:{_MULT}|(月))")
# 2026-02-11: the middle number is a month
_ZH_ISO_MONTH = re.compile(r"(?<!\d)\d{4}[-/.](\d{1,2})[-/.]\d")
# two-digit years: 70年代 (the 1970s), 00后 (born after 2000), 22年 (2022)
_ZH_SHORT_YEAR = re.compile(r"(?<![\d.,])(\d{2})(?:年代|后|後|年)")
_MULTIPLIERS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "万亿": 10**12, "萬億": 10**12, None: 1}
_EN_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
# zero padding is not a difference: "07" in either text is compared as 7 (decimals like 0.5 untouched)
_ZERO_PADDED = re.compile(r"(?<![\d.,])0+(?=\d)")


def source_paragraphs(corpus_dir: Path, doc_id: str) -> list[str]:
    """The Chinese paragraphs of one document as ``zhbridge corpus build`` reads them (index = para_id)."""
    rows = {row.id: row for row in read_manifest(corpus_dir / "manifest.tsv")}
    if doc_id not in rows:
        raise InputError(f"{doc_id}: no row in {corpus_dir / 'manifest.tsv'}")
    row = rows[doc_id]
    raw = corpus_dir / row.file
    if not raw.is_file():
        raise InputError(f"{doc_id}: raw file {raw} missing")
    result = BuildResult(splits={"monolingual": [], "comparable": []})
    _add_monolingual(result, row, read_text(raw))
    return [r["zh"] for r in result.splits["monolingual"]]


def dataset_paragraphs(dataset_dir: Path) -> dict[str, list[str]]:
    """doc_id -> paragraphs of the built dataset's monolingual split, by para_id."""
    import pyarrow.parquet as pq

    shards = sorted((dataset_dir / "parquet").glob("monolingual-*.parquet"))
    found: dict[str, dict[int, str]] = {}
    for shard in shards:
        for r in pq.read_table(shard, columns=["doc_id", "para_id", "zh"]).to_pylist():
            found.setdefault(r["doc_id"], {})[r["para_id"]] = r["zh"]
    return {doc: [paras[i] for i in sorted(paras)] for doc, paras in found.items()}


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def number_renderings(number: str, multiplier: str | None, month: str | None, range_start: bool = False) -> set[str]:
    """Ways an English newspaper writes this number (after removing thousands commas)."""
    if month and not multiplier:
        n = int(number.split(".")[0])
        return {MONTHS[n - 1]} if 1 <= n <= 12 else {number}
    value = Decimal(number) * _MULTIPLIERS[multiplier]
    forms = {_fmt(value)}
    for word, scale in (("thousand", 10**3), ("million", 10**6), ("billion", 10**9), ("trillion", 10**12)):
        if value >= scale:
            forms.update({f"{_fmt(value / scale)} {word}", f"{_fmt(value / scale)}-{word}"})
            if range_start:  # "35 to 36 billion"
                forms.add(_fmt(value / scale))
    if value == value.to_integral_value() and value <= 20:
        forms.add(SMALL[int(value)])
        if value == 1:
            forms.update({"a ", "an ", "one", "single", "first"})
    return forms


def missing_numbers(zh: str, en: str) -> list[str]:
    """Numbers of zh with none of their renderings in en."""
    plain = _ZERO_PADDED.sub("", _EN_THOUSANDS.sub("", en))
    lowered = plain.lower()
    ranges = {m.start(1): (m.group(2), m.group(3)) for m in _ZH_RANGE.finditer(zh)}
    iso_months = {m.start(1) for m in _ZH_ISO_MONTH.finditer(zh)}
    short_years = {m.start(1) for m in _ZH_SHORT_YEAR.finditer(zh)}
    missing = []
    for m in _ZH_NUMBER.finditer(zh):
        number = _ZERO_PADDED.sub("", m.group(1).replace(",", ""))
        multiplier, month = m.group(2), m.group(3)
        shared = ranges.get(m.start(1))
        if shared and not multiplier and not month:
            multiplier, month = shared
        if m.start(1) in iso_months:
            month = "月"
        forms = number_renderings(number, multiplier, month, range_start=shared is not None)
        if m.start(1) in iso_months:
            forms.add(number)  # the date kept as 2026-01-07
        if m.start(1) in short_years:
            forms |= {f"19{m.group(1)}", f"20{m.group(1)}", f"'{m.group(1)}"}
        if not any(re.search(rf"(?<![\d.]){re.escape(f.lower())}(?![\d])", lowered) for f in forms):
            missing.append(m.group(0))
    return missing


def check_file(path: Path, corpus_dir: Path, dataset: dict[str, list[str]] | None) -> list[str]:
    problems: list[str] = []
    doc_id = path.stem
    try:
        paragraphs = source_paragraphs(corpus_dir, doc_id)
    except InputError as err:
        return [f"{path}: {err}"]
    if dataset is not None and doc_id in dataset and dataset[doc_id] != paragraphs:
        problems.append(f"{path}: paragraphs of corpus/raw/{doc_id}.txt differ from the built dataset (stale build?)")
    expected = [(i, s) for i, p in enumerate(paragraphs) for s in split_zh(p)]
    got: list[tuple[int, str]] = []
    for n, line in enumerate(read_text(path).split("\n"), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        where = f"{path}:{n}"
        if len(fields) != 3:
            problems.append(f"{where}: {len(fields)} tab-separated fields, expected 3 (para, zh, en)")
            continue
        para, zh, en = fields
        if not para.isdigit():
            problems.append(f"{where}: para {para!r} is not a paragraph index")
            continue
        if not zh.strip() or not en.strip():
            problems.append(f"{where}: empty {'zh' if not zh.strip() else 'en'} side")
        if en != en.strip() or zh != zh.strip():
            problems.append(f"{where}: leading/trailing spaces")
        for number in missing_numbers(zh, en):
            problems.append(f"{where}: number {number!r} of zh not found in en")
        got.append((int(para), zh))
    for k, (want, have) in enumerate(zip(expected, got)):
        if want != have:
            problems.append(f"{path}: sentence {k + 1} is {have!r}, expected {want!r} (split_zh of paragraph {want[0]})")
            break  # one misalignment shifts every line after it
    if len(got) != len(expected):
        problems.append(f"{path}: {len(got)} sentences, the document has {len(expected)}")
    return problems


def check_dir(directory: Path, corpus_dir: Path, dataset_dir: Path | None) -> tuple[list[str], int, int]:
    """Problems, files checked and sentence pairs checked."""
    files = sorted(directory.glob("*.tsv"))
    if not files:
        raise InputError(f"{directory}: no .tsv translation files")
    dataset = dataset_paragraphs(dataset_dir) if dataset_dir is not None and dataset_dir.is_dir() else None
    problems: list[str] = []
    pairs = 0
    for path in files:
        problems += check_file(path, corpus_dir, dataset)
        pairs += sum(1 for line in read_text(path).split("\n") if line.strip())
    return problems, len(files), pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=paths.CORPUS_DIR / "translations" / "project")
    parser.add_argument("--corpus-dir", type=Path, default=paths.CORPUS_DIR)
    parser.add_argument("--dataset", type=Path, default=paths.DATASET_DIR, help="built dataset to compare with")
    parser.add_argument("--no-dataset", action="store_true", help="do not compare with the built dataset")
    args = parser.parse_args(argv)
    try:
        problems, files, pairs = check_dir(args.dir, args.corpus_dir, None if args.no_dataset else args.dataset)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem)
    print(f"{files} files, {pairs} sentence pairs, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
