"""Fitting the miner's classifier, with translation evidence, on the shipped gold article (corpus/gold)."""

from __future__ import annotations

import random
from pathlib import Path

from zhbridge.align import read_beads
from zhbridge.align.mine import MT_FEATURES, comparable, mine, prf
from zhbridge.align.mine_fit import fit

GOLD = Path(__file__).resolve().parents[2] / "corpus" / "gold"


def test_fit_with_translations_learns_to_trust_them():
    zh = (GOLD / "002-01.zh").read_text(encoding="utf-8").splitlines()
    en = (GOLD / "002-01.en").read_text(encoding="utf-8").splitlines()
    beads = [(b.zh, b.en) for b in read_beads(GOLD / "002-01.align")]
    # stand-in translations: each zh sentence's gold English (a perfect translation model)
    translations = {zh[i]: " ".join(en[j] for j in e) for z, e in beads for i in z}
    model = fit([(zh, en, beads)], seed=1, log=lambda _: None, translations=translations, repeats=2)
    assert model["translated"] is True and set(MT_FEATURES) <= set(model["weights"])
    assert model["weights"]["mt_cos"] > 0 and 0.05 <= model["threshold"] <= 0.95
    # another draw of the same article: the fitted classifier with the translations finds most of its pairs
    czh, cen, gold = comparable(zh, en, beads, random.Random(9))
    found = {(p.zh, p.en) for p in mine(czh, cen, model=model, translations=[translations[s] for s in czh])}
    assert prf(found, gold)["f1"] > 0.8
