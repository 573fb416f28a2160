"""Paired significance tests and confidence intervals, delegated to sacrebleu.

``sacrebleu.significance.PairedTest`` is the implementation behind
``sacrebleu --paired-bs`` / ``--paired-ar``: the first system is the baseline,
every other system gets a p-value against it, and every system gets a 95%
confidence interval from bootstrap resampling. Using it (rather than a
re-implementation) keeps our p-values identical to the command line's for the
same seed (``SACREBLEU_SEED``, 12345 unless set).

One sacrebleu convention to know: only resampled differences strictly larger
than the observed one count, so a system compared with an exact copy of itself
gets the smallest possible p, 1/(n+1), not 1. Identical outputs are a pipeline
mistake worth noticing, which is why multeval (whence the rule) chose it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from zhbridge.evaluate.metrics import QUICK_METRICS, check_references, make_metric, metric_names

if TYPE_CHECKING:
    from sacrebleu.significance import Result

TESTS = {"bs": "paired bootstrap resampling", "ar": "approximate randomization"}


@dataclass(frozen=True)
class SystemSignificance:
    """One system under one metric: score, bootstrap mean ± half-width of the 95% CI, p vs baseline."""

    score: float
    mean: float | None
    ci: float | None  # half-width: the interval is mean ± ci
    p_value: float | None  # None for the baseline itself

    @property
    def interval(self) -> tuple[float, float] | None:
        if self.mean is None or self.ci is None:
            return None
        return (self.mean - self.ci, self.mean + self.ci)


@dataclass
class PairedResult:
    """Outcome of a paired test over several systems (the first is the baseline)."""

    test: str  # "bs" or "ar"
    baseline: str
    systems: list[str]
    n_samples: int
    signatures: dict[str, str]  # metric -> sacrebleu signature including seed and bs/ar count
    results: dict[str, dict[str, SystemSignificance]] = field(default_factory=dict)  # metric -> system -> result

    def significant(self, metric: str, system: str, alpha: float = 0.05) -> bool:
        p = self.results[metric][system].p_value
        return p is not None and p < alpha


def paired_test(
    systems: Mapping[str, Sequence[str]],
    refs: Sequence[Sequence[str]],
    *,
    test: str = "bs",
    metrics: Iterable[str] = QUICK_METRICS,
    n_samples: int = 0,
    n_jobs: int = 1,
) -> PairedResult:
    """Compare systems against the first one with sacrebleu's paired test.

    ``test`` is ``"bs"`` (paired bootstrap, 1000 resamples by default) or ``"ar"``
    (approximate randomization, 10000 trials by default; its CIs come from 1000
    bootstrap resamples, as with sacrebleu). With a single system only its
    confidence interval is computed.
    """
    from sacrebleu.significance import PairedTest

    if test not in TESTS:
        raise ValueError(f"unknown test {test!r}; use one of {', '.join(TESTS)}")
    if not systems:
        raise ValueError("paired_test needs at least one system")
    names = list(systems)
    for name in names:
        check_references(systems[name], refs)
    refs = [list(r) for r in refs]
    ours = metric_names(metrics)
    metric_objs = {name: make_metric(name) for name in ours}
    tester = PairedTest(
        [(n, list(systems[n])) for n in names],
        metric_objs,
        references=refs,
        test_type=test,
        n_samples=n_samples,
        n_ar_confidence=0 if test == "ar" else -1,
        n_jobs=n_jobs,
    )
    signatures, table = tester()
    # sacrebleu keys its table by the score's display name ("chrF2"), ours by metric name.
    sacre_names = list(tester.metrics)
    out = PairedResult(
        test=test,
        baseline=names[0],
        systems=names,
        n_samples=tester.n_samples,
        signatures={o: signatures[s].format(short=False) for o, s in zip(ours, sacre_names)},
    )
    for ours_name, sacre_name in zip(ours, sacre_names):
        per_system = {}
        for name, res in zip(
            names, cast("list[Result]", table[sacre_name])
        ):  # metric columns hold Results; names are in "System"
            per_system[name] = SystemSignificance(
                score=float(res.score),
                mean=None if res.mean is None else float(res.mean),
                ci=None if res.ci is None else float(res.ci),
                p_value=None if res.p_value is None else float(res.p_value),
            )
        out.results[ours_name] = per_system
    return out
