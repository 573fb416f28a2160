"""Fixtures for the translation tests: a tiny random Marian model, a glossary and a TM, all built offline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ZH_SENTENCES = [
    "郑州是微短剧创作之都。",
    "微短剧产业发展很快。",
    "2025年全市微短剧产量达到100部。",
    "竖店吸引了很多演员。",
    "短剧出海成为新趋势。",
    "平台推出了精品微短剧。",
    "河南文化发展报告发布。",
    "演员们在郑州拍摄短剧。",
    "这部短剧的播放量超过3亿次。",
    "产业链条不断完善。",
]
EN_SENTENCES = [
    "Zhengzhou is the capital of micro-short drama creation.",
    "The micro-short drama industry is developing fast.",
    "In 2025 the city produced 100 micro-short dramas.",
    "Shudian has attracted many actors.",
    "Short dramas going overseas has become a new trend.",
    "Platforms launched quality micro-short dramas.",
    "The Henan culture development report was released.",
    "Actors shoot short dramas in Zhengzhou.",
    "This short drama has been played more than 300 million times.",
    "The industrial chain keeps improving.",
]
# pairs the TM knows (train split) and one it must not use (test split: evaluation data)
TM_TRAIN = [(ZH_SENTENCES[3], EN_SENTENCES[3]), (ZH_SENTENCES[6], EN_SENTENCES[6])]
TM_VALIDATION = [(ZH_SENTENCES[8], EN_SENTENCES[8])]
TM_TEST = [(ZH_SENTENCES[9], EN_SENTENCES[9])]


@pytest.fixture(scope="session")
def zh_sentences() -> list[str]:
    return list(ZH_SENTENCES)


@pytest.fixture(scope="session")
def tm_pairs() -> dict[str, list[tuple[str, str]]]:
    return {"train": list(TM_TRAIN), "validation": list(TM_VALIDATION), "test": list(TM_TEST)}


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """build_marian's tiny model with wider random weights, so outputs differ from input to input.

    With the default initialisation every input decodes to nearly the same string, which
    would hide ordering and batching mistakes.
    """
    import torch
    from transformers import MarianMTModel

    from zhbridge.train.scratch import build_marian

    base = build_marian(tmp_path_factory.mktemp("marian_base"), ZH_SENTENCES, EN_SENTENCES, size="tiny", seed=0)
    model = MarianMTModel.from_pretrained(base)
    torch.manual_seed(1)
    with torch.no_grad():
        for param in model.parameters():
            if param.dim() > 1:
                param.normal_(0.0, 0.3)
        # the <pad> row (the decoder's start) stays random: trained models do not keep it at zero
        # (models/zhbridge-default's has norm 0.52), and an export that assumed zero decoded differently
    out = tmp_path_factory.mktemp("tiny_marian")
    model.save_pretrained(out)
    for f in base.iterdir():
        if f.is_file() and not (out / f.name).exists():
            shutil.copy2(f, out / f.name)
    return out


@pytest.fixture(scope="session")
def glossary():
    from zhbridge.terms.glossary import Entry, Glossary

    return Glossary(
        [
            Entry("微短剧", "micro-short drama", ("micro-drama",)),
            Entry("郑州", "Zhengzhou"),
            Entry("竖店", "Shudian", ("Vertical Town",)),
            Entry("出海", "going global", ("overseas expansion",)),
        ]
    )


@pytest.fixture(scope="session")
def tm_dataset(tmp_path_factory) -> Path:
    import datasets

    def split(pairs):
        return datasets.Dataset.from_dict(
            {"zh": [p[0] for p in pairs], "en": [p[1] for p in pairs], "id": [f"x{i}" for i in range(len(pairs))]}
        )

    path = tmp_path_factory.mktemp("tm") / "dataset"
    datasets.DatasetDict({"train": split(TM_TRAIN), "validation": split(TM_VALIDATION), "test": split(TM_TEST)}).save_to_disk(
        str(path)
    )
    return path


@pytest.fixture(scope="session")
def translator(tiny_model):
    from zhbridge.mt.models import load_translator

    return load_translator(tiny_model, beams=1, threads=1)


@pytest.fixture
def engine(translator, glossary, tm_dataset):
    from zhbridge.mt.memory import load_memory
    from zhbridge.mt.translate import Engine

    return Engine(translator, glossary, load_memory(tm_dataset), enforce=True, batch_tokens=64, glossary_name="test")


@pytest.fixture
def translate_args(tiny_model, tm_dataset, tmp_path):
    """`zhbridge translate` arguments for the tiny model and test TM (beams 1, small batches, one thread) and a
    one-term glossary, so the kill-and-resume tests journal several batches per document."""
    glossary = tmp_path / "g.tsv"
    glossary.write_text(
        "zh\ten\tvariants\tpinyin\tcategory\tnote\tsource\n微短剧\tmicro-short drama\t\t\t\t\t\n", encoding="utf-8"
    )

    def args(inputs, out, *extra):
        return [
            "translate",
            *map(str, inputs),
            "--out",
            str(out),
            "--model",
            str(tiny_model),
            "--glossary",
            str(glossary),
            "--tm",
            str(tm_dataset),
            "--beams",
            "1",
            "--batch-tokens",
            "24",
            "--threads",
            "1",
            *extra,
        ]

    return args
