#!/usr/bin/env python
"""Probe: would machine translations of the zh side help the aligner? (A diagnostic; nothing is shipped from it.)

Usage: python scripts/probe_translation_evidence.py BENCH_DIR --translations CACHE.tsv [--model DIR] [--align SCALE ...]

BENCH_DIR has the mac-dev layout. ``--translations`` is a ``zh<TAB>translation`` cache
(``zhbridge.mt.evidence``; ``--model`` fills what it lacks). Two probes:

1. Telling a gold 1-2 bead (z; e1 e2) from a gold 1-1 bead (z; e1) followed by the next bead's English:
   the AUC of how much closer z gets when e2 (or the next English) is added to e1, by the cross-lingual
   cosine the aligner uses, by the English-English cosine of z's translation, and by the share of the
   translation's character n-grams the English covers (Bleualign's kind of evidence); then both together.
2. ``--align``: the aligner on BENCH_DIR with the zh side's sentence vectors replaced by the vectors of their
   translations (English against English), the dense weights scaled by each SCALE, against the shipped
   cross-lingual vectors scaled the same way; strict/lax F1 as scripts/eval_alignment.py. The scales are a
   probe of headroom on the bench itself, never a setting to ship.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

from zhbridge.align.beads import read_beads
from zhbridge.align.translated import char_ngrams, overlap
from zhbridge.io import read_lines
from zhbridge.mt.evidence import load_fast_translator, translate_sentences


def auc(score: np.ndarray, label: np.ndarray) -> float:
    pos, neg = score[label], score[~label]
    return float((pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean())


def gains(bench: Path, cache: str) -> None:
    from zhbridge.align.learn import _logistic
    from zhbridge.embed import encode

    rows = []
    for gold in sorted((bench / "gold").glob("*.align")):
        zh, en = read_lines(bench / "zh" / f"{gold.stem}.zh"), read_lines(bench / "en" / f"{gold.stem}.en")
        mt = translate_sentences(zh, None, cache)
        cases = [
            (len(b.en) == 2, b.zh[0], b.en[0], b.en[0] + 1)
            for b in read_beads(gold)
            if len(b.zh) == 1 and (len(b.en) == 2 or (len(b.en) == 1 and b.en[0] + 1 < len(en)))
        ]
        z, t = encode([zh[c[1]] for c in cases]), encode([mt[c[1]] for c in cases])
        e1, e12 = encode([en[c[2]] for c in cases]), encode([en[c[2]] + " " + en[c[3]] for c in cases])
        for k, (label, i, a, b) in enumerate(cases):
            grams = char_ngrams(mt[i])
            chr_gain = overlap(grams, char_ngrams(en[a] + " " + en[b]))[0] - overlap(grams, char_ngrams(en[a]))[0]
            rows.append((label, z[k] @ e12[k] - z[k] @ e1[k], t[k] @ e12[k] - t[k] @ e1[k], chr_gain))
    r = np.array(rows, dtype=float)
    y = r[:, 0] == 1
    print(f"{int(y.sum())} gold 1-2 beads against {int((~y).sum())} gold 1-1 beads + the next English")
    for col, name in (
        (1, "cross-lingual cosine gain"),
        (2, "translation en-en cosine gain"),
        (3, "translation n-gram coverage gain"),
    ):
        print(f"  AUC {name}: {auc(r[:, col], y):.3f}")
    X = r[:, 1:]
    w, b = _logistic(X[y], X[~y])
    print(f"  AUC of all three in one logistic model (fitted on these cases): {auc(X @ w + b, y):.3f}")


def align_probe(bench: Path, cache: str, scales: list[float]) -> None:
    from zhbridge.align import dense
    from zhbridge.align.evaluate import align_directory, evaluate_dirs
    from zhbridge.align.model import shipped_weights

    shipped = dense.side_vectors
    for translated in (False, True):

        def side_vectors(sentences, zh, encode=None, translated=translated):
            if zh and translated:  # the translations stand in for the Chinese, encoded as English
                return shipped(translate_sentences(sentences, None, cache), False, encode)
            return shipped(sentences, zh, encode)

        dense.side_vectors = side_vectors
        for scale in scales:
            weights = json.loads(json.dumps(shipped_weights()))
            for name in ("emb_cos", "emb_margin"):
                weights["weights"][name] *= scale
            out = Path(tempfile.mkdtemp(prefix="zhbridge-probe-"))
            align_directory(bench, out, weights=weights)
            r = evaluate_dirs(bench / "gold", out)["ALL"]
            kind = "translation vectors" if translated else "cross-lingual (shipped)"
            print(f"  {kind:<24} dense weights x{scale}: strict F1 {r['f1_strict']:.3f}, lax F1 {r['f1_lax']:.3f}")
    dense.side_vectors = shipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bench")
    parser.add_argument("--translations", required=True)
    parser.add_argument("--model", help="translate what the cache lacks with this model (CT2 export, greedy)")
    parser.add_argument("--align", type=float, nargs="*", help="also run the aligner probe at these dense-weight scales")
    args = parser.parse_args(argv)
    bench = Path(args.bench)
    every = [s for f in sorted((bench / "zh").glob("*.zh")) for s in read_lines(f)]
    translate_sentences(every, load_fast_translator(args.model).translate if args.model else None, args.translations, log=print)
    gains(bench, args.translations)
    if args.align is not None:
        align_probe(bench, args.translations, args.align or [1.0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
