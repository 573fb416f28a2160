"""Where the shipped data lives in a checkout (the package is installed from the repo, editable)."""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# the evaluation benchmarks live outside the repository: shared/ beside it, or wherever $ZHBRIDGE_SHARED says
SHARED_DIR = Path(os.environ.get("ZHBRIDGE_SHARED") or REPO_ROOT.parent / "shared")
BENCH_DIR = SHARED_DIR / "bench"
CORPUS_DIR = REPO_ROOT / "corpus"
RAW_DIR = CORPUS_DIR / "raw"
GOLD_DIR = CORPUS_DIR / "gold"
DATASET_DIR = CORPUS_DIR / "dataset"
MANIFEST = CORPUS_DIR / "manifest.tsv"
DEFAULT_GLOSSARY = CORPUS_DIR / "glossary" / "glossary.tsv"
MODELS_DIR = REPO_ROOT / "models"
DEFAULT_MODEL = MODELS_DIR / "zhbridge-default"
