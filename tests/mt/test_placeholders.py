from __future__ import annotations

from zhbridge.mt.placeholders import PlaceholderTranslator, mask_pair, mask_pairs, mask_source, restore
from zhbridge.terms.glossary import Entry, Glossary

GLOSSARY = Glossary(
    [
        Entry("微短剧", "mini series", variants=("micro-short drama",)),
        Entry("郑州", "Zhengzhou"),
        Entry("出海", "going overseas"),
    ]
)


def test_training_transform_masks_terms_found_on_both_sides_and_only_those():
    zh, en, n = mask_pair(
        "郑州的微短剧出海。", "Zhengzhou's micro-short drama industry is growing.", GLOSSARY.find("郑州的微短剧出海。")
    )
    # 出海 has no rendering in the reference: it stays Chinese, so the pair still says what it said
    assert (zh, en, n) == ("<T1>的<T2>出海。", "<T1>'s <T2> industry is growing.", 2)


def test_training_transform_leaves_pairs_without_terms_unchanged_and_counts_changes():
    pairs = [("我爱你。", "I love you."), ("我们去郑州。", "We go to Zhengzhou.")]
    assert mask_pairs(pairs, GLOSSARY.find) == ([("我爱你。", "I love you."), ("我们去<T1>。", "We go to <T1>.")], 1)


def test_placeholder_round_trip_through_the_shipped_tokenizer():
    # the token is made of pieces the shipped vocabulary has, so fine-tuning needs no new embeddings
    from transformers import AutoTokenizer

    from zhbridge import paths

    tok = AutoTokenizer.from_pretrained(str(paths.DEFAULT_MODEL))
    masked, _ = mask_source("郑州的微短剧。", GLOSSARY.find("郑州的微短剧。"))
    for ids in (tok(masked)["input_ids"], tok(text_target="Go to <T1> now")["input_ids"]):
        assert tok.unk_token_id not in ids
    assert tok.decode(tok(text_target="Go to <T1> now")["input_ids"], skip_special_tokens=True) == "Go to <T1> now"


def test_restore_puts_the_glossary_english_back_and_drops_repeats_and_strays():
    masked, slots = mask_source("郑州的微短剧出海。", GLOSSARY.find("郑州的微短剧出海。"))
    assert masked == "<T1>的<T2><T3>。"
    text, lost = restore("<T1>'s < t 2 > is <T3>, <T2> <T7> .", slots)
    assert (text, lost) == ("Zhengzhou's mini series is going overseas,.", [])
    text, lost = restore("the <T2> goes.", slots)
    assert text == "the mini series goes." and [s.zh for s in lost] == ["郑州", "出海"]
    assert restore("<T2> goes.", slots)[0] == "Mini series goes."  # opening the sentence


def test_placeholder_translator_masks_the_source_and_restores_the_output():
    class Echo:  # a "model" that copies placeholders and drops everything else
        model_dir, fingerprint = "m", "echo"

        def translate(self, texts):
            return [" ".join(t for t in ("<T1>", "<T2>") if t in text) + " here." for text in texts]

    tr = PlaceholderTranslator(Echo(), GLOSSARY.find)
    assert tr.translate(["郑州的微短剧。", "没有。"]) == ["Zhengzhou mini series here.", "here."]
    assert tr.lost["郑州的微短剧。"] == [] and tr.model_dir == "m" and tr.fingerprint == "echo:term-placeholders"


def test_engine_wraps_a_placeholder_trained_model_and_restores_terms(tiny_model, tmp_path):
    import json
    import shutil

    from zhbridge.mt.models import load_translator, trained_with_term_placeholders
    from zhbridge.mt.translate import Engine

    model = tmp_path / "model"
    shutil.copytree(tiny_model, model)
    assert not trained_with_term_placeholders(str(model))
    (model / "run.json").write_text(json.dumps({"options": {"term_placeholders": True}}), encoding="utf-8")
    assert trained_with_term_placeholders(str(model))
    engine = Engine(load_translator(str(model), threads=1, device="cpu", beams=1), glossary=GLOSSARY)
    assert isinstance(engine.translator, PlaceholderTranslator)
    inner = engine.translator.inner
    inner.translate = lambda texts: ["<T2> in <T1> <T1>." if "<T1>" in t else "none" for t in texts]
    assert engine.translator.translate(["郑州的微短剧。", "没有。"]) == ["Mini series in Zhengzhou.", "none"]


def test_restore_drops_half_tokens_the_model_garbled():
    _, slots = mask_source("郑州的微短剧。", GLOSSARY.find("郑州的微短剧。"))
    assert restore("<T1> on the water is 02>.", slots)[0] == "Zhengzhou on the water is 02."
    assert restore("<T1> and then <T", slots)[0] == "Zhengzhou and then"
    assert restore("<T1>: 3 > 2", slots)[0] == "Zhengzhou: 3 > 2"  # a real comparison stays


def test_a_masked_decode_that_runs_long_gives_way_to_the_models_own_output():
    class Rambler:  # copies the token, then rambles, when the source is masked; terse otherwise
        model_dir, fingerprint = "m", "rambler"

        def translate(self, texts):
            return [
                "<T1> is the top of the elevis and the minim of the series of the city." if "<T1>" in t else "It grows."
                for t in texts
            ]

    tr = PlaceholderTranslator(Rambler(), GLOSSARY.find)
    assert tr.translate(["郑州在发展。", "没有。"]) == ["It grows.", "It grows."]
    assert [s.zh for s in tr.lost["郑州在发展。"]] == ["郑州"]  # enforce_terms places it in "It grows."

    from zhbridge.mt.enforce import enforce_terms

    out, checks = enforce_terms("郑州在发展。", "It grows.", GLOSSARY.find("郑州在发展。"), translator=tr)
    assert "Zhengzhou" in out and len(out.split()) <= 3 and checks[0].found
