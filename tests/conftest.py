"""Validators for the exchange formats zhbridge writes, from the official schemas vendored in tests/data/schemas."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from zhbridge.terms.glossary import Entry, Glossary, save_glossary

# Property tests are deterministic by default, so CI never fails on a case nobody can reproduce: the same
# examples every run, and no example database. HYPOTHESIS_PROFILE=explore draws fresh random cases locally
# (a failure found that way becomes an @example on the test).
settings.register_profile("ci", derandomize=True, database=None, max_examples=40, print_blob=True)
settings.register_profile("explore", derandomize=False, database=None, max_examples=200, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SCHEMAS = Path(__file__).parent / "data" / "schemas"


def _checker(validator):
    from lxml import etree

    def check(data: bytes) -> None:
        assert validator.validate(etree.fromstring(data)), validator.error_log.filter_from_errors()

    return check


@pytest.fixture(scope="session")
def check_xliff():
    """Asserts that bytes are valid against the XLIFF 1.2 strict XSD (xml.xsd import pointed at the local copy)."""
    from lxml import etree

    xsd = etree.parse(str(SCHEMAS / "xliff-core-1.2-strict.xsd"))
    for node in xsd.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
        node.set("schemaLocation", (SCHEMAS / "xml.xsd").resolve().as_uri())
    return _checker(etree.XMLSchema(xsd))


@pytest.fixture(scope="session")
def check_tmx():
    """Asserts that bytes are valid against the TMX 1.4 DTD."""
    from lxml import etree

    return _checker(etree.DTD(str(SCHEMAS / "tmx14.dtd")))


@pytest.fixture(scope="module")
def ray_cluster():
    """A real local Ray cluster for the --engine ray tests (2 CPUs, no dashboard); its address; stopped after the module."""
    import ray

    ray.init(num_cpus=2, include_dashboard=False, configure_logging=False)
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()


# Small glossaries built inside the tests (never the shipped file, which other work edits); used by
# tests/terms and tests/cli/test_glossary.py.
def make_entries() -> list[Entry]:
    return [
        Entry(
            "微短剧",
            "mini series",
            ("micro-short drama", "short drama"),
            "wēi duǎn jù",
            "industry term",
            "published in 002",
            "002",
        ),
        Entry("微短剧+", "mini series+", ("mini-series +",), "wēi duǎn jù+", "policy/slogan", "published in 002", "002"),
        Entry(
            "微短剧创作之都",
            "Mini Series Creation Hub",
            ("Mini Series Creation Capital",),
            "wēi duǎn jù chuàng zuò zhī dōu",
            "policy/slogan",
            "published",
            "002",
        ),
        Entry(
            "郑州市打造“微短剧创作之都”工作实施方案（2025—2027年）",
            'Implementation Plan for Building Zhengzhou into a "Mini Series Creation Hub" (2025–2027)',
            (),
            "zhèng zhōu shì dǎ zào “wēi duǎn jù chuàng zuò zhī dōu” gōng zuò shí shī fāng àn （2025—2027 nián）",
            "policy/slogan",
            "published",
            "002",
        ),
        Entry(
            "竖店", 'Shudian ("vertical-screen Hengdian")', ("Shudian",), "shù diàn", "nickname", "no published rendering", "000"
        ),
        Entry("横店", "Hengdian", (), "héng diàn", "place", "published", "002"),
        Entry("郑州", "Zhengzhou", (), "zhèng zhōu", "place", "published", "002"),
        Entry(
            "郑州大志影视基地",
            "Zhengzhou Dazhi Film and Television Base",
            (),
            "zhèng zhōu dà zhì yǐng shì jī dì",
            "base/studio",
            "published",
            "002",
        ),
        Entry("AIGC", "AIGC", ("AI-generated content",), "AIGC", "industry term", "published", "002"),
    ]


@pytest.fixture
def entries() -> list[Entry]:
    return make_entries()


@pytest.fixture
def glossary(entries) -> Glossary:
    return Glossary(entries)


@pytest.fixture
def glossary_file(tmp_path, entries):
    path = tmp_path / "glossary.tsv"
    save_glossary(entries, path)
    return path
