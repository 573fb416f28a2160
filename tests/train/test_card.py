"""The model card is rendered from run.json alone: every number in it comes from the record."""

from __future__ import annotations

import pytest

from zhbridge.train.card import add_section, known_limits, render, write_card


@pytest.fixture()
def record() -> dict:
    return {
        "base": "models/zhbridge-general",
        "config": {"metric": "chrf", "lr": 0.0003, "warmup": 0.001},
        "options": {"term_annotate": False},
        "data": {
            "sources": {"in-domain": 1237, "glossary": 800},
            "leakage": {"in-domain": {"dropped_exact": 3, "dropped_near": 5}},
            "validation": {"pairs": 12, "from": "corpus validation split"},
            "test": {"pairs": 301, "from": "corpus test split"},
            "vocabulary": "inherited from the base",
        },
        "training": {
            "device": "cpu",
            "host": "box",
            "steps": 500,
            "epochs": 2,
            "train_wall_s": 1234.5,
            "stopped_by": "early stopping",
            "best_validation": 38.6,
            "best_step": 400,
            "history": [
                {"step": 0, "epoch": 0, "chrf": 32.93, "bleu": 9.1, "loss": None},
                {"step": 400, "epoch": 1.6, "chrf": 38.6, "bleu": 12.25, "loss": 1.2345},
            ],
        },
        "test": {
            "pairs": 301,
            "beams": 4,
            "scores": {"chrF": {"score": 38.604, "signature": "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0"}},
            "terms": {"correct": 45, "total": 50, "accuracy": 0.9},
        },
        "total_wall_s": 1500,
        "lineage": {
            "runs": [
                {
                    "date": "2026-12-01",
                    "out": "/x/models/zhbridge-general",
                    "base": "scratch",
                    "steps": 10697,
                    "epochs": 3,
                    "tokens": 1234567,
                    "cpu_hours": 6.0,
                    "wall_hours": 6.1,
                    "device": "cpu",
                    "data": {"news": 130000},
                }
            ],
            "totals": {"steps": 11197, "tokens": 2345678, "cpu_hours": 6.5, "wall_hours": 6.6},
        },
    }


def test_render_takes_every_number_from_the_record(record):
    card = render(record)
    assert card.startswith("---\nlanguage:\n- zh\n- en\n")
    assert "# zhbridge model\n" in card  # no name in the record
    assert "- base: models/zhbridge-general" in card
    assert "| in-domain | 1237 | 3 | 5 |" in card and "| glossary | 800 | 0 | 0 |" in card
    assert "- validation: 12 pairs (corpus validation split)" in card
    assert "- vocabulary: inherited from the base" in card
    assert "| lr | 0.00 |" not in card and "| lr | 0.0003 |" in card  # small floats keep their digits
    assert "| term_annotate | False |" in card
    assert "- training: 500 steps, 2 epochs, 1234.5 s wall-clock, stopped by early stopping" in card
    assert "- best validation chrf: 38.60 at step 400" in card
    assert "| 2026-12-01 | zhbridge-general | scratch | 10697 | 3 | 1,234,567 | 6.0 | 6.1 | cpu | news 130000 |" in card
    assert "| **total** | | | 11,197 | | 2,345,678 | 6.5 | 6.6 | | |" in card
    assert "| step | epoch | chrf | bleu | train loss |" in card
    assert "| 400 | 1.6 | 38.60 | 12.25 | 1.23 |" in card
    assert "Before → after (step 0 = the starting weights, greedy decoding): chrf 32.93 → 38.60; bleu 9.10 → 12.25" in card
    assert "| chrF | 38.60 | `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0` |" in card
    assert "45/50 = 90.00%" in card
    assert card.index("## Known limits") > card.index("## Scores")
    assert all(f"- {limit}" in card for limit in known_limits(record))
    assert "training pairs: 1,237 in-domain + 800 glossary" in card
    assert "The in-domain test split is 301 segments" in card  # the limits quote this run's sizes, not typed ones


def test_render_without_optional_parts(record):
    del record["lineage"], record["test"]["terms"], record["data"]["vocabulary"]
    record["training"]["history"] = []
    card = render({**record, "name": "tiny"})
    assert "# tiny\n" in card
    assert "Term accuracy: not measured" in card
    assert "Every run that led" not in card and "Validation history" not in card and "vocabulary" not in card


def test_write_card_adds_samples_and_keeps_private_keys_out(record, tmp_path):
    model = tmp_path / "zhbridge-test"
    model.mkdir()
    pairs = [("竖店|很大", "Shudian is\nbig"), ("郑州", "Zhengzhou"), ("三", "three")]
    path = write_card(model, {**record, "_test_pairs": pairs, "_secret": "x" * 50}, hyps=["A | B", "C"], samples=3)
    card = path.read_text(encoding="utf-8")
    assert path == model / "README.md"
    assert "# zhbridge-test\n" in card  # the folder's name when the record has none
    assert "| 竖店\\|很大 | A \\| B | Shudian is big |" in card  # pipes escaped, newlines flattened
    assert "| 郑州 | C | Zhengzhou |" in card and "| 三 |" not in card  # only as many samples as hypotheses
    assert "xxxxx" not in card
    assert "Sample test translations" not in write_card(model, record).read_text(encoding="utf-8")


def test_add_section_inserts_before_known_limits_then_replaces(record, tmp_path):
    write_card(tmp_path, record)
    add_section(tmp_path, "WMT benchmark", "chrF 32.12 on WMT23.")
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "## WMT benchmark\n\nchrF 32.12 on WMT23.\n\n## Known limits" in card
    add_section(tmp_path, "WMT benchmark", "chrF 33.00 on WMT23.\n")
    again = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert again.count("## WMT benchmark") == 1 and "32.12" not in again and "chrF 33.00 on WMT23.\n\n## Known limits" in again
    assert again.replace("33.00", "32.12") == card
