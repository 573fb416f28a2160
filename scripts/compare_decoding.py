#!/usr/bin/env python
"""HF vs CTranslate2 outputs line by line, and how well QA's confidence ranks segments.

    python scripts/compare_decoding.py --src SRC.zh --ref REF.en --hyp hf=HF.en --hyp ct2=CT2.en \\
        [--qe-model models/zhbridge-default --qe-of hf]

Prints, per system: corpus chrF, fragment-start rate (an output beginning with a lower-case
word piece or punctuation, "s of the…", ", why…"), and against the first system the share of
identical lines. With ``--qe-model`` it scores the ``--qe-of`` outputs as ``zhbridge translate``
does (teacher-forced log-probability, USE cosine, QA flags) and prints Kendall τ against
sentence chrF and the mean sentence chrF of the 20 % QA ranks worst vs the rest.
"""

from __future__ import annotations

import argparse
import re

# a start that is no English sentence start: a short lower-case piece ("s of", "th,") or punctuation
COMMON_LOWER_STARTS = {
    "a",
    "i",
    "an",
    "as",
    "at",
    "by",
    "in",
    "on",
    "of",
    "or",
    "to",
    "up",
    "we",
    "he",
    "it",
    "is",
    "so",
    "no",
    "do",
}


def fragment_start(text: str) -> bool:
    t = text.strip()
    if not t:
        return False
    if t[0] in ",.;:)]'’":
        return True
    first = re.match(r"[A-Za-z]+", t)
    return bool(first) and t[0].islower() and first.group(0) not in COMMON_LOWER_STARTS and len(first.group(0)) <= 3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", required=True)
    ap.add_argument("--ref", required=True)
    ap.add_argument("--hyp", action="append", required=True, help="NAME=FILE (the first is the baseline)")
    ap.add_argument("--qe-model", default=None)
    ap.add_argument("--qe-of", default=None)
    ap.add_argument("--batch", type=int, default=32)
    args = ap.parse_args()

    import sacrebleu

    from zhbridge.io import read_lines
    from zhbridge.text.normalize import normalize_paragraph

    src = [normalize_paragraph(s, "zh") for s in read_lines(args.src)]
    ref = read_lines(args.ref)
    hyps = {}
    for spec in args.hyp:
        name, path = spec.split("=", 1)
        hyps[name] = read_lines(path)
        assert len(hyps[name]) == len(ref), (name, len(hyps[name]), len(ref))
    base = next(iter(hyps))
    for name, lines in hyps.items():
        chrf = sacrebleu.corpus_chrf(lines, [ref]).score
        frag = sum(map(fragment_start, lines)) / len(lines)
        same = sum(a == b for a, b in zip(lines, hyps[base])) / len(lines)
        print(f"{name}: chrF {chrf:.2f}  fragment-start {frag:.1%}  identical to {base} {same:.1%}  ({len(lines)} lines)")
    if not args.qe_model:
        return
    from scipy.stats import kendalltau

    from zhbridge.embed import paired_similarity
    from zhbridge.mt.models import load_translator
    from zhbridge.mt.qa import check_segment
    from zhbridge.mt.review import confidence, review_flags, review_rank

    lines = hyps[args.qe_of or base]
    translator = load_translator(args.qe_model, beams=1, threads=1, device="cpu")
    logprobs: list[float] = []
    for i in range(0, len(src), args.batch):
        logprobs += translator.score(src[i : i + args.batch], [t or "." for t in lines[i : i + args.batch]])
    sims = [float(x) for x in paired_similarity(src, lines)]
    sent = [sacrebleu.sentence_chrf(h, [r]).score for h, r in zip(lines, ref)]
    rows = []
    for s, h, lp, sim in zip(src, lines, logprobs, sims):
        flags = review_flags(check_segment(s, h))
        seg = {"origin": "mt", "confidence": confidence(lp, sim, src=s, tgt=h, flags=flags)}
        rows.append((review_rank(seg, flags), seg["confidence"], lp, sim, len(flags)))
    for label, k in (("log-prob", 2), ("cosine", 3), ("fitted confidence", 1), ("QA rank", 0)):
        tau = kendalltau([r[k] for r in rows], sent).statistic
        order = sorted(range(len(rows)), key=lambda i: rows[i][k])
        cut = len(order) // 5
        worst = sum(sent[i] for i in order[:cut]) / cut
        rest = sum(sent[i] for i in order[cut:]) / (len(order) - cut)
        print(
            f"{label}: Kendall tau {tau:.3f}; worst 20% mean sentence chrF {worst:.1f} vs rest {rest:.1f} ({rest - worst:+.1f})"
        )
    print(f"segments with a QA flag: {sum(r[4] > 0 for r in rows)} of {len(rows)}")


if __name__ == "__main__":
    main()
