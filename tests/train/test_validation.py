"""Validation decoding and scores: input order kept, the model's mode restored, groups averaged."""

from __future__ import annotations

import shutil

import pytest

from zhbridge.train.validation import score, translate_texts, validation_scores

from .conftest import EN, ZH


@pytest.fixture(scope="module")
def model_and_tokenizer(tiny_model_dir, tmp_path_factory):
    """The tiny model with wide random weights, so that different inputs decode to different strings."""
    import torch
    from transformers import AutoTokenizer, MarianMTModel

    model = MarianMTModel.from_pretrained(tiny_model_dir)
    torch.manual_seed(1)
    with torch.no_grad():
        for param in model.parameters():
            if param.dim() > 1:
                param.normal_(0.0, 0.3)
    out = tmp_path_factory.mktemp("wide")
    model.save_pretrained(out)
    for f in tiny_model_dir.iterdir():
        if f.is_file() and not (out / f.name).exists():
            shutil.copy2(f, out / f.name)
    return MarianMTModel.from_pretrained(out), AutoTokenizer.from_pretrained(out)


def test_score_is_bleu_and_chrf_with_long_signatures():
    hyps = ["The weather is nice today.", "I love you so."]
    refs = ["The weather is nice today.", "I love you."]
    scores = score(hyps, refs)
    assert set(scores) == {"bleu", "chrf"}
    for value, signature in scores.values():
        assert value == round(value, 2) and 0 < value < 100
        assert signature.startswith("nrefs:1|case:mixed|") and "version:" in signature
    assert score(refs, refs)["chrf"][0] == 100.0


def test_translate_texts_keeps_input_order_and_restores_training_mode(model_and_tokenizer):
    model, tok = model_and_tokenizer
    texts = [ZH[5], ZH[0], ZH[1], ZH[4]]  # lengths unsorted: the batch is length-sorted inside
    forward = translate_texts(model, tok, texts, max_len=32)
    assert len(set(forward)) == len(texts)  # the fixture's outputs differ, so order is observable
    model.train()
    backward = translate_texts(model, tok, texts[::-1], max_len=32)
    assert model.training  # was training before, training after
    assert backward == forward[::-1]  # the same batch, each output back at its input's place
    model.eval()
    assert translate_texts(model, tok, []) == [] and not model.training


def test_validation_scores_of_named_sets_are_averaged(model_and_tokenizer):
    from zhbridge.train.config import TrainConfig

    model, tok = model_and_tokenizer
    hyps = translate_texts(model, tok, ZH[:4], max_len=32)
    # one set whose references are the model's own outputs (chrF 100), one with the real references
    groups = {"own": list(zip(ZH[:4], hyps)), "real": list(zip(ZH[:4], EN[:4])) + [(ZH[7], EN[7])]}
    cfg = TrainConfig(metric="chrf", eval_sentences=4, max_len=32)
    value, flat = validation_scores(model, tok, groups, cfg)
    real = score(hyps, EN[:4])["chrf"][0]  # eval_sentences=4: the fifth pair is not decoded
    assert flat["own_chrf"] == 100.0 and flat["real_chrf"] == real
    assert value == flat["chrf"] == round((100.0 + real) / 2, 2)
    assert set(flat) == {"own_bleu", "own_chrf", "real_bleu", "real_chrf", "chrf"}


def test_validation_scores_of_one_list_follow_the_metric(model_and_tokenizer):
    from zhbridge.train.config import TrainConfig

    model, tok = model_and_tokenizer
    pairs = list(zip(ZH[:3], EN[:3]))
    value, flat = validation_scores(model, tok, pairs, TrainConfig(metric="bleu", max_len=32))
    assert set(flat) == {"bleu", "chrf"} and value == flat["bleu"]
