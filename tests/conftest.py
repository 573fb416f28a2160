"""Validators for the exchange formats zhbridge writes, from the official schemas vendored in tests/data/schemas."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

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
