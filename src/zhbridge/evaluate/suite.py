"""One evaluation run over several systems: the plain-function core of ``zhbridge evaluate``.

:func:`evaluate_systems` takes segments (lists of strings) and returns an
:class:`Evaluation` holding everything the renderers in :mod:`report` show;
:func:`evaluate_files` reads and line-checks the user's files first.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from zhbridge.evaluate.inputs import check_same_length, read_segments, system_name
from zhbridge.evaluate.metrics import (
    QUICK_METRICS,
    MetricScore,
    corpus_scores,
    metric_names,
    per_document_scores,
    sentence_chrf,
)
from zhbridge.evaluate.numbers import NumberCheck, number_consistency
from zhbridge.evaluate.significance import PairedResult, paired_test
from zhbridge.evaluate.terms import TermAccuracy, term_accuracy
from zhbridge.text.repetition import repetition_loop


@dataclass
class SystemEvaluation:
    name: str
    hyps: list[str]
    scores: dict[str, MetricScore]
    sentence_chrf: list[float]
    terms: TermAccuracy | None = None
    numbers: NumberCheck | None = None
    documents: dict[str, dict[str, float]] | None = None
    path: str | None = None
    loops: list[int] = field(default_factory=list)  # 1-based lines with a repeated 4-gram loop (mt.qa)


@dataclass
class Evaluation:
    systems: list[SystemEvaluation]
    refs: list[list[str]]
    reference_names: list[str]
    metrics: tuple[str, ...]
    sentence_chrf_signature: str
    src: list[str] | None = None
    doc_ids: list[str] | None = None
    significance: PairedResult | None = None
    reference_terms: TermAccuracy | None = None  # the ceiling for term accuracy (first reference)
    reference_numbers: NumberCheck | None = None
    glossary_name: str | None = None
    source_name: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def n_segments(self) -> int:
        return len(self.refs[0])

    def system(self, name: str) -> SystemEvaluation:
        for s in self.systems:
            if s.name == name:
                return s
        raise KeyError(name)

    def worst_segments(self, name: str, n: int = 5) -> list[dict]:
        """The ``n`` segments of a system with the lowest sentence-level chrF (1-based lines)."""
        system = self.system(name)
        order = sorted(range(len(system.hyps)), key=lambda i: (system.sentence_chrf[i], i))[:n]
        return [
            {
                "line": i + 1,
                "chrF": system.sentence_chrf[i],
                "hypothesis": system.hyps[i],
                "reference": self.refs[0][i],
                "source": self.src[i] if self.src is not None else None,
                "doc_id": self.doc_ids[i] if self.doc_ids is not None else None,
            }
            for i in order
        ]


def _progress(enabled: bool):
    if not enabled:
        return contextlib.nullcontext(None)
    from rich.progress import Progress

    return Progress(transient=True)


def evaluate_systems(
    systems: Mapping[str, Sequence[str]],
    refs: Sequence[Sequence[str]],
    *,
    src: Sequence[str] | None = None,
    glossary=None,
    doc_ids: Sequence[str] | None = None,
    metrics: Iterable[str] | None = None,
    significance: str | None = "bs",
    n_samples: int = 0,
    reference_names: Sequence[str] | None = None,
    glossary_name: str | None = None,
    source_name: str | None = None,
    progress: bool = False,
) -> Evaluation:
    """Score every system against the references, with whatever extras the inputs allow.

    ``src`` enables the number check (and, with ``glossary``, term accuracy);
    ``doc_ids`` enables per-document scores; ``significance`` (``"bs"``, ``"ar"``
    or None) runs sacrebleu's paired test against the first system, which also
    gives every system a 95% CI, on BLEU and chrF.
    """
    names = metric_names(metrics)
    references = [list(r) for r in refs]
    named = {f"system {n!r}": list(h) for n, h in systems.items()}
    named.update({f"reference {k}": r for k, r in enumerate(references, 1)})
    if src is not None:
        named["source"] = list(src)
    if doc_ids is not None:
        named["doc ids"] = list(doc_ids)
    check_same_length(named, against="reference 1")
    if glossary is not None and src is None:
        raise ValueError("term accuracy needs the source segments (src) as well as a glossary")

    result = Evaluation(
        systems=[],
        refs=references,
        metrics=names,
        sentence_chrf_signature="",
        reference_names=list(reference_names or [f"reference {k}" for k in range(1, len(references) + 1)]),
        src=list(src) if src is not None else None,
        doc_ids=list(doc_ids) if doc_ids is not None else None,
        glossary_name=glossary_name,
        source_name=source_name,
    )
    with _progress(progress) as bar:
        task = bar.add_task("scoring systems", total=len(systems)) if bar else None
        for name, hyps in systems.items():
            hyps = list(hyps)
            chrf, result.sentence_chrf_signature = sentence_chrf(hyps, references)
            entry = SystemEvaluation(
                name=name,
                hyps=hyps,
                scores=corpus_scores(hyps, references, names),
                sentence_chrf=chrf,
                loops=[i for i, h in enumerate(hyps, 1) if repetition_loop(h)],
            )
            if src is not None:
                entry.numbers = number_consistency(src, hyps)
                if glossary is not None:
                    entry.terms = term_accuracy(src, hyps, glossary)
            if doc_ids is not None:
                doc_metrics = [m for m in QUICK_METRICS if m in names] or list(QUICK_METRICS)
                entry.documents = per_document_scores(hyps, references, doc_ids, doc_metrics)
            result.systems.append(entry)
            if bar:
                bar.advance(task)
        if src is not None:
            result.reference_numbers = number_consistency(src, references[0])
            if glossary is not None:
                result.reference_terms = term_accuracy(src, references[0], glossary)
        if significance:
            if bar:
                bar.update(task, description=f"significance ({significance})")
            sig_metrics = [m for m in QUICK_METRICS if m in names]
            if sig_metrics:
                result.significance = paired_test(
                    {s.name: s.hyps for s in result.systems},
                    references,
                    test=significance,
                    metrics=sig_metrics,
                    n_samples=n_samples,
                )
            else:
                result.notes.append("significance tests skipped: they run on BLEU and chrF, neither was chosen")
    return result


def load_dataset_split(split: str, dataset_dir: str | os.PathLike | None = None) -> dict[str, list[str]]:
    """``zh``, ``en`` and ``doc_id`` columns of one split of the built dataset (corpus/dataset)."""
    import datasets

    from zhbridge import paths
    from zhbridge.io import InputError

    where = dataset_dir or paths.DATASET_DIR
    if not os.path.isdir(where):
        raise InputError(f"{where}: no built dataset (run `zhbridge corpus build` first)")
    data = datasets.load_from_disk(str(where))
    if split not in data or not {"zh", "en", "doc_id"} <= set(data[split].column_names):
        raise InputError(
            f"{where}: no parallel split {split!r}; choose from "
            + ", ".join(k for k in data if "en" in data[k].column_names and "zh" in data[k].column_names)
        )
    return {col: [str(x).rstrip() for x in data[split][col]] for col in ("zh", "en", "doc_id")}


def evaluate_files(
    hyp_paths: Sequence[str | os.PathLike],
    ref_paths: Sequence[str | os.PathLike],
    *,
    src_path: str | os.PathLike | None = None,
    glossary_path: str | os.PathLike | None = None,
    docs_path: str | os.PathLike | None = None,
    dataset_split: str | None = None,
    metrics: Iterable[str] | None = None,
    significance: str | None = "bs",
    n_samples: int = 0,
    progress: bool = False,
) -> Evaluation:
    """Read the files (one segment per line), check they line up, and evaluate.

    With ``dataset_split`` the references, source and doc ids come from that
    split of the built dataset (explicit ``src_path``/``docs_path`` still win).
    """
    from zhbridge.io import InputError

    if not hyp_paths:
        raise InputError("evaluate: give at least one hypothesis file (--hyp)")
    if dataset_split is not None:
        if ref_paths:
            raise InputError(f"evaluate: --dataset-split {dataset_split} supplies the references; drop --ref")
        data = load_dataset_split(dataset_split)
        ref_names = [f"dataset:{dataset_split}.en"]
        refs = [data["en"]]
    else:
        if not ref_paths:
            raise InputError("evaluate: give at least one reference file (--ref) or --dataset-split")
        ref_names = [str(p) for p in ref_paths]
        refs = [read_segments(p) for p in ref_paths]
    files: dict[str, list[str]] = dict(zip(ref_names, refs))
    taken: set[str] = set()
    systems: dict[str, list[str]] = {}
    for path in hyp_paths:
        name = system_name(path, taken)
        taken.add(name)
        systems[name] = read_segments(path)
        files[str(path)] = systems[name]
    src, source_name = None, None
    if src_path is not None:
        src, source_name = read_segments(src_path), str(src_path)
    elif dataset_split is not None:
        src, source_name = data["zh"], f"dataset:{dataset_split}.zh"
    if src is not None and source_name is not None:  # both are set together
        files[source_name] = src
    doc_ids = None
    if docs_path is not None:
        doc_ids = [d.strip() for d in read_segments(docs_path)]
        files[str(docs_path)] = doc_ids
    elif dataset_split is not None:
        doc_ids = data["doc_id"]
    # Check here, with the user's file names, before any scoring starts.
    check_same_length(files, against=ref_names[0])
    glossary = None
    if glossary_path is not None:
        if src is None:
            raise InputError(f"{glossary_path}: term accuracy needs the source text too (--src)")
        from zhbridge.terms.glossary import load_glossary

        glossary = load_glossary(glossary_path)
    return evaluate_systems(
        systems,
        refs,
        src=src,
        glossary=glossary,
        doc_ids=doc_ids,
        metrics=metrics,
        significance=significance,
        n_samples=n_samples,
        reference_names=ref_names,
        glossary_name=str(glossary_path) if glossary_path is not None else None,
        source_name=source_name,
        progress=progress,
    )
