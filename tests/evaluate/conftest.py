"""Fixtures for the evaluation tests: slices of the WMT benchmark copied to tmp files."""
from __future__ import annotations

from pathlib import Path

import pytest

from zhbridge.paths import BENCH_DIR

WMT_DIR = BENCH_DIR / "wmt"
MISSING = "benchmark data missing: {} (put shared/ beside the repository or set ZHBRIDGE_SHARED)"
SLICE = 200  # enough segments for stable statistics, few enough to keep the suite fast


def _head(src: Path, dst: Path, n: int) -> Path:
    lines = src.read_text(encoding="utf-8").split("\n")[:n]
    dst.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dst


@pytest.fixture(scope="session")
def wmt23_slice(tmp_path_factory) -> dict[str, Path]:
    """The first SLICE lines of the WMT23 source, reference and three systems."""
    year = WMT_DIR / "wmt23"
    if not year.is_dir():
        pytest.fail(MISSING.format(year))
    out = tmp_path_factory.mktemp("wmt23")
    files = {"src": _head(year / "src.zh", out / "src.zh", SLICE),
             "ref": _head(year / "ref.A.en", out / "ref.A.en", SLICE)}
    for name in ("GPT4-5shot", "ONLINE-A", "NLLB_Greedy"):
        files[name] = _head(year / "sys" / f"{name}.en", out / f"{name}.en", SLICE)
    return files


@pytest.fixture(scope="session")
def wmt22_slice(tmp_path_factory) -> dict[str, Path]:
    """The first SLICE lines of WMT22's two references and one system."""
    year = WMT_DIR / "wmt22"
    if not year.is_dir():
        pytest.fail(MISSING.format(year))
    out = tmp_path_factory.mktemp("wmt22")
    return {"refA": _head(year / "ref.A.en", out / "ref.A.en", SLICE),
            "refB": _head(year / "ref.B.en", out / "ref.B.en", SLICE),
            "sys": _head(year / "sys" / "Online-B.en", out / "Online-B.en", SLICE)}
