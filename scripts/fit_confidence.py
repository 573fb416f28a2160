#!/usr/bin/env python
"""Fit QA's confidence model (``src/zhbridge/mt/data/confidence.json``) on sets that are not WMT23.

    python scripts/fit_confidence.py --model CT2_F32 --backend ct2 \\
        --set dev=DEV.zh,DEV.en,DEV.hyp --set wmt22=SRC.zh,REF.en,HYP.en [--out src/zhbridge/mt/data/confidence.json]
    python scripts/fit_confidence.py --model CT2_F32 --backend ct2 --evaluate wmt23=SRC.zh,REF.en,HYP.en

Per segment it computes what ``zhbridge translate`` computes (the model's teacher-forced
length-normalised log-probability, the USE cosine, the review flags of ``mt.qa.segment_flags``,
lengths: ``mt.review.confidence_features``) and the sentence chrF against the reference. The label is
"sentence chrF in the worst 20 % of its own set" (a share, so sets of different difficulty pool);
the model is an L2-regularised logistic regression (Newton steps, numpy). It prints a
leave-one-set-out check (Kendall tau against sentence chrF, the worst fifth's mean chrF vs the
rest's) before fitting on all sets. Flag weights must not come out negative (those flags are
dropped and the rest refitted, "dropped" in the JSON); flags that never fire in the fit data (no
glossary there: term flags; source cuts) get the mean fitted flag weight, marked "prior".
``--evaluate`` only scores a set with the shipped JSON (or, with ``--out``, the JSON just written):
cosine alone, the fitted confidence, the QA report's order (mt.review.review_rank). With ``--cache``
the model's signals (log-probability, cosine, sentence chrF) of each set are kept in CACHE/NAME.json;
the flags are recomputed from them on every run, so after a QA change only the fit reruns (seconds).
"""

from __future__ import annotations

import argparse
import json
import math

WORST = 0.2
L2 = 1.0


def load_set(spec: str, translator, cache: str | None = None, batch: int = 32) -> dict:
    """One set's per-segment signals; with ``cache`` kept in CACHE/NAME.json (delete it after a new decode or
    for a new model). The cache keeps the model's signals only: the review flags are recomputed from the
    cached source and output every time, so a new or changed QA check needs no new scoring."""
    from pathlib import Path

    from zhbridge.mt.qa import segment_flags

    name = spec.split("=", 1)[0]
    cached = Path(cache, f"{name}.json") if cache else None
    if cached is not None and cached.exists():
        data = json.loads(cached.read_text(encoding="utf-8"))
    else:
        data = _signals(spec, translator, batch)
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    data["flags"] = [segment_flags({"src": s, "tgt": h}) for s, h in zip(data["src"], data["hyp"])]
    return data


def _signals(spec: str, translator, batch: int) -> dict:
    import sacrebleu

    from zhbridge.embed import paired_similarity
    from zhbridge.io import read_lines
    from zhbridge.text.normalize import normalize_paragraph

    name, paths = spec.split("=", 1)
    src_path, ref_path, hyp_path = paths.split(",")
    src = [normalize_paragraph(s, "zh") for s in read_lines(src_path)]
    ref, hyp = read_lines(ref_path), read_lines(hyp_path)
    assert len(src) == len(ref) == len(hyp), (name, len(src), len(ref), len(hyp))
    logprobs: list[float] = []
    for i in range(0, len(src), batch):
        logprobs += translator.score(src[i : i + batch], [t or "." for t in hyp[i : i + batch]])
    sims = [float(x) for x in paired_similarity(src, [h or "." for h in hyp])]
    chrf = [sacrebleu.sentence_chrf(h, [r]).score for h, r in zip(hyp, ref)]
    ref_ratio = [math.log((len(r.replace(" ", "")) + 1) / (len(s.replace(" ", "")) + 1)) for s, r in zip(src, ref)]
    return {
        "name": name,
        "src": src,
        "hyp": hyp,
        "logprob": logprobs,
        "sim": sims,
        "chrf": chrf,
        "ref_ratio": ref_ratio,
    }


def feature_rows(data: dict, center: float) -> list[dict]:
    from zhbridge.mt.review import confidence_features

    return [
        confidence_features(lp, sim, s, h, f, center)
        for lp, sim, s, h, f in zip(data["logprob"], data["sim"], data["src"], data["hyp"], data["flags"])
    ]


def worst_labels(chrf: list[float]) -> list[float]:
    cut = sorted(chrf)[int(len(chrf) * WORST)]
    return [1.0 if c < cut else 0.0 for c in chrf]


def _logistic(x, y):
    """L2-penalised logistic regression by Newton steps (intercept unpenalised) on standardised columns."""
    import numpy as np

    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    penalty = np.full(len(w), L2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        grad = z.T @ (p - y) + penalty * w
        hess = z.T @ (z * (p * (1 - p))[:, None]) + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w, mean, scale


def fit(rows: list[dict], labels: list[float], center: float) -> dict:
    """The model as mt.review.fitted_score reads it. A flag is evidence of a defect, never of quality:
    a flag whose fitted weight comes out below zero (it co-occurs with something the other features
    already count) is left out and the rest refitted."""
    import numpy as np

    names = [n for n in rows[0] if not n.startswith("flag:") or sum(r[n] for r in rows) >= 5]
    y = np.array(labels)
    dropped: list[str] = []
    while True:
        x = np.array([[r[n] for n in names] for r in rows], dtype=float)
        w, mean, scale = _logistic(x, y)
        negative = [n for n, v in zip(names, w[1:]) if n.startswith("flag:") and v < 0]
        if not negative:
            break
        dropped += negative
        names = [n for n in names if n not in negative]
    model = {
        "intercept": float(w[0]),
        "weights": {n: float(v) for n, v in zip(names, w[1:])},
        "mean": {n: float(v) for n, v in zip(names, mean)},
        "scale": {n: float(v) for n, v in zip(names, scale)},
        "length_center": center,
        "dropped": dropped,
        "prior": [],
    }
    fitted_flags = [n for n in names if n.startswith("flag:")]
    # per occurrence, the mean fitted flag's effect on the logit
    prior = sum(model["weights"][n] / model["scale"][n] for n in fitted_flags) / max(1, len(fitted_flags))
    for n in rows[0]:
        if n.startswith("flag:") and n not in model["weights"] and n not in dropped:  # never seen in the fit data
            model["weights"][n], model["mean"][n], model["scale"][n] = prior, 0.0, 1.0
            model["prior"].append(n)
    return model


def ranking(scores: list[float], chrf: list[float]) -> tuple[float, float, float]:
    from scipy.stats import kendalltau

    order = sorted(range(len(scores)), key=lambda i: scores[i])
    cut = int(len(order) * WORST)
    worst = sum(chrf[i] for i in order[:cut]) / cut
    rest = sum(chrf[i] for i in order[cut:]) / (len(order) - cut)
    return kendalltau(scores, chrf).statistic, worst, rest


def line(label: str, scores: list[float], chrf: list[float]) -> str:
    tau, worst, rest = ranking(scores, chrf)
    return (
        f"  {label}: Kendall tau {tau:.3f}; worst 20% mean sentence chrF {worst:.1f} vs rest {rest:.1f} (gap {rest - worst:.1f})"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="the model that wrote the outputs (HF dir or CTranslate2 export)")
    ap.add_argument("--backend", default="ct2", choices=("hf", "ct2"))
    ap.add_argument("--set", action="append", default=[], help="NAME=SRC,REF,HYP to fit on (never WMT23)")
    ap.add_argument("--evaluate", action="append", default=[], help="NAME=SRC,REF,HYP to score with the shipped model")
    ap.add_argument("--cache", default=None, help="folder for per-set signals (scoring a set takes minutes)")
    ap.add_argument("--out", default=None, help="where to write the fitted JSON (default: print only)")
    args = ap.parse_args()

    from pathlib import Path

    from zhbridge.mt import review
    from zhbridge.mt.models import load_translator

    translator = load_translator(args.model, backend=args.backend, beams=1, threads=1, device="cpu")
    if args.set:
        sets = [load_set(spec, translator, args.cache) for spec in args.set]
        pooled_ratio = sorted(r for d in sets for r in d["ref_ratio"])
        center = pooled_ratio[len(pooled_ratio) // 2]
        rows = {d["name"]: feature_rows(d, center) for d in sets}
        labels = {d["name"]: worst_labels(d["chrf"]) for d in sets}
        for held in sets if len(sets) > 1 else []:
            rest = [d for d in sets if d is not held]
            model = fit([r for d in rest for r in rows[d["name"]]], [y for d in rest for y in labels[d["name"]]], center)
            print(f"fit on {'+'.join(d['name'] for d in rest)}, check on {held['name']} ({len(held['chrf'])} segments):")
            print(line("cosine", held["sim"], held["chrf"]))
            print(line("fitted confidence", [review.fitted_score(f, model) for f in rows[held["name"]]], held["chrf"]))
        model = fit([r for d in sets for r in rows[d["name"]]], [y for d in sets for y in labels[d["name"]]], center)
        model["fitted_on"] = {d["name"]: len(d["chrf"]) for d in sets}
        model["label"] = f"sentence chrF in the worst {WORST:.0%} of its set"
        print(json.dumps(model["weights"], indent=1))
        if args.out:
            from zhbridge.io import atomic_write_text

            atomic_write_text(args.out, json.dumps(model, indent=1) + "\n", overwrite=True)
            review.CONFIDENCE_MODEL = Path(args.out)  # --evaluate below scores the model just written
            review._confidence_model.cache_clear()
            print(f"wrote {args.out}")
    for spec in args.evaluate:
        d = load_set(spec, translator, args.cache)
        conf = [
            review.confidence(lp, s, src=x, tgt=h, flags=f)
            for lp, s, x, h, f in zip(d["logprob"], d["sim"], d["src"], d["hyp"], d["flags"])
        ]
        rank = [
            review.review_rank({"origin": "mt", "confidence": c, "src": x, "tgt": h}, f)
            for c, x, h, f in zip(conf, d["src"], d["hyp"], d["flags"])
        ]
        print(f"{d['name']} ({len(d['chrf'])} segments, {sum(bool(f) for f in d['flags'])} with a QA flag):")
        print(line("log-prob", d["logprob"], d["chrf"]))
        print(line("cosine", d["sim"], d["chrf"]))
        print(line("fitted confidence", conf, d["chrf"]))
        print(line("QA report order (review_rank)", rank, d["chrf"]))
        low = sum(c < review.LOW_CONFIDENCE for c in conf)
        print(f"  below LOW_CONFIDENCE {review.LOW_CONFIDENCE}: {low}; needing review (flag or low confidence): "
              f"{sum(bool(f) or c < review.LOW_CONFIDENCE for f, c in zip(d['flags'], conf))}")  # fmt: skip


if __name__ == "__main__":
    main()
