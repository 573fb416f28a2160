#!/usr/bin/env python
"""Choose the decoding loop guards by measurement on the general dev set (never on a test set).

Translates the 400 held-out Chinese-original news pairs that ``zhbridge train --validation general``
validates on, with each combination of beam size, no-repeat n-gram size and repetition penalty,
through the CTranslate2 export (int8 by default; ``--quantization none`` decodes as HF does, same
search rules: see docs/decoding.md). Prints chrF, BLEU (sacrebleu signatures), the share of segments with a
repeated 4-gram loop, and seconds, one row per setting.

    python scripts/tune_decoding.py --model runs/general [--threads 2] [--n 400]
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time


def dev_pairs(n: int, seed: int = 0) -> list[tuple[str, str]]:
    from zhbridge.train import data
    from zhbridge.train.pipeline import _held_out_general

    _, dev = _held_out_general(data.load_general_pairs(seed=seed), n, seed)
    return dev


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--beams", default="1,4")
    parser.add_argument("--no-repeat", default="0,3,4")
    parser.add_argument("--penalty", default="1.0,1.2")
    parser.add_argument("--length-penalty", default="1.0")
    parser.add_argument("--quantization", default="int8", help="export quantization; none = float32, equal to HF")
    args = parser.parse_args()

    import sacrebleu

    from zhbridge.evaluate.metrics import score_corpus
    from zhbridge.mt.export import export_ct2
    from zhbridge.mt.models import load_translator
    from zhbridge.text.repetition import repetition_loop

    pairs = dev_pairs(args.n)
    src, ref = [z for z, _ in pairs], [e for _, e in pairs]
    with tempfile.TemporaryDirectory() as tmp:
        quantization = None if args.quantization == "none" else args.quantization
        export_ct2(args.model, f"{tmp}/ct2", quantization=quantization)
        translator = load_translator(f"{tmp}/ct2", backend="ct2", threads=args.threads)
        print(
            f"model {args.model}; general dev: {len(pairs)} pairs (newstest2019/2020 zh-en, held out of training); "
            f"CTranslate2 {args.quantization}, {args.threads} threads"
        )
        print(
            "| beams | no-repeat n-gram | repetition penalty | length penalty | chrF | BLEU | BLEU BP | 4-gram loops | seconds |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        signatures = {}
        for beams, ngram, penalty, length_penalty in itertools.product(
            [int(b) for b in args.beams.split(",")],
            [int(n) for n in args.no_repeat.split(",")],
            [float(p) for p in args.penalty.split(",")],
            [float(p) for p in args.length_penalty.split(",")],
        ):
            if beams == 1 and length_penalty != 1.0:
                continue  # the length penalty only ranks beam hypotheses
            translator.options.beams = beams
            translator.options.no_repeat_ngram_size = ngram
            translator.options.repetition_penalty = penalty
            translator.options.length_penalty = length_penalty
            started = time.monotonic()
            hyps = []
            for i in range(0, len(src), 32):
                hyps += translator.translate(src[i : i + 32])
            seconds = time.monotonic() - started
            scores = score_corpus(hyps, [ref], metrics=("BLEU", "chrF"))
            signatures = {k: v[1] for k, v in scores.items()}
            loops = sum(1 for h in hyps if repetition_loop(h))
            brevity = sacrebleu.corpus_bleu(hyps, [ref]).bp
            print(
                f"| {beams} | {ngram} | {penalty} | {length_penalty} | {scores['chrF'][0]:.2f} | {scores['BLEU'][0]:.2f} | {brevity:.3f} | "
                f"{loops} ({100 * loops / len(hyps):.1f}%) | {seconds:.1f} |",
                flush=True,
            )
        for name, signature in signatures.items():
            print(f"{name}: {signature}")


if __name__ == "__main__":
    main()
