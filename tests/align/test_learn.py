import random

import numpy as np

from zhbridge.align.beads import BEAD_SHAPES
from zhbridge.align.features import en_evidence, zh_evidence
from zhbridge.align.learn import (
    LearnSettings,
    ShapeProfile,
    _LossAugmented,
    gold_path,
    make_document,
    path_features,
    split_en,
    split_zh,
)
from zhbridge.align.model import FEATURES, AlignProblem, DocEvidence, _banded_overlap, _dense_overlap
from zhbridge.align.search import Band, banded_dp
from zhbridge.terms.lexicon import Lexicon

from .toy import WORDS as TOY_WORDS

WORDS = TOY_WORDS[:10]
LEX = Lexicon.from_pairs(WORDS)


def pairs(count):
    out = []
    for k in range(count):
        (z1, e1), (z2, e2) = WORDS[k % len(WORDS)], WORDS[(k + 3) % len(WORDS)]
        out.append((f"我看见了{z1}，也看见了{z2}。", f"I saw the {e1}, and I also saw the {e2}."))
    return out


def test_synthetic_document_shapes_rebuild_its_sentences():
    profile = ShapeProfile(join_zh=0.3, join_en=0.2, swap_boundary=0.1, omit=0.1)
    zh, en, shapes = make_document(pairs(60), random.Random(3), profile)
    assert sum(a for a, _ in shapes) == len(zh) and sum(b for _, b in shapes) == len(en)
    assert set(shapes) <= set(BEAD_SHAPES)
    kinds = set(shapes)
    assert {(1, 1), (1, 2), (2, 1), (2, 2)} <= kinds and ((0, 1) in kinds or (1, 0) in kinds)


def test_sentence_splitters_keep_closing_quotes():
    assert split_zh("他说：“走吧。”我们走了。") == ["他说：“走吧。”", "我们走了。"]
    assert split_en("He left. She stayed! Why?") == ["He left.", "She stayed!", "Why?"]


def _problem(zh, en, weights=None):
    doc = DocEvidence(zh_evidence(zh, LEX), en_evidence(en), LEX)
    return AlignProblem(doc, weights or {"length": {"ratio": 3.0, "variance": 3.0}, "weights": {}, "confidence": {}})


def test_loss_augmented_search_adds_cost_only_off_the_gold_path():
    zh, en, shapes = make_document(pairs(12), random.Random(1), ShapeProfile(join_zh=0.3, omit=0.0))
    problem = _problem(zh, en)
    gold = gold_path(shapes)
    aug = _LossAugmented(problem, gold, cost=2.0)
    for shape, (i, j) in gold:
        assert (
            aug.bead_scores(shape, np.array([i]), np.array([j]))[0] == problem.bead_scores(shape, np.array([i]), np.array([j]))[0]
        )
    off = aug.bead_scores((1, 1), np.array([1]), np.array([2]))[0] - problem.bead_scores((1, 1), np.array([1]), np.array([2]))[0]
    assert off == 2.0
    # with zero weights every path scores 0, so the augmented search picks a path with wrong beads
    pred = banded_dp(aug, Band.full(problem.n, problem.m), BEAD_SHAPES)
    assert set(pred) != set(gold)


def test_path_features_sum_bead_features():
    zh, en, shapes = make_document(pairs(10), random.Random(2))
    problem = _problem(zh, en)
    gold = gold_path(shapes)
    total = path_features(problem, gold)
    assert total[FEATURES.index("shape_1_1")] == sum(1 for s in shapes if s == (1, 1))
    by_bead = sum(problem.features(s, np.array([i]), np.array([j]))[0] for s, (i, j) in gold)
    assert np.allclose(total, by_bead)


def test_banded_overlap_equals_dense_table_inside_the_band():
    rng = random.Random(5)
    a = [set(rng.sample(range(30), rng.randint(0, 5))) for _ in range(700)]
    b = [set(rng.sample(range(30), rng.randint(0, 5))) for _ in range(650)]
    plo = np.array([max(0, int(r * 650 / 700) - 7) for r in range(700)])
    phi = np.minimum(plo + 15, 650)
    start = np.concatenate([[0], np.cumsum(phi - plo)])
    banded = _banded_overlap(a, b, plo, phi, start)
    dense = _dense_overlap(a, b)
    expected = np.concatenate([dense[r, plo[r] : phi[r]] for r in range(700)])
    assert np.array_equal(banded, expected)


def test_learn_settings_describe_the_recipe():
    text = LearnSettings(epochs=3, cost=2.0).describe()
    assert "loss-augmented" in text and "epochs=3" in text and "cost=2.0" in text


def test_joins_of_four_make_one_to_four_beads():
    zh, en, shapes = make_document(pairs(80), random.Random(4), ShapeProfile(join_zh=0.5, join_four=0.5, join_en=0.3))
    assert (1, 4) in shapes and (4, 1) in shapes
    assert sum(a for a, _ in shapes) == len(zh) and sum(b for _, b in shapes) == len(en)


def test_fit_only_changes_only_the_named_weights(monkeypatch):
    from zhbridge.align import learn as learn_module
    from zhbridge.terms import lexicon as lexicon_module

    def documents(training_dir, settings, lexicon):
        rng = random.Random(7)
        out = []
        for _ in range(4):
            zh, en, shapes = make_document(pairs(20), rng, ShapeProfile(join_zh=0.4, join_four=0.5))
            out.append((DocEvidence(zh_evidence(zh, LEX), en_evidence(en), LEX), shapes))
        return out

    monkeypatch.setattr(learn_module, "build_training_documents", documents)
    monkeypatch.setattr(lexicon_module, "load_lexicon", lambda *a, **k: LEX)
    start = {
        "length": {"ratio": 3.0, "variance": 2.5},
        "confidence": {},
        "weights": {f: (0.0 if f == "shape_1_4" else 1.0 + k / 10) for k, f in enumerate(FEATURES)},
    }
    start["weights"]["shape_1_4"] = 3.0  # far too cheap: the joins of four elsewhere make it overused
    out = learn_module.learn(None, LearnSettings(epochs=2, fit_only=("shape_1_4",), start=start), log=lambda *a: None)
    assert out["length"]["variance"] == 2.5
    assert all(np.isclose(out["weights"][f], start["weights"][f], atol=1e-6) for f in FEATURES if f != "shape_1_4")
    assert out["weights"]["shape_1_4"] != 3.0
