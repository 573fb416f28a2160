#!/usr/bin/env python
"""Translate a file of Chinese lines with one backend, nothing else: no TM, no glossary, no enforcement.

The raw decoder output, for comparing the HF and CTranslate2 backends line by line
(``scripts/compare_decoding.py``) and for scoring against WMT references. Batching is the
pipeline's (sorted by length, bounded by padded tokens), so the outputs are what
``zhbridge translate`` would send on to enforcement.

    python scripts/decode_lines.py --model models/zhbridge-default --backend hf --beams 4 \\
        --input ../shared/bench/wmt/wmt23/src.zh --out /tmp/hf.en
"""

from __future__ import annotations

import argparse
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=None, help="HF model dir, or a CTranslate2 export with --backend ct2")
    ap.add_argument("--backend", default="hf", choices=("hf", "ct2"))
    ap.add_argument("--beams", type=int, default=4)
    ap.add_argument("--input", required=True, help="one Chinese segment per line")
    ap.add_argument("--out", required=True)
    ap.add_argument("--batch-tokens", type=int, default=4096)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    from zhbridge.io import atomic_write_text, read_lines
    from zhbridge.mt.models import load_translator
    from zhbridge.mt.translate import token_batches
    from zhbridge.text.normalize import normalize_paragraph

    # the pipeline normalises every paragraph before the model sees it; so does this
    sources = [normalize_paragraph(s, "zh") if s.strip() else "" for s in read_lines(args.input)]
    translator = load_translator(args.model, backend=args.backend, beams=args.beams, threads=args.threads, device="cpu")
    lengths = translator.source_lengths(sources)
    outputs = [""] * len(sources)
    start = time.perf_counter()
    for batch in token_batches([{"i": i} for i in range(len(sources))], lengths, args.batch_tokens):
        for k, out in zip(batch, translator.translate([sources[k] for k in batch])):
            outputs[k] = out.replace("\n", " ")
    elapsed = time.perf_counter() - start
    atomic_write_text(args.out, "\n".join(outputs) + "\n", overwrite=True)
    print(f"{args.backend} beams={args.beams}: {len(sources)} lines in {elapsed:.1f} s -> {args.out}")


if __name__ == "__main__":
    main()
