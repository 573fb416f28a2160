"""Showing an :class:`~zhbridge.evaluate.suite.Evaluation`: terminal table, JSON, Markdown + PNG report.

Every rendering carries the sacrebleu signatures, so a number copied out of any
of them can be traced to the settings that produced it.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from zhbridge.evaluate.metrics import is_lower_better
from zhbridge.evaluate.numbers import NumberCheck
from zhbridge.evaluate.significance import TESTS
from zhbridge.evaluate.suite import Evaluation, SystemEvaluation
from zhbridge.evaluate.terms import TermAccuracy
from zhbridge.io import atomic_write_bytes, atomic_write_text, check_writable

REPORT_FILES = ("report.md", "evaluation.png", "scores.json")


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _score_cell(ev: Evaluation, system: str, metric: str) -> str:
    score = ev.system(system).scores[metric].score
    cell = f"{score:.2f}"
    sig = ev.significance
    if sig is not None and metric in sig.results:
        res = sig.results[metric][system]
        if res.ci is not None:
            cell += f" ± {res.ci:.2f}"
        if res.p_value is not None:
            cell += f" (p={res.p_value:.4f}{'*' if res.p_value < 0.05 else ''})"
    return cell


def signature_lines(ev: Evaluation) -> list[str]:
    """``metric: signature`` for every number shown (paired-test signatures where a test ran)."""
    lines = []
    for metric in ev.metrics:
        sig = ev.systems[0].scores[metric].signature
        if ev.significance is not None and metric in ev.significance.signatures:
            sig = ev.significance.signatures[metric]
        lines.append(f"{metric}: {sig}")
    lines.append(f"sentence chrF: {ev.sentence_chrf_signature}")
    return lines


def significance_note(ev: Evaluation) -> str | None:
    sig = ev.significance
    if sig is None:
        return None
    if len(sig.systems) == 1:
        return f"± is the half-width of the 95% CI from {sig.n_samples} bootstrap resamples (sacrebleu)."
    what = TESTS[sig.test]
    count = f"{sig.n_samples} {'resamples' if sig.test == 'bs' else 'trials'}"
    return (
        f"± is the half-width of the 95% CI (bootstrap); p is sacrebleu's {what} test "
        f"({count}) against the baseline {sig.baseline!r}; * marks p < 0.05."
    )


def to_json(ev: Evaluation, *, worst: int = 5, max_misses: int = 50) -> dict:
    """A JSON-serialisable dict with every score, its signature and the extras."""
    out: dict = {
        "segments": ev.n_segments,
        "references": ev.reference_names,
        "source": ev.source_name,
        "glossary": ev.glossary_name,
        "metrics": list(ev.metrics),
        "sentence_chrf_signature": ev.sentence_chrf_signature,
        "systems": [],
        "notes": ev.notes,
    }
    for s in ev.systems:
        entry: dict = {
            "name": s.name,
            "scores": {m: {"score": sc.score, "signature": sc.signature, "sacrebleu": sc.text} for m, sc in s.scores.items()},
            "sentence_chrf": {"mean": sum(s.sentence_chrf) / len(s.sentence_chrf)},
            "worst_segments": ev.worst_segments(s.name, worst),
            "loops": {"definition": LOOP_DEFINITION, "segments": len(s.loops), "lines": s.loops[:max_misses]},
        }
        if ev.significance is not None:
            entry["significance"] = {
                m: {"mean": r[s.name].mean, "ci": r[s.name].ci, "p_value": r[s.name].p_value}
                for m, r in ev.significance.results.items()
            }
        if s.terms is not None:
            entry["terms"] = s.terms.to_dict(max_misses)
        if s.numbers is not None:
            entry["numbers"] = s.numbers.to_dict(max_misses)
        if s.documents is not None:
            entry["documents"] = s.documents
        out["systems"].append(entry)
    if ev.significance is not None:
        sig = ev.significance
        out["significance"] = {
            "test": sig.test,
            "baseline": sig.baseline,
            "n_samples": sig.n_samples,
            "signatures": sig.signatures,
        }
    if ev.reference_terms is not None:
        out["reference_terms"] = ev.reference_terms.to_dict(max_misses)
    if ev.reference_numbers is not None:
        out["reference_numbers"] = ev.reference_numbers.to_dict(max_misses)
    return out


LOOP_DEFINITION = (
    "a lower-cased word 4-gram occurring 3 or more times in one output segment (zhbridge.text.repetition.repetition_loop)"
)


# Set on every system exactly when the evaluation has them (reference terms, numbers, document ids).
def _terms(s: SystemEvaluation) -> TermAccuracy:
    assert s.terms is not None
    return s.terms


def _numbers(s: SystemEvaluation) -> NumberCheck:
    assert s.numbers is not None
    return s.numbers


def _documents(s: SystemEvaluation) -> dict[str, dict[str, float]]:
    assert s.documents is not None
    return s.documents


def _extra_columns(ev: Evaluation) -> list[tuple[str, Callable[[SystemEvaluation], str]]]:
    cols: list[tuple[str, Callable[[SystemEvaluation], str]]] = [
        ("4-gram loops", lambda s: f"{len(s.loops)} ({_pct(len(s.loops) / max(1, len(s.hyps)))})")
    ]
    if ev.reference_terms is not None:
        cols.append(
            (
                f"terms (ref {_pct(ev.reference_terms.accuracy)})",
                lambda s: f"{_pct(_terms(s).accuracy)} {_terms(s).correct}/{_terms(s).total}",
            )
        )
    if ev.reference_numbers is not None:
        cols.append(
            (
                f"numbers (ref {_pct(ev.reference_numbers.accuracy)})",
                lambda s: f"{_pct(_numbers(s).accuracy)} {_numbers(s).correct}/{_numbers(s).total}",
            )
        )
    return cols


def render_table(ev: Evaluation, console=None) -> None:
    """Print the systems table and the signatures with rich."""
    from rich.console import Console
    from rich.table import Table

    # Piped output (CI logs, files) gets wide lines instead of rich's 80-column wrapping.
    console = console or Console(width=None if sys.stdout.isatty() else 200)
    table = Table(title=f"{ev.n_segments} segments, {len(ev.refs)} reference(s): {', '.join(ev.reference_names)}")
    table.add_column("system", no_wrap=True)
    for metric in ev.metrics:
        table.add_column(metric + (" ↓" if is_lower_better(metric) else ""), justify="right", no_wrap=True)
    table.add_column("mean sent. chrF", justify="right")
    extra = _extra_columns(ev)
    for title, _ in extra:
        table.add_column(title, justify="right")
    for s in ev.systems:
        row = [s.name] + [_score_cell(ev, s.name, m) for m in ev.metrics]
        row.append(f"{sum(s.sentence_chrf) / len(s.sentence_chrf):.2f}")
        row += [fn(s) for _, fn in extra]
        table.add_row(*row)
    console.print(table)
    if ev.doc_ids is not None:
        docs = list(_documents(ev.systems[0]))
        per_doc = Table(
            title_justify="left", title=f"chrF per document ({len(docs)} documents{', first 20' if len(docs) > 20 else ''})"
        )
        per_doc.add_column("document", no_wrap=True)
        for s in ev.systems:
            per_doc.add_column(s.name, justify="right")
        for d in docs[:20]:
            per_doc.add_row(d, *(f"{_documents(s)[d]['chrF']:.2f}" for s in ev.systems))
        console.print(per_doc)
    note = significance_note(ev)
    lines = signature_lines(ev)
    if len(ev.systems) == 1:  # sacrebleu's own one-system lines: "BLEU|nrefs:1|... = 26.76 57.4/..."
        lines = [score.text for score in ev.systems[0].scores.values()] + lines
    for line in [*lines, f"4-gram loops: {LOOP_DEFINITION}", *([note] if note else []), *ev.notes]:
        console.print(line, highlight=False, markup=False, soft_wrap=True)


def _md_cell(text: object) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_table(header: Sequence[object], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(_md_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return lines


def _clip(text: str | None, n: int = 300) -> str:
    text = text or ""
    return text if len(text) <= n else text[: n - 1] + "…"


def render_markdown(ev: Evaluation, *, plot_name: str = "evaluation.png", worst: int = 5) -> str:
    md = ["# Evaluation report", ""]
    md.append(f"- segments: {ev.n_segments}")
    md.append(f"- references: {', '.join(f'`{r}`' for r in ev.reference_names)}")
    if ev.source_name:
        md.append(f"- source: `{ev.source_name}`")
    if ev.glossary_name:
        md.append(f"- glossary: `{ev.glossary_name}`")
    md += ["", "## Scores", ""]
    extra = _extra_columns(ev)
    header = ["system", *ev.metrics, "mean sentence chrF", *(t for t, _ in extra)]
    rows = [
        [
            s.name,
            *(_score_cell(ev, s.name, m) for m in ev.metrics),
            f"{sum(s.sentence_chrf) / len(s.sentence_chrf):.2f}",
            *(fn(s) for _, fn in extra),
        ]
        for s in ev.systems
    ]
    md += _md_table(header, rows)
    note = significance_note(ev)
    md += ["", *([note, ""] if note else []), "Signatures (sacrebleu):", "", "```", *signature_lines(ev), "```", ""]
    md += [*ev.notes, "", f"![scores and sentence-level chrF]({plot_name})", ""]
    if ev.reference_terms is not None:
        md += [
            "## Terminology",
            "",
            "Exact-match term accuracy over every glossary term occurrence in the source "
            "(WMT 2021 terminology task definition; case-insensitive, plural/possessive tolerant). "
            f"The reference scores {_pct(ev.reference_terms.accuracy)} "
            f"({ev.reference_terms.correct}/{ev.reference_terms.total}): the ceiling.",
            "",
        ]
        for s in ev.systems:
            if _terms(s).misses:
                md.append(f"Misses of {s.name} (first 10 of {len(_terms(s).misses)}):")
                md += (
                    [""]
                    + _md_table(
                        ["line", "term", "expected", "hypothesis"],
                        [[m.line, m.zh, " / ".join(m.expected), _clip(m.hypothesis, 160)] for m in _terms(s).misses[:10]],
                    )
                    + [""]
                )
    if ev.reference_numbers is not None:
        md += [
            "## Numbers",
            "",
            "Numbers and dates of the source whose value appears in the translation "
            f"(reference: {_pct(ev.reference_numbers.accuracy)}).",
            "",
        ]
        md += _md_table(
            ["system", "numbers carried", "first misses"],
            [
                [
                    s.name,
                    f"{_numbers(s).correct}/{_numbers(s).total} ({_pct(_numbers(s).accuracy)})",
                    "; ".join(f"l.{m.line} {m.text}" for m in _numbers(s).misses[:5]),
                ]
                for s in ev.systems
            ],
        )
        md.append("")
    if ev.doc_ids is not None:
        md += ["## Per-document chrF", ""]
        docs = list(_documents(ev.systems[0]))
        md += _md_table(
            ["document", *(s.name for s in ev.systems)],
            [[d, *(f"{_documents(s)[d]['chrF']:.2f}" for s in ev.systems)] for d in docs],
        )
        md.append("")
    md += ["## Worst segments (sentence-level chrF)", ""]
    for s in ev.systems:
        md += [f"### {s.name}", ""]
        md += _md_table(
            ["line", "chrF", "source", "hypothesis", "reference"],
            [
                [w["line"], f"{w['chrF']:.1f}", _clip(w["source"], 120), _clip(w["hypothesis"], 200), _clip(w["reference"], 200)]
                for w in ev.worst_segments(s.name, worst)
            ],
        )
        md.append("")
    return "\n".join(md)


def render_plot(ev: Evaluation) -> bytes:
    """PNG: corpus BLEU/chrF with 95% CIs (left) and sentence-level chrF distributions (right)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    order = sorted(ev.systems, key=lambda s: s.scores["chrF"].score if "chrF" in s.scores else 0.0)
    names = [s.name for s in order]
    plotted = [m for m in ("BLEU", "chrF") if m in ev.metrics]
    height = max(3.5, 0.42 * len(order) + 1.5)
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, height), sharey=True, gridspec_kw={"width_ratios": [1, 1.3]})
    ys = list(range(len(order)))
    for k, metric in enumerate(plotted):
        offset = (k - (len(plotted) - 1) / 2) * 0.25
        xs, errs = [], []
        for s in order:
            xs.append(s.scores[metric].score)
            res = ev.significance.results[metric][s.name] if ev.significance and metric in ev.significance.results else None
            errs.append(res.ci if res is not None and res.ci is not None else 0.0)
        left.errorbar(xs, [y + offset for y in ys], xerr=errs, fmt="o", capsize=3, label=metric)
        for x, y in zip(xs, ys):
            left.annotate(f"{x:.1f}", (x, y + offset), textcoords="offset points", xytext=(0, 4), ha="center", fontsize=7)
    left.set_xlabel("corpus score (error bars: 95% bootstrap CI)")
    left.set_title("Corpus scores (best chrF at top)")
    left.grid(axis="x", alpha=0.3)
    if plotted:
        left.legend(loc="best", fontsize=8)
    # matplotlib 3.10 renamed vert=False to orientation="horizontal" (and deprecated the old name)
    new_api = tuple(int(x) for x in matplotlib.__version__.split(".")[:2]) >= (3, 10)
    horizontal = {"orientation": "horizontal"} if new_api else {"vert": False}
    right.boxplot(
        [s.sentence_chrf for s in order],
        positions=ys,
        widths=0.6,
        **horizontal,
        manage_ticks=False,
        showmeans=True,
        flierprops={"markersize": 2, "alpha": 0.4},
    )
    left.set_yticks(ys)
    left.set_yticklabels(names)  # after boxplot: sharey would otherwise show the positions 0..n-1
    left.set_ylim(-0.6, len(order) - 0.4)
    right.set_xlabel("sentence-level chrF")
    right.set_title("Distribution of sentence-level chrF (triangle: mean)")
    right.grid(axis="x", alpha=0.3)
    fig.suptitle(f"{ev.n_segments} segments vs {', '.join(Path(r).name for r in ev.reference_names)}")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return buf.getvalue()


def write_report(ev: Evaluation, out_dir: str | os.PathLike, *, overwrite: bool = False, worst: int = 5) -> list[Path]:
    """Write report.md, evaluation.png and scores.json into ``out_dir``.

    Refuses before writing anything if any of them exists and ``overwrite`` is
    False, so a report is never half replaced.
    """
    import json

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        from zhbridge.io import InputError

        raise InputError(f"{out}: exists and is not a directory")
    targets = [check_writable(out / name, overwrite=overwrite) for name in REPORT_FILES]
    png = render_plot(ev)
    markdown = render_markdown(ev, plot_name=REPORT_FILES[1], worst=worst)
    payload = json.dumps(to_json(ev, worst=worst), ensure_ascii=False, indent=2) + "\n"
    atomic_write_bytes(targets[1], png, overwrite=overwrite)
    atomic_write_text(targets[2], payload, overwrite=overwrite)
    atomic_write_text(targets[0], markdown + "\n", overwrite=overwrite)
    return targets
