"""Mining comparable text: real shuffled sentences with distractors, the margin, the comparable split, the CLI."""

from __future__ import annotations

import random

import numpy as np
import pytest
from typer.testing import CliRunner

from zhbridge.align.mine import (
    CLASSIFIER_FEATURES,
    DENSE_FEATURES,
    MT_FEATURES,
    MinedPair,
    candidates,
    comparable,
    feature_rows,
    lexical_features,
    mine,
    one_to_one,
    prf,
    shipped_model,
    tsv,
)
from zhbridge.cli import app

PAIRS = [
    ("郑州已成为微短剧拍摄的新中心。", "Zhengzhou has become a new centre for shooting micro-dramas."),
    ("2024年郑州生产了三千多部短剧。", "In 2024 Zhengzhou produced more than 3,000 short dramas."),
    ("拍摄成本比一线城市低三到四成。", "Filming costs are 30% to 40% lower than in first-tier cities."),
    ("演员们每天在片场工作十几个小时。", "The actors work more than ten hours a day on set."),
    ("市政府公布了一百多个拍摄地点。", "The city government has published more than 100 filming locations."),
]
ZH_ONLY = ["他喜欢在周末钓鱼。", "这家餐厅的面条很好吃。"]
EN_ONLY = ["The museum closes at five on Mondays.", "My sister bought a red bicycle."]


def test_translations_are_found_in_shuffled_text_and_distractors_are_left_out():
    rng = random.Random(3)
    zh = [z for z, _ in PAIRS] + ZH_ONLY
    en = [e for _, e in PAIRS] + EN_ONLY
    rng.shuffle(zh)
    rng.shuffle(en)
    found = {(zh[p.zh], en[p.en]) for p in mine(zh, en)}
    assert found == set(PAIRS)
    assert all(0.0 <= p.score <= 1.0 for p in mine(zh, en))
    assert mine(zh, en, threshold=1.01) == []  # a threshold above any probability keeps nothing


def test_ratio_margin_prefers_the_distinctive_partner_over_a_hub():
    # en 0 is equally close to every zh sentence (a hub) and nearer zh 0 by cosine than zh 0's own partner, en 1
    zv = np.eye(4, dtype=np.float32)[:3]
    ev = np.array([[1, 1, 1, 0], [0.55, 0, 0, 0.835], [0, 0, 1, 0]], dtype=np.float32)
    ev /= np.linalg.norm(ev, axis=1, keepdims=True)
    assert zv[0] @ ev[0] > zv[0] @ ev[1]
    cands = candidates(zv, ev, k=2)
    assert max((row[1], j) for (i, j), row in cands.items() if i == 0)[1] == 1
    assert cands[(2, 2)][2] == 1.0  # zh 2 and en 2 are each other's best: mutual


def test_candidates_keep_each_sentences_three_best_and_flag_the_best():
    rng = np.random.default_rng(0)
    zv = rng.normal(size=(6, 16)).astype(np.float32)
    ev = rng.normal(size=(7, 16)).astype(np.float32)
    zv /= np.linalg.norm(zv, axis=1, keepdims=True)
    ev /= np.linalg.norm(ev, axis=1, keepdims=True)
    cands = candidates(zv, ev, k=2)
    col = DENSE_FEATURES.index
    for i in range(6):
        mine_ = {j: row for (a, j), row in cands.items() if a == i}
        assert len(mine_) >= 3  # its own three best by margin, plus any English that chose it
        best = max(mine_, key=lambda j: mine_[j][col("margin")])
        assert [j for j, row in mine_.items() if row[col("best_zh")] == 1.0] == [best]
        assert mine_[best][col("gap_zh")] > 0 and all(row[col("gap_zh")] < 0 for j, row in mine_.items() if j != best)
    single = candidates(zv, ev, k=2, per_side=1)
    assert set(single) < set(cands) and len(single) <= 6 + 7


def test_half_a_translation_reads_short_with_chinese_left_unmatched():
    zh = ["拍摄成本比一线城市低三到四成，演员们每天在片场工作十几个小时。"]
    whole = "Filming costs are 30% to 40% lower than in first-tier cities, and the actors work more than ten hours a day on set."
    half = "Filming costs are 30% to 40% lower than in first-tier cities."
    rows = lexical_features(zh, [whole, half], [(0, 0), (0, 1)])
    col = lambda name: CLASSIFIER_FEATURES.index(name) - len(DENSE_FEATURES)  # noqa: E731
    assert rows.shape == (2, len(CLASSIFIER_FEATURES) - len(DENSE_FEATURES))
    assert rows[1, col("log_ratio")] < rows[0, col("log_ratio")] and rows[1, col("log_ratio")] < 0
    assert rows[1, col("unmatched_zh")] > rows[0, col("unmatched_zh")]
    assert rows[1, col("len_en")] < rows[0, col("len_en")] and rows[0, col("len_zh")] == rows[1, col("len_zh")]


def test_one_to_one_links_the_most_probable_pair_first_down_to_the_threshold():
    pairs = [(0, 0), (0, 1), (1, 1), (2, 2)]
    found = one_to_one(pairs, np.array([0.9, 0.95, 0.7, 0.4]), threshold=0.5)
    # (0, 1) wins zh 0 and en 1, so neither (0, 0) nor (1, 1) can be linked; (2, 2) is below the threshold
    assert [(p.zh, p.en, p.score) for p in found] == [(0, 1, 0.95)]
    assert len(one_to_one(pairs, np.array([0.9, 0.95, 0.7, 0.4]), threshold=0.3)) == 2


def test_comparable_split_drops_shuffles_and_keeps_gold_of_surviving_one_to_one_beads():
    zh = [f"z{k}" for k in range(10)]
    en = [f"e{k}" for k in range(11)]
    beads = [((k,), (k,)) for k in range(9)] + [((9,), (9, 10))]
    czh, cen, gold = comparable(zh, en, beads, random.Random(0))
    assert len(czh) == 7 and len(cen) == 8
    assert all(czh[i][1:] == cen[j][1:] for i, j in gold)  # each gold pair is the same original bead
    survivors = {z[1:] for z in czh} & {e[1:] for e in cen} - {"9", "10"}
    assert len(gold) == len(survivors)
    assert prf({(0, 0), (1, 2)}, {(0, 0), (3, 3)}) == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "found": 2, "gold": 2}


def test_tsv_has_one_clean_line_per_pair():
    text = tsv(["甲\t乙"], ["A  b"], [MinedPair(0, 0, 0.91234)])
    assert text == "甲 乙\tA b\t0.9123\n"


def test_cli_mine_writes_pairs_and_refuses_to_overwrite(tmp_path):
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text("".join(z for z, _ in PAIRS[:3]) + "\n" + ZH_ONLY[0] + "\n", encoding="utf-8")  # raw text
    en.write_text(" ".join(e for _, e in reversed(PAIRS[:3])) + "\n", encoding="utf-8")
    out = tmp_path / "pairs.tsv"
    result = CliRunner().invoke(app, ["corpus", "mine", str(zh), str(en), "--out", str(out), "--split"])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert {(r[0], r[1]) for r in rows} == set(PAIRS[:3])
    again = CliRunner().invoke(app, ["corpus", "mine", str(zh), str(en), "--out", str(out)])
    assert again.exit_code != 0


# what a weak zh→en model writes for the Chinese of PAIRS and ZH_ONLY (the miner receives plain strings)
MT = {
    PAIRS[0][0]: "Zhengzhou has become the new center of micro-drama shooting.",
    PAIRS[1][0]: "In 2024 Zhengzhou produced more than three thousand short plays.",
    PAIRS[2][0]: "The cost of shooting is 30 to 40 percent lower than first-tier cities.",
    PAIRS[3][0]: "Actors work for more than ten hours every day in the studio.",
    PAIRS[4][0]: "The municipal government announced more than 100 shooting places.",
    ZH_ONLY[0]: "He likes fishing at the weekend.",
    ZH_ONLY[1]: "The noodles of this restaurant are delicious.",
}


def test_translation_evidence_finds_the_translations_with_its_own_classifier():
    rng = random.Random(5)
    zh = [z for z, _ in PAIRS] + ZH_ONLY
    en = [e for _, e in PAIRS] + EN_ONLY
    rng.shuffle(zh)
    rng.shuffle(en)
    mined = mine(zh, en, translations=[MT[z] for z in zh])
    assert {(zh[p.zh], en[p.en]) for p in mined} == set(PAIRS)
    # the translations count: swapped for unrelated ones, the pairs are believed less
    wrong = [MT[ZH_ONLY[k % 2]] for k in range(len(zh))]
    assert sum(p.score for p in mine(zh, en, translations=wrong)) < sum(p.score for p in mined) - 0.2


def test_translation_features_tell_half_a_translation_from_a_whole():
    zh = [PAIRS[0][0].rstrip("。") + "，" + PAIRS[1][0]]  # one sentence translated by two English ones
    en = [PAIRS[0][1], PAIRS[1][1], EN_ONLY[0]]
    mt = [MT[PAIRS[0][0]].rstrip(".") + ", and " + MT[PAIRS[1][0]][0].lower() + MT[PAIRS[1][0]][1:]]
    pairs, rows = feature_rows(zh, en, translations=mt)
    col = (CLASSIFIER_FEATURES + MT_FEATURES).index
    half = rows[pairs.index((0, 0))]
    assert half[col("chr_en")] > 0.5 > half[col("chr_mt")]  # the half is in the translation, covers half of it
    assert half[col("chr_split_zh")] > 0.15  # with the other half the translation is covered far better
    with pytest.raises(ValueError, match="1 translations for 2 zh sentences"):
        feature_rows(zh * 2, en, translations=mt)
    with pytest.raises(ValueError, match="fitted without translations"):
        mine(zh, en, model=shipped_model(), translations=mt)


def test_cli_mine_with_a_translation_cache_needs_no_model(tmp_path):
    zh, en, cache = tmp_path / "zh.txt", tmp_path / "en.txt", tmp_path / "mt.tsv"
    zh.write_text("".join(z + "\n" for z, _ in PAIRS[:3]) + ZH_ONLY[0] + "\n", encoding="utf-8")
    en.write_text("".join(e + "\n" for _, e in reversed(PAIRS[:3])) + EN_ONLY[1] + "\n", encoding="utf-8")
    cache.write_text("".join(f"{z}\t{MT[z]}\n" for z, _ in PAIRS[:3]) + f"{ZH_ONLY[0]}\t{MT[ZH_ONLY[0]]}\n", encoding="utf-8")
    out = tmp_path / "pairs.tsv"
    result = CliRunner().invoke(app, ["corpus", "mine", str(zh), str(en), "--out", str(out), "--translations", str(cache)])
    assert result.exit_code == 0, result.output
    assert "with translation evidence" in result.output
    assert {tuple(r.split("\t")[:2]) for r in out.read_text(encoding="utf-8").splitlines()} == set(PAIRS[:3])
    cache.write_text(f"{PAIRS[0][0]}\t{MT[PAIRS[0][0]]}\n", encoding="utf-8")  # three sentences untranslated, no model
    again = CliRunner().invoke(
        app, ["corpus", "mine", str(zh), str(en), "--out", str(out), "--overwrite", "--translations", str(cache)]
    )
    from zhbridge.io import InputError

    assert isinstance(again.exception, InputError) and "3 sentences have no cached translation" in str(again.exception)
