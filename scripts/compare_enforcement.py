#!/usr/bin/env python
"""Glossary enforcement methods compared: term success, chrF with and without, segments > 1.5x unenforced.

    python scripts/compare_enforcement.py --model CT2_DIR --backend ct2 \\
        [--placeholder-model DIR] [--annotate-model DIR] [--sets test,termtest] [--articles DIR]

Methods, each against the same model's own unenforced output:
  (a) constrained decoding + the length rule + placement (mt.enforce) on --model;
  (c) placeholders (mt.placeholders) on a model trained with --term-placeholders; terms whose
      token is lost are placed by mt.enforce's insertion (no re-decoding);
  (b) inline annotation on a model trained with --term-annotate (the source carries ⟨English⟩),
      then mt.enforce on what is still missing.
Sets: ``test`` = the in-domain test split (corpus/dataset, project glossary); ``termtest`` = the
public term test set (corpus/termtest/wmt22, its per-segment terms); ``--articles DIR`` = the
corpus articles as written by `zhbridge corpus articles` (no reference: no chrF).
"Longer" = enforced output > 1.5x the words of the unenforced one; the rate is given over all
segments with terms and over those enforcement changed. "Over the hard rule" = more words than
``mt.enforce.allowed_words`` grants (the unenforced output + the terms + a few, within 1.5x).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_sets(names: list[str], articles: Path | None, termtest: Path):
    """name -> (sources, references or None, find(zh) -> glossary matches)."""
    from zhbridge.terms.glossary import Entry, Glossary, load_glossary

    glossary = load_glossary()
    sets = {}
    for name in names:
        if name == "termtest":
            src = (termtest / "src.zh").read_text(encoding="utf-8").splitlines()
            ref = (termtest / "ref.en").read_text(encoding="utf-8").splitlines()
            terms = [json.loads(line) for line in (termtest / "terms.jsonl").read_text(encoding="utf-8").splitlines()]
            per = {zh: Glossary([Entry(t["zh"], t["en"]) for t in ts]) for zh, ts in zip(src, terms)}
            sets[name] = (src, ref, lambda zh, per=per: per[zh].find(zh))
        elif name in ("test", "validation"):
            from datasets import load_from_disk

            from zhbridge import paths

            split = load_from_disk(str(paths.DATASET_DIR))[name]
            pairs = [(z, e) for z, e in zip(split["zh"], split["en"]) if z.strip()]
            sets[name] = ([z for z, _ in pairs], [e for _, e in pairs], glossary.find)
        else:
            sys.exit(f"unknown set {name!r}")
    if articles is not None:
        from zhbridge.text.segment import split_zh

        src = [
            s.strip()
            for f in sorted(articles.glob("*.txt"))
            for p in f.read_text(encoding="utf-8").splitlines()
            for s in split_zh(p)
        ]
        sets[f"articles({len(list(articles.glob('*.txt')))})"] = ([s for s in src if s], None, glossary.find)
    return sets


def measure(label, src, ref, find, free, enforced_outputs, checks_per_segment) -> dict:
    import sacrebleu

    with_terms = [i for i, zh in enumerate(src) if find(zh)]
    total = sum(len(c) for c in checks_per_segment)
    found = sum(bool(c.found) and c.ok for cs in checks_per_segment for c in cs)
    changed = [i for i in with_terms if enforced_outputs[i] != free[i]]
    longer = [i for i in with_terms if len(enforced_outputs[i].split()) > 1.5 * max(1, len(free[i].split()))]
    from zhbridge.mt.enforce import allowed_words

    # the hard rule itself: more words than the model's own output + the terms + a few (within 1.5x)
    over_rule = [
        i for i in with_terms if len(enforced_outputs[i].split()) > allowed_words(free[i], [c.en for c in checks_per_segment[i]])
    ]
    row = {
        "method": label,
        "segments": len(src),
        "with_terms": len(with_terms),
        "terms": total,
        "term_success": found / max(1, total),
        "found": found,
        "chrf_enforced": sacrebleu.corpus_chrf(enforced_outputs, [ref]).score if ref else None,
        "chrf_unenforced": sacrebleu.corpus_chrf(free, [ref]).score if ref else None,
        "longer": len(longer),
        "longer_rate": len(longer) / max(1, len(with_terms)),
        "changed": len(changed),
        "longer_of_changed": len(longer) / max(1, len(changed)),
        "over_rule": len(over_rule),
        "over_rule_rate": len(over_rule) / max(1, len(with_terms)),
        "longer_examples": [(src[i], free[i], enforced_outputs[i]) for i in longer[:5]],
        "misses": [
            (src[i], enforced_outputs[i], c.zh, c.reason)
            for i, cs in enumerate(checks_per_segment)
            for c in cs
            if not (c.found and c.ok)
        ][:20],
    }
    return row


def run_method(method, translator, src, find, lexicon):
    """(unenforced outputs, enforced outputs, checks) of one method on one set."""
    from zhbridge.mt import enforce

    if method == "b":
        from zhbridge.terms.glossary import Glossary

        def annotate(zh):
            return Glossary([m.entry for m in find(zh)]).annotate(zh)

        translator.source_annotator = annotate
    free = translator.translate(src) if method != "c" else translator.inner.translate(src)
    first = free
    if method == "c":
        translator.find = find
        first = translator.translate(src)
    import inspect

    # lexicon= is new with aligned placement: without it this script also measures the method before it
    extra = {"lexicon": lexicon} if "lexicon" in inspect.signature(enforce.enforce_terms).parameters else {}
    outs, checks = [], []
    for zh, out in zip(src, first):
        o, c = enforce.enforce_terms(zh, out, find(zh), translator=translator, **extra)
        outs.append(o)
        checks.append(c)
    return free, outs, checks


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=None, help="model for (a); default models/zhbridge-default")
    ap.add_argument("--backend", default="hf")
    ap.add_argument("--placeholder-model", default=None, help="a model trained with --term-placeholders, for (c)")
    ap.add_argument("--annotate-model", default=None, help="a model trained with --term-annotate, for (b)")
    ap.add_argument("--placeholder-backend", default="hf")
    ap.add_argument("--beams", type=int, default=4)
    ap.add_argument("--sets", default="test,termtest")
    ap.add_argument("--termtest", type=Path, default=ROOT / "corpus" / "termtest" / "wmt22")
    ap.add_argument("--articles", type=Path, default=None)
    ap.add_argument("--no-lexicon", action="store_true", help="place inserted terms without dictionary landmarks")
    ap.add_argument("--methods", default="a,b,c", help="which of a, b, c to run (b and c need their model dirs)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N segments of each set (smoke test)")
    ap.add_argument("--label", default="(a) constrained decoding + placement", help="name of method (a) in the table")
    ap.add_argument("--json", type=Path, default=None, help="also write the rows (and longest-output examples) here")
    args = ap.parse_args()

    from zhbridge.mt.models import load_translator

    lexicon = None
    if not args.no_lexicon:
        from zhbridge.terms.lexicon import load_lexicon

        lexicon = load_lexicon()
    sets = load_sets([s for s in args.sets.split(",") if s], args.articles, args.termtest)
    if args.limit:  # a quick check of the code paths, not a measurement
        sets = {k: (src[: args.limit], ref[: args.limit] if ref else ref, find) for k, (src, ref, find) in sets.items()}
    wanted = set(args.methods.split(","))
    methods = [(args.label, "a", args.model, args.backend)] if "a" in wanted else []
    for label, key, spec in (
        ("(c) placeholders", "c", args.placeholder_model),
        ("(b) inline annotation", "b", args.annotate_model),
    ):
        if key not in wanted:
            continue
        if spec and Path(spec).is_dir():
            methods.append((label, key, spec, args.placeholder_backend))
        else:
            print(f"skipped {label}: no model dir given or {spec} does not exist", flush=True)
    rows = []
    for label, key, spec, backend in methods:
        translator = load_translator(spec, backend=backend, beams=args.beams, threads=1, device="cpu")
        if key == "c":
            from zhbridge.mt.placeholders import PlaceholderTranslator

            translator = PlaceholderTranslator(translator, lambda zh: [])
        for name, (src, ref, find) in sets.items():
            t0 = time.monotonic()
            free, outs, checks = run_method(key, translator, src, find, lexicon)
            row = measure(label, src, ref, find, free, outs, checks)
            row.update(set=name, model=str(spec or "models/zhbridge-default"), seconds=round(time.monotonic() - t0, 1))
            rows.append(row)
            print(json.dumps({k: v for k, v in row.items() if k not in ("longer_examples", "misses")}), flush=True)
    print()
    print(
        "| set | method | term success | chrF enforced | chrF unenforced | > 1.5x unenforced (of segments with terms) | (of segments changed) | over the hard rule |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        chrf = (f"{r['chrf_enforced']:.2f}", f"{r['chrf_unenforced']:.2f}") if r["chrf_enforced"] is not None else ("—", "—")
        print(
            f"| {r['set']} ({r['segments']} segments, {r['with_terms']} with terms) | {r['method']} | "
            f"{r['found']}/{r['terms']} = {r['term_success']:.3f} | {chrf[0]} | {chrf[1]} | "
            f"{r['longer']}/{r['with_terms']} = {r['longer_rate']:.1%} | {r['longer']}/{r['changed']} = {r['longer_of_changed']:.1%} | {r['over_rule']}/{r['with_terms']} |"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
