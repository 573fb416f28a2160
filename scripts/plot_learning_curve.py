#!/usr/bin/env python
"""Learning curve of a model over every run of its lineage: general dev chrF against cumulative CPU hours.

Reads ``MODEL/run.json`` (its ``lineage.runs``, each with the validation ``history`` of that run) and
draws one line per run, placed at the CPU hours spent before it, so warm-started runs continue the
curve where their base stopped. A step inside a run is placed at ``cpu_hours × step / steps`` (the
runs kept one thread busy at a steady rate). Mixed fine-tunes validate on two sets: their
``general_chrf`` is drawn (same kind of set as the general runs) and ``in-domain_chrf`` dotted.

Note: the runs' general dev sets are 400 (general runs) or 200 (fine-tunes) held-out news pairs drawn with
each run's seed, so curves of different runs are comparable in trend, not to the decimal.

    python scripts/plot_learning_curve.py models/zhbridge-default [--out models/zhbridge-default/learning_curve.png]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def points(run: dict, before: float) -> dict[str, list[tuple[float, float]]]:
    steps = max(run.get("steps") or 1, 1)
    out: dict[str, list[tuple[float, float]]] = {}
    for entry in run.get("history") or []:
        x = before + (run.get("cpu_hours") or 0) * entry["step"] / steps
        for key, label in (
            ("chrf", "general dev chrF"),
            ("general_chrf", "general dev chrF"),
            ("in-domain_chrf", "in-domain dev chrF"),
        ):
            if key in entry and not (key == "chrf" and "general_chrf" in entry):
                out.setdefault(label, []).append((x, entry[key]))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", type=Path)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    record = json.loads((args.model / "run.json").read_text(encoding="utf-8"))
    runs = record.get("lineage", {}).get("runs", [])
    fig, ax = plt.subplots(figsize=(8, 4.5))
    before = 0.0
    for i, run in enumerate(runs):
        series = points(run, before)
        name = f"{run.get('date')} {Path(run['out']).name} ({run.get('device') or '?'})"
        for label, pts in series.items():
            xs, ys = zip(*pts)
            ax.plot(xs, ys, "o-" if "general" in label else "o:", ms=3, label=f"{name}: {label}", color=f"C{i}")
            print(f"{name}: {label}: " + ", ".join(f"{x:.2f}h {y:.2f}" for x, y in pts))
        before += run.get("cpu_hours") or 0
    ax.set_xlabel("cumulative training CPU hours")
    ax.set_ylabel("dev chrF (greedy)")
    ax.set_title(f"{args.model.name}: learning curve over {len(runs)} runs")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=6, loc="lower right")
    fig.tight_layout()
    out = args.out or args.model / "learning_curve.png"
    fig.savefig(out, dpi=120)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
