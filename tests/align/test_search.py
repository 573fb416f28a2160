from hypothesis import given, settings
from hypothesis import strategies as st

from zhbridge.align import align_sentences
from zhbridge.align.beads import BEAD_SHAPES, check_coverage

from .toy import LEX, WORDS


def pair(k):
    (z1, e1), (z2, e2) = WORDS[k % len(WORDS)], WORDS[(k + 5) % len(WORDS)]
    return f"我看见了{z1}和{z2}，还想了很久。", f"I saw the {e1} and the {e2}, and thought about it for a long time."


def doc(count):
    pairs = [pair(k) for k in range(count)]
    return [z for z, _ in pairs], [e for _, e in pairs]


def kinds(beads):
    return [(b.zh, b.en) for b in beads]


def test_parallel_document_is_all_one_to_one():
    zh, en = doc(10)
    beads = align_sentences(zh, en, lexicon=LEX)
    assert kinds(beads) == [((k,), (k,)) for k in range(10)]
    assert all(0.0 <= b.score <= 1.0 for b in beads)


def test_deleted_english_sentence_becomes_one_to_zero():
    zh, en = doc(10)
    del en[4]
    beads = align_sentences(zh, en, lexicon=LEX)
    assert ((4,), ()) in kinds(beads)
    assert ((5,), (4,)) in kinds(beads) and ((3,), (3,)) in kinds(beads)


def test_inserted_english_sentence_becomes_zero_to_one():
    zh, en = doc(10)
    en.insert(6, "Meanwhile, somewhere far away, nobody noticed anything at all that day.")
    beads = align_sentences(zh, en, lexicon=LEX)
    assert ((), (6,)) in kinds(beads)
    assert ((6,), (7,)) in kinds(beads)


def test_one_chinese_sentence_rendered_as_three_english_sentences():
    zh, en = doc(9)
    merged = zh[3].rstrip("。") + "，" + zh[4].rstrip("。") + "，" + zh[5]
    zh = zh[:3] + [merged] + zh[6:]
    beads = align_sentences(zh, en, lexicon=LEX)
    assert ((3,), (3, 4, 5)) in kinds(beads)
    assert ((4,), (6,)) in kinds(beads)


def test_one_chinese_sentence_rendered_as_four_english_sentences():
    zh, en = doc(10)
    merged = "，".join(z.rstrip("。") for z in zh[3:7]) + "。"
    zh = zh[:3] + [merged] + zh[7:]
    beads = align_sentences(zh, en, lexicon=LEX)
    assert ((3,), (3, 4, 5, 6)) in kinds(beads)
    assert ((2,), (2,)) in kinds(beads) and ((4,), (7,)) in kinds(beads)


def test_two_chinese_sentences_into_one_english_sentence():
    zh, en = doc(8)
    en = en[:2] + [en[2].rstrip(".") + "; then " + en[3]] + en[4:]
    beads = align_sentences(zh, en, lexicon=LEX)
    assert ((2, 3), (2,)) in kinds(beads)


def test_banded_search_matches_full_table_on_long_document():
    zh, en = doc(300)
    del en[100]
    en.insert(200, "An unrelated remark about the weather, which was quite mild.")
    banded = align_sentences(zh, en, lexicon=LEX, full_cells=1000, group_size=8)
    full = align_sentences(zh, en, lexicon=LEX)
    assert kinds(banded) == kinds(full)


def test_refine_near_a_path_finds_the_full_table_path():
    from zhbridge.align.model import build_problem
    from zhbridge.align.search import Band, SearchSettings, banded_dp, refine

    zh, en = doc(300)
    del en[100]
    en.insert(200, "An unrelated remark about the weather, which was quite mild.")
    problem = build_problem(zh, en, lexicon=LEX)
    full = banded_dp(problem, Band.full(problem.n, problem.m), BEAD_SHAPES)
    rough = [((1, 1), (k, k)) for k in range(1, 300)] + [((1, 1), (300, 300))]  # ignores the deletion/insertion
    assert refine(problem, rough, SearchSettings(full_cells=1000)) == full


@settings(max_examples=40, deadline=None)
@given(
    zh_ids=st.lists(st.integers(0, 13), max_size=25),
    en_ids=st.lists(st.integers(0, 13), max_size=25),
    full_cells=st.sampled_from([20, 400_000]),
)
def test_every_sentence_covered_once_in_order(zh_ids, en_ids, full_cells):
    zh = [pair(k)[0] for k in zh_ids]
    en = [pair(k)[1] for k in en_ids]
    beads = align_sentences(zh, en, lexicon=LEX, full_cells=full_cells, group_size=2)
    check_coverage(beads, len(zh), len(en))
    shapes = {f"{a}-{b}" for a, b in BEAD_SHAPES}
    assert all(bead.kind in shapes for bead in beads)


def test_band_width_does_not_grow_with_document_length(monkeypatch):
    from zhbridge.align import search as search_module

    seen = []
    real = search_module.banded_dp

    def recording(problem, band, shapes):
        seen.append((problem.n, band.size))
        return real(problem, band, shapes)

    monkeypatch.setattr(search_module, "banded_dp", recording)
    widths = []
    for count in (200, 800):
        seen.clear()
        zh, en = doc(count)
        beads = align_sentences(zh, en, lexicon=LEX, full_cells=2000)
        check_coverage(beads, count, count)
        n, cells = max(seen)  # the finest level
        assert n == count
        widths.append(cells / count)
    assert widths[1] < 1.2 * widths[0]  # cells per sentence stay flat: cost is linear in length


def test_shipped_weights_are_learned_and_say_how():
    from zhbridge.align.model import shipped_weights

    weights = shipped_weights()
    assert "python -m zhbridge.align.learn" in weights["about"] and "learner" in weights
    assert weights["weights"]["shape_1_1"] > weights["weights"]["shape_2_2"]
