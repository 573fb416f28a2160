"""Chinese word -> English lemma translation table learned with IBM Model 1 from parallel text.

Chinese is segmented the way the aligner sees it (forward maximum match over the CC-CEDICT
lexicon), English reduced to the aligner's content lemmas, so the learned pairs plug straight
into :class:`zhbridge.terms.lexicon.Lexicon` (which reads the table, :data:`~zhbridge.terms.lexicon.LEARNED_TABLE`). EM runs over all (sentence, zh word, en lemma)
triples at once with numpy, a few seconds per iteration for ~100k pairs.

Rebuild: ``python -m zhbridge.align.learned_lexicon [max_pairs]`` (writes data/learned_lexicon.tsv).
"""

from __future__ import annotations

import os
import sys

import numpy as np

from zhbridge.terms.lexicon import LEARNED_TABLE, en_content_lemmas

NULL = "<null>"


def train_model1(pairs: list[tuple[list[str], list[str]]], iterations: int = 5):
    """t(e | z) over co-occurring pairs; returns (zh vocab, en vocab, z index, e index, prob, zh counts)."""
    zv: dict[str, int] = {NULL: 0}
    ev: dict[str, int] = {}
    s_idx, z_idx, e_idx = [], [], []
    zcount: dict[int, int] = {}
    for s, (zs, es) in enumerate(pairs):
        zi = [0] + [zv.setdefault(z, len(zv)) for z in zs]
        ei = [ev.setdefault(e, len(ev)) for e in es]
        for z in zi:
            zcount[z] = zcount.get(z, 0) + 1
        for e in ei:
            s_idx += [s] * len(zi)
            z_idx += zi
            e_idx += [e] * len(zi)
    s_arr, z_arr, e_arr = (np.asarray(a, dtype=np.int64) for a in (s_idx, z_idx, e_idx))
    pair_key = z_arr * len(ev) + e_arr
    keys, pair_of = np.unique(pair_key, return_inverse=True)
    # one group per (sentence, english lemma): the zh words competing to explain it
    _, group = np.unique(s_arr * len(ev) + e_arr, return_inverse=True)
    pz = keys // len(ev)
    t = np.ones(len(keys))
    for _ in range(iterations):
        tp = t[pair_of]
        share = tp / np.bincount(group, tp)[group]
        counts = np.bincount(pair_of, share, minlength=len(keys))
        t = counts / np.bincount(pz, counts, minlength=len(zv))[pz]
    zc = np.array([zcount.get(i, 0) for i in range(len(zv))])
    return list(zv), list(ev), pz, keys % len(ev), t, zc


def prune(zh_vocab, en_vocab, pz, pe, t, zc, min_prob: float = 0.15, top_k: int = 4, min_count: int = 3):
    """(zh, lemma, p) rows: the top_k lemmas per zh word with p >= min_prob, for words seen min_count times."""
    rows = []
    keep = (t >= min_prob) & (zc[pz] >= min_count) & (pz != 0)
    order = np.lexsort((-t[keep], pz[keep]))
    kz, ke, kt = pz[keep][order], pe[keep][order], t[keep][order]
    last, n = -1, 0
    for z, e, p in zip(kz, ke, kt):
        n = n + 1 if z == last else 1
        last = z
        if n <= top_k:
            rows.append((zh_vocab[z], en_vocab[e], float(p)))
    return rows


def tokenize_pairs(raw_pairs, lexicon) -> list[tuple[list[str], list[str]]]:
    out = []
    for zh, en in raw_pairs:
        zs, es = sorted(lexicon.segment(zh)), sorted(en_content_lemmas(en))
        if zs and es and len(zs) <= 40 and len(es) <= 40:
            out.append((zs, es))
    return out


def build(max_pairs: int = 120_000, path: str | os.PathLike = LEARNED_TABLE) -> int:
    import random

    from zhbridge.io import atomic_write_text
    from zhbridge.parallel import load_parallel
    from zhbridge.terms.lexicon import load_lexicon

    raw = [p for pairs in load_parallel(caps={}).values() for p in pairs]
    random.Random(0).shuffle(raw)
    pairs = tokenize_pairs(raw[:max_pairs], load_lexicon(use_learned=False))
    rows = prune(*train_model1(pairs))
    header = f"# IBM Model 1 (5 EM iterations) on {len(pairs)} pairs of corpus/training/parallel; see data/README.md\n"
    atomic_write_text(path, header + "".join(f"{z}\t{e}\t{p:.3f}\n" for z, e, p in rows))
    return len(rows)


if __name__ == "__main__":
    print(build(int(sys.argv[1]) if len(sys.argv) > 1 else 120_000), "rows")
