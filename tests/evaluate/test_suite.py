"""evaluate_systems: refuses inconsistent input before scoring anything."""

from __future__ import annotations

import pytest

from zhbridge.evaluate.suite import evaluate_systems
from zhbridge.io import InputError


def test_mismatched_system_is_refused():
    with pytest.raises(InputError, match="system 'b': 1 lines but reference 1 has 2"):
        evaluate_systems({"a": ["x", "y"], "b": ["x"]}, [["x", "y"]], metrics=["BLEU"])


def test_mismatched_doc_ids_are_refused():
    with pytest.raises(InputError, match="doc ids: 3 lines"):
        evaluate_systems({"a": ["x", "y"]}, [["x", "y"]], doc_ids=["d", "d", "e"], metrics=["BLEU"])


def test_glossary_needs_source():
    with pytest.raises(ValueError, match="source"):
        evaluate_systems({"a": ["x"]}, [["x"]], glossary=object(), metrics=["BLEU"])


def test_metric_choice_and_no_significance():
    ev = evaluate_systems({"a": ["the cat sat"], "b": ["a dog ran"]}, [["the cat sat"]], metrics=["chrF++"], significance="bs")
    assert ev.metrics == ("chrF++",) and set(ev.systems[0].scores) == {"chrF++"}
    assert ev.significance is None and "skipped" in ev.notes[0]  # paired tests run on BLEU/chrF only
