"""Evidence from machine translations of the Chinese side (Bleualign: translate, then compare monolingually).

The callers pass the translations as plain strings parallel to the zh sentences (this package may
not import :mod:`zhbridge.mt`; ``zhbridge.mt.evidence`` makes and caches them). A pair (zh, en)
is then also judged English against English: by the character n-gram overlap of the translation
and the English (chrF's statistics, Popović 2015) and by the sentence-encoder cosine of the two
English texts, which is sharper than the cross-lingual one.

The overlap is kept as two one-sided figures, because they tell a part from a whole: the English of
one sentence of a 1-2 bead is mostly found in the translation of the whole zh sentence
(``chr_en`` high) but covers only half of it (``chr_mt`` low).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

CHAR_ORDER = 6  # chrF's character n-gram orders 1..6


def char_ngrams(text: str) -> list[Counter]:
    """Character n-gram counts of orders 1..CHAR_ORDER, spaces removed and case folded (as chrF)."""
    s = "".join(text.casefold().split())
    return [Counter(s[i : i + n] for i in range(len(s) - n + 1)) for n in range(1, CHAR_ORDER + 1)]


def overlap(a: list[Counter], b: list[Counter]) -> tuple[float, float]:
    """(share of ``a``'s n-grams found in ``b``, share of ``b``'s found in ``a``), averaged over the orders present."""
    pa, pb = [], []
    for ca, cb in zip(a, b):
        ta, tb = sum(ca.values()), sum(cb.values())
        if not ta or not tb:
            continue
        common = sum((ca & cb).values())
        pa.append(common / ta)
        pb.append(common / tb)
    return (float(np.mean(pa)) if pa else 0.0, float(np.mean(pb)) if pb else 0.0)


def chrf(p: float, r: float, beta: float = 2.0) -> float:
    return (1 + beta**2) * p * r / (beta**2 * p + r) if p + r > 0 else 0.0


class Translations:
    """The translations of one document's zh sentences, their vectors and n-grams, for pairwise evidence."""

    def __init__(
        self,
        translations: Sequence[str],
        en: Sequence[str],
        encode=None,
        en_vectors: np.ndarray | None = None,
        pool: int = 8,  # nearest neighbours searched for candidates (the miner passes its POOL)
    ):
        self.pool = pool
        if encode is None:
            from zhbridge.embed import encode
        self.texts = [t or "" for t in translations]
        self.tv = np.asarray(encode(self.texts), dtype=np.float32) if self.texts else np.zeros((0, 512), np.float32)
        self.ev = np.asarray(encode(list(en)), dtype=np.float32) if en_vectors is None else en_vectors
        self._mt_grams = [char_ngrams(t) for t in self.texts]
        self._en_grams = [char_ngrams(s) for s in en]

    def cosines(self, I: np.ndarray, J: np.ndarray) -> np.ndarray:
        """Monolingual cosine of translation I[k] and English J[k]."""
        return np.einsum("ij,ij->i", self.tv[I], self.ev[J]) if len(I) else np.zeros(0)

    def char_overlap(self, I: Iterable[int], J: Iterable[int]) -> np.ndarray:
        """Rows (chr_en, chr_mt, chrf): share of the English's n-grams in the translation, the converse, and chrF."""
        rows = []
        for i, j in zip(I, J):
            en_in_mt, mt_in_en = overlap(self._en_grams[j], self._mt_grams[i])
            # chrF with the translation as hypothesis: precision = its n-grams in the English, recall = the converse
            rows.append((en_in_mt, mt_in_en, chrf(mt_in_en, en_in_mt)))
        return np.array(rows).reshape(-1, 3)

    def split_gains(self, I: Iterable[int], J: Iterable[int], alt_en: Iterable[int], alt_mt: Iterable[int]) -> np.ndarray:
        """Rows (zh side, en side): how much more of the translation I[k] the English J[k] and alt_en[k] cover together
        than J[k] alone, and how much more of the English J[k] translations I[k] and alt_mt[k] cover together."""
        rows = []
        for i, j, a, b in zip(I, J, alt_en, alt_mt):
            alone_mt = overlap(self._mt_grams[i], self._en_grams[j])[0]
            both_en = [x + y for x, y in zip(self._en_grams[j], self._en_grams[a])] if a != j else self._en_grams[j]
            alone_en = overlap(self._en_grams[j], self._mt_grams[i])[0]
            both_mt = [x + y for x, y in zip(self._mt_grams[i], self._mt_grams[b])] if b != i else self._mt_grams[i]
            rows.append((overlap(self._mt_grams[i], both_en)[0] - alone_mt, overlap(self._en_grams[j], both_mt)[0] - alone_en))
        return np.array(rows).reshape(-1, 2)

    def margins(self, k: int):
        """Each side's pool in the English-English space (translation vs English): sims, ids, and the margin means."""
        from zhbridge.embed import nearest

        pool = max(self.pool, k)
        z_sims, z_ids = nearest(self.tv, self.ev, pool)
        e_sims, e_ids = nearest(self.ev, self.tv, pool)
        return z_sims, z_ids, e_sims, e_ids, z_sims[:, :k].mean(1), e_sims[:, :k].mean(1)

    def candidates(self, k: int, per_side: int) -> set[tuple[int, int]]:
        """Each sentence's best ``per_side`` partners by margin between the translations and the English."""
        z_sims, z_ids, e_sims, e_ids, z_mean, e_mean = self.margins(k)
        zm = z_sims / (z_mean[:, None] / 2 + e_mean[z_ids] / 2 + 1e-9)
        em = e_sims / (e_mean[:, None] / 2 + z_mean[e_ids] / 2 + 1e-9)
        found = {(i, int(z_ids[i, c])) for i, row in enumerate(np.argsort(-zm, 1)[:, :per_side]) for c in row}
        return found | {(int(e_ids[j, c]), j) for j, row in enumerate(np.argsort(-em, 1)[:, :per_side]) for c in row}

    def rows(self, pairs: Sequence[tuple[int, int]], k: int) -> np.ndarray:
        """The miner's ``MT_FEATURES`` (:mod:`zhbridge.align.mine`) of each (zh, en) pair."""
        z_sims, z_ids, e_sims, e_ids, z_mean, e_mean = self.margins(k)
        I, J = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
        cos = self.cosines(I, J)
        margin = cos / (z_mean[I] / 2 + e_mean[J] / 2 + 1e-9)

        def best_other(sims, ids, rows, cols):
            s = sims[rows].copy()
            s[ids[rows] == cols[:, None]] = -np.inf
            arg = s.argmax(1)
            return np.take_along_axis(s, arg[:, None], 1)[:, 0], ids[rows, arg]

        oz, alt = best_other(z_sims, z_ids, I, J)
        oe, alt_mt = best_other(e_sims, e_ids, J, I)

        def split(own, other, rows, cols, alt):
            both = other[cols] + other[alt]
            both /= np.maximum(np.linalg.norm(both, axis=1, keepdims=True), 1e-9)
            return np.einsum("ij,ij->i", own[rows], both) - cos

        sz, se = split(self.tv, self.ev, I, J, alt), split(self.ev, self.tv, J, I, alt_mt)
        gz, ge = np.clip(cos - oz, -1, 1), np.clip(cos - oe, -1, 1)
        return np.column_stack([cos, margin, gz, ge, sz, se, self.char_overlap(I, J), self.split_gains(I, J, alt, alt_mt)])
