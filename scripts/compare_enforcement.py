#!/usr/bin/env python
"""Glossary enforcement with and without the length rule: term success, chrF, segments > 1.5x unenforced.

    python scripts/compare_enforcement.py --model CT2_DIR --backend ct2 [--splits test,validation]

Sentences are the corpus splits' Chinese (their English is the reference); terms are the
project glossary's matches. "Without the rule" allows constrained decoding any length (the
method before issue 27); "with" is ``mt.enforce``'s LENGTH_SLACK_WORDS.
"""

from __future__ import annotations

import argparse


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=None)
    ap.add_argument("--backend", default="hf")
    ap.add_argument("--beams", type=int, default=4)
    ap.add_argument("--splits", default="test,validation")
    args = ap.parse_args()

    import pyarrow.parquet as pq
    import sacrebleu

    from zhbridge import paths
    from zhbridge.mt import enforce
    from zhbridge.mt.models import load_translator
    from zhbridge.terms.glossary import load_glossary

    pairs = []
    for split in args.splits.split(","):
        for f in sorted((paths.DATASET_DIR / "parquet").glob(f"{split}-*.parquet")):
            table = pq.read_table(f)
            rows = table.to_pylist()
            if "en" not in table.column_names:  # the monolingual articles: no reference, split into sentences
                from zhbridge.text.segment import split_zh

                pairs += [(s, "") for r in rows for s in split_zh(r["zh"]) if s.strip()]
            else:
                pairs += [(r["zh"], r["en"]) for r in rows if r["zh"].strip()]
    glossary = load_glossary()
    translator = load_translator(args.model, backend=args.backend, beams=args.beams, threads=1, device="cpu")
    free = translator.translate([zh for zh, _ in pairs])
    refs = [en for _, en in pairs]
    print(f"{len(pairs)} segments, {sum(bool(glossary.find(zh)) for zh, _ in pairs)} with glossary terms")
    if all(refs):
        print(f"unenforced: chrF {sacrebleu.corpus_chrf(free, [refs]).score:.2f}")
    for label, slack in (("(a) constrained decoding, no length rule", 10_000), ("(a') with the length rule", 3)):
        enforce.LENGTH_SLACK_WORDS = slack
        outs, found, total, longer, enforced = [], 0, 0, 0, 0
        for (zh, _), base in zip(pairs, free):
            matches = glossary.find(zh)
            out, checks = enforce.enforce_terms(zh, base, matches, translator=translator)
            outs.append(out)
            total += len(checks)
            found += sum(bool(c.found) and c.ok for c in checks)
            if out != base:
                enforced += 1
                longer += len(out.split()) > 1.5 * max(1, len(base.split()))
        chrf = sacrebleu.corpus_chrf(outs, [refs]).score if all(refs) else float("nan")
        print(
            f"{label}: term success {found}/{total} = {found / max(1, total):.3f}; chrF {chrf:.2f}; "
            f"> 1.5x unenforced words {longer}/{enforced} enforced segments ({longer / max(1, enforced):.1%})"
        )


if __name__ == "__main__":
    main()
