"""Where zhbridge reads and writes its data by default: the workspace rule.

The workspace is ``$ZHBRIDGE_WORKSPACE`` or else the working directory. Default outputs (a built
dataset, glossary edits, added documents) always go into the workspace's ``corpus/``, never into the
install location. Default inputs come from the workspace when it has them, else from the data shipped
in the checkout zhbridge was installed from (editable install), read-only. A non-editable install
ships no data: it works on the workspace alone.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# the evaluation benchmarks live outside the repository: shared/ beside it, or wherever $ZHBRIDGE_SHARED says
SHARED_DIR = Path(os.environ.get("ZHBRIDGE_SHARED") or REPO_ROOT.parent / "shared")
BENCH_DIR = SHARED_DIR / "bench"

WORKSPACE = Path(os.environ.get("ZHBRIDGE_WORKSPACE") or os.getcwd()).resolve()
SHIPPED_ROOT = REPO_ROOT if (REPO_ROOT / "corpus" / "manifest.tsv").is_file() else None


def readable(relative: str) -> Path:
    """The workspace's copy of ``relative`` if it has one, else the shipped copy, else the workspace path."""
    here = WORKSPACE / relative
    if here.exists() or SHIPPED_ROOT is None or not (SHIPPED_ROOT / relative).exists():
        return here
    return SHIPPED_ROOT / relative


# inputs (workspace first, shipped data as fallback)
CORPUS_DIR = readable("corpus")
RAW_DIR = CORPUS_DIR / "raw"
GOLD_DIR = readable("corpus/gold")
DATASET_DIR = readable("corpus/dataset")
MANIFEST = CORPUS_DIR / "manifest.tsv"
DEFAULT_GLOSSARY = readable("corpus/glossary/glossary.tsv")
MODELS_DIR = readable("models")
DEFAULT_MODEL = readable("models/zhbridge-default")

# outputs (always the workspace)
WORKSPACE_CORPUS = WORKSPACE / "corpus"
WORKSPACE_DATASET = WORKSPACE_CORPUS / "dataset"
WORKSPACE_GLOSSARY = WORKSPACE_CORPUS / "glossary" / "glossary.tsv"

# The long-form prose sets of corpus/training/parallel (news, UN, Wikipedia, COVID-19 articles), by folder name: the
# background of term discovery (terms.extract) and the sets the default training mix upweights (train.data).
PROSE_SETS = (
    "newstest2017_zhen",
    "newstest2018_zhen",
    "newstest2019_zhen",
    "newstest2020_zhen",
    "newstest2019_enzh",
    "newstest2020_enzh",
    "ntrex128",
    "wmt22_enzh_refB",
    "wmt24_enzh",
    "un_v1_dev_test",
    "xquad",
    "tico19",
    "ud_pud",
)
