"""The model card (``README.md`` in the model directory), written from the run record.

Every number in the card comes from ``run.json`` of the same run; nothing is typed by hand.
Sections added later by other steps (e.g. a WMT benchmark score) go through
:func:`add_section`, which replaces a section of the same title.
"""

from __future__ import annotations

import re
from pathlib import Path

from zhbridge.io import atomic_write_text


def known_limits(record: dict) -> list[str]:
    """What a user of these weights should expect; the sizes come from the record, so they stay true as data grows."""
    sources = record["data"]["sources"]
    data = " + ".join(f"{n:,} {name}" for name, n in sources.items())
    return [
        "A small model (tens of millions of parameters at most) trained on a CPU budget: expect literal, often wrong "
        f"translations of long news sentences; every output needs review. This run's training pairs: {data} "
        "(after upsampling); the lineage table above gives all the training it has had.",
        "Names, numbers and industry terms are not reliable without glossary enforcement (`zhbridge translate --glossary`).",
        f"The in-domain test split is {record['test']['pairs']} segments with one reference each: check a difference "
        "between two models with `zhbridge evaluate --significance` before trusting it.",
        "Chinese input is expected in simplified characters; traditional characters are often unknown pieces.",
    ]


def _fmt(x) -> str:
    if isinstance(x, float):
        return f"{x:.2f}" if abs(x) >= 0.01 or x == 0 else f"{x:g}"
    return str(x)


def render(record: dict, samples: list[tuple[str, str, str]] | None = None) -> str:
    cfg, train, test, data = record["config"], record["training"], record["test"], record["data"]
    lines = [
        "---",
        "language:",
        "- zh",
        "- en",
        "tags:",
        "- translation",
        "- marian",
        "library_name: transformers",
        "pipeline_tag: translation",
        "---",
        "",
        f"# {record.get('name', 'zhbridge model')}",
        "",
        "Chinese → English translation model built with `zhbridge train` (micro-short-drama domain).",
        "",
        "## Base",
        "",
        f"- base: {record['base']}",
        "",
    ]
    lines += [
        "## Data",
        "",
        "| source | training pairs (after leakage filter) | dropped: exact dup. of held-out | dropped: near dup. |",
        "|---|---:|---:|---:|",
    ]
    for name, n in data["sources"].items():
        leak = data["leakage"].get(name, {})
        lines.append(f"| {name} | {n} | {leak.get('dropped_exact', 0)} | {leak.get('dropped_near', 0)} |")
    lines += [
        "",
        f"- validation: {data['validation']['pairs']} pairs ({data['validation']['from']})",
        f"- test: {data['test']['pairs']} pairs ({data['test']['from']})",
        "- held-out segments used by the leakage filter: corpus validation + test and every line of "
        "`shared/bench/wmt` (evaluation data is never trained on).",
        "",
    ]
    if data.get("vocabulary"):
        lines += [f"- vocabulary: {data['vocabulary']}", ""]
    opts = record.get("options", {})
    lines += ["## Hyperparameters", "", "| setting | value |", "|---|---|"]
    lines += [f"| {k} | {_fmt(v)} |" for k, v in {**cfg, **opts}.items()]
    lines += [
        "",
        "## Hardware and time",
        "",
        f"- device: {train['device']} ({train['host']})",
        f"- training: {train['steps']} steps, {train['epochs']} epochs, {train['train_wall_s']} s wall-clock, "
        f"stopped by {train['stopped_by']}",
        f"- best validation {cfg['metric']}: {_fmt(train['best_validation'])} at step {train['best_step']}",
        f"- run total (data, training, test decoding): {record['total_wall_s']} s",
        "",
    ]
    runs = record.get("lineage", {}).get("runs", [])
    if runs:
        totals = record["lineage"]["totals"]
        lines += [
            "Every run that led to these weights (warm starts add up):",
            "",
            "| date | run | started from | steps | epochs | tokens | CPU hours | wall hours | device | data (pairs) |",
            "|---|---|---|---:|---:|---:|---:|---:|---|---|",
        ]
        for r in runs:
            sources = ", ".join(f"{k} {v}" for k, v in r.get("data", {}).items())
            lines.append(
                f"| {r.get('date')} | {Path(r['out']).name} | {r.get('base')} | {r['steps']} | {r.get('epochs')} | "
                f"{r['tokens']:,} | {r['cpu_hours']} | {r['wall_hours']} | {r.get('device')} | {_cell(sources)} |"
            )
        lines += [
            f"| **total** | | | {totals['steps']:,.0f} | | {totals['tokens']:,.0f} | {totals['cpu_hours']} | "
            f"{totals['wall_hours']} | | |",
            "",
        ]
    if train.get("history"):
        keys = [k for k in train["history"][-1] if k not in ("step", "epoch", "loss")]
        lines += [
            "Validation history (greedy decoding):",
            "",
            "| step | epoch | " + " | ".join(keys) + " | train loss |",
            "|---:|---:|" + "---:|" * len(keys) + "---:|",
        ]
        for h in train["history"]:
            lines.append(
                f"| {h['step']} | {h['epoch']} | " + " | ".join(_fmt(h.get(k)) for k in keys) + f" | {_fmt(h.get('loss'))} |"
            )
        lines.append("")
        first, best = train["history"][0], next((h for h in train["history"] if h["step"] == train["best_step"]), None)
        if first["step"] == 0 and best is not None:
            lines += [
                "Before → after (step 0 = the starting weights, greedy decoding): "
                + "; ".join(f"{k} {_fmt(first.get(k))} → {_fmt(best.get(k))}" for k in keys),
                "",
            ]
    lines += [
        "## Scores",
        "",
        f"In-domain test split ({test['pairs']} segments, beam {test['beams']}, no glossary enforcement):",
        "",
        "| metric | score | sacrebleu signature |",
        "|---|---:|---|",
    ]
    for name, s in test["scores"].items():
        lines.append(f"| {name} | {_fmt(s['score'])} | `{s['signature']}` |")
    terms = test.get("terms")
    if terms:
        lines += [
            "",
            f"Term accuracy (glossary terms in the source rendered as the glossary says, "
            f"`zhbridge.evaluate.terms.term_accuracy`): {terms['correct']}/{terms['total']} = {_fmt(100 * terms['accuracy'])}%",
        ]
    else:
        lines += ["", "Term accuracy: not measured (zhbridge.evaluate.terms unavailable)."]
    lines.append("")
    if samples:
        lines += ["Sample test translations:", "", "| source | model | reference |", "|---|---|---|"]
        for src, hyp, ref in samples:
            lines.append(f"| {_cell(src)} | {_cell(hyp)} | {_cell(ref)} |")
        lines.append("")
    lines += ["## Known limits", ""] + [f"- {x}" for x in known_limits(record)] + [""]
    lines += [
        "## Reproduce",
        "",
        "The exact options are in `run.json` beside this card; the shipped default is rebuilt by `scripts/train_default.sh`.",
        "",
    ]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")[:200]


def write_card(model_dir: Path, record: dict, hyps: list[str] | None = None, samples: int = 3) -> Path:
    model_dir = Path(model_dir)
    record = {**record, "name": record.get("name", model_dir.name)}
    sample_rows = None
    if hyps:
        test_pairs = record.get("_test_pairs")
        if test_pairs:
            sample_rows = [(z, h, e) for (z, e), h in list(zip(test_pairs, hyps))[:samples]]
    path = model_dir / "README.md"
    atomic_write_text(path, render({k: v for k, v in record.items() if not k.startswith("_")}, sample_rows))
    return path


def add_section(model_dir: Path, title: str, body: str) -> Path:
    """Insert or replace ``## title`` (before "Known limits") in an existing card."""
    path = Path(model_dir) / "README.md"
    text = path.read_text(encoding="utf-8")
    section = f"## {title}\n\n{body.strip()}\n\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text = text.replace("## Known limits", section + "## Known limits", 1)
    atomic_write_text(path, text)
    return path
