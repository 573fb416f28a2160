"""Fixtures for the server tests: a tiny model built here, a glossary and a TM, and `zhbridge serve` started for real
on a free local port in an empty workspace (so the tests can check that requests write nothing)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .client import child_env, free_port, wait_ready

ZH = [
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
EN = [
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
TM_PAIR = (ZH[6], EN[6])  # the TM knows this sentence, so its segment comes back as a TM exact match
GLOSSARY_TSV = (
    "zh\ten\tvariants\tpinyin\tcategory\tnote\tsource\n"
    "微短剧\tmicro-short drama\tmicro-drama\t\t\t\t\n"
    "郑州\tZhengzhou\t\t\t\t\t\n"
    "竖店\tShudian\tVertical Town\tshù diàn\tnickname\tZhengzhou's film base\t\n"
)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A tiny random Marian model with wide weights, so different inputs decode to different English."""
    import torch
    from transformers import MarianMTModel

    from zhbridge.train.scratch import build_marian

    base = build_marian(tmp_path_factory.mktemp("marian_base"), ZH, EN, size="tiny", seed=0)
    model = MarianMTModel.from_pretrained(base)
    torch.manual_seed(1)
    with torch.no_grad():
        for param in model.parameters():
            if param.dim() > 1:
                param.normal_(0.0, 0.3)
        model.get_input_embeddings().weight[model.config.pad_token_id].zero_()  # Marian keeps <pad> at zero
    out = tmp_path_factory.mktemp("tiny_marian")
    model.save_pretrained(out)
    for f in base.iterdir():
        if f.is_file() and not (out / f.name).exists():
            shutil.copy2(f, out / f.name)
    return out


@pytest.fixture(scope="session")
def glossary_tsv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("glossary") / "glossary.tsv"
    path.write_text(GLOSSARY_TSV, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tm_dataset(tmp_path_factory) -> Path:
    import datasets

    path = tmp_path_factory.mktemp("tm") / "dataset"
    split = datasets.Dataset.from_dict({"zh": [TM_PAIR[0]], "en": [TM_PAIR[1]], "id": ["x0"]})
    datasets.DatasetDict({"train": split}).save_to_disk(str(path))
    return path


@pytest.fixture(scope="session")
def engine_args(tiny_model, glossary_tsv, tm_dataset) -> list[str]:
    """The options `zhbridge serve` and `zhbridge translate` share in these tests: same model, glossary, TM, decoding."""
    return [
        "--model", str(tiny_model), "--glossary", str(glossary_tsv), "--tm", str(tm_dataset),
        "--postedits", "none", "--beams", "1", "--threads", "1",
    ]  # fmt: skip


@pytest.fixture(scope="session")
def workspace(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("serve_workspace")


@pytest.fixture(scope="session")
def server(engine_args, workspace, tmp_path_factory):
    """`zhbridge serve` as a user starts it; yields (base URL, its log file)."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve_log") / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "zhbridge", "serve", "--port", str(port), "--max-chars", "5000", "--max-file-mb", "0.05",
             *engine_args],
            cwd=workspace, env=child_env(workspace), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, proc)
        yield url, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def translator(tiny_model):
    from zhbridge.mt.models import load_translator

    return load_translator(tiny_model, beams=1, threads=1)


@pytest.fixture
def engine(translator, glossary_tsv):
    from zhbridge.mt.translate import Engine
    from zhbridge.terms.glossary import load_glossary

    return Engine(translator, load_glossary(glossary_tsv), None)
