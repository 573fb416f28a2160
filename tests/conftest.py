"""Validators for the exchange formats zhbridge writes, from the official schemas vendored in tests/data/schemas."""
from __future__ import annotations

from pathlib import Path

import pytest

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
