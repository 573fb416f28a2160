"""Fixtures for the evaluation tests: small WMT slices vendored under tests/data/wmt (see its README)."""

from __future__ import annotations

from pathlib import Path

import pytest

WMT_DIR = Path(__file__).resolve().parents[1] / "data" / "wmt"


@pytest.fixture(scope="session")
def wmt23_slice() -> dict[str, Path]:
    """The first 60 lines of the WMT23 zh→en source, reference and three systems."""
    year = WMT_DIR / "wmt23"
    return {
        "src": year / "src.zh",
        "ref": year / "ref.A.en",
        **{name: year / f"{name}.en" for name in ("GPT4-5shot", "ONLINE-A", "NLLB_Greedy")},
    }


@pytest.fixture(scope="session")
def wmt22_slice() -> dict[str, Path]:
    """The first 60 lines of WMT22's two references and one system."""
    year = WMT_DIR / "wmt22"
    return {"refA": year / "ref.A.en", "refB": year / "ref.B.en", "sys": year / "Online-B.en"}
