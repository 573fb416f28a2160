from zhbridge.align.learned_lexicon import prune, train_model1
from zhbridge.terms.lexicon import load_learned_table


def _corpus():
    # 猫 always with "cat", 狗 always with "dog", 看 with "see" in both: EM must untangle them
    return [(["猫", "看"], ["cat", "see"])] * 4 + [(["狗", "看"], ["dog", "see"])] * 4 + [(["猫"], ["cat"])] * 2


def test_model1_learns_the_consistent_translation():
    zh, en, pz, pe, t, zc = train_model1(_corpus(), iterations=10)
    best = {}
    for z, e, p in zip(pz, pe, t):
        if p > best.get(zh[z], ("", 0.0))[1]:
            best[zh[z]] = (en[e], p)
    assert best["猫"][0] == "cat" and best["狗"][0] == "dog" and best["看"][0] == "see"


def test_prune_keeps_top_k_above_threshold_and_drops_rare_and_null(tmp_path):
    rows = prune(*train_model1(_corpus(), iterations=10), min_prob=0.3, top_k=1, min_count=3)
    words = [z for z, _, _ in rows]
    assert len(words) == len(set(words))  # top_k=1
    assert "<null>" not in words and all(p >= 0.3 for _, _, p in rows)
    assert ("猫", "cat") in {(z, e) for z, e, _ in rows}
    path = tmp_path / "t.tsv"
    path.write_text("# header\n" + "".join(f"{z}\t{e}\t{p}\n" for z, e, p in rows), encoding="utf-8")
    assert load_learned_table(str(path))["猫"] == {"cat"}
    assert load_learned_table(str(tmp_path / "absent.tsv")) == {}


def test_shipped_table_joins_the_aligner_lexicon():
    from zhbridge.terms.lexicon import load_lexicon

    learned = load_learned_table()
    assert len(learned) > 1000  # the shipped table, not an empty fallback
    lex = load_lexicon(glossary_path="/nonexistent/glossary.tsv", use_cedict=False, use_learned=True)
    assert lex.source == "+ibm1"
    word, lemmas = next(iter(learned.items()))
    assert lemmas <= lex.translations(word)
