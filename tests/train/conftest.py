"""Tiny parallel data shared by the training tests (built here, no network)."""

from __future__ import annotations

import pytest

ZH = [
    "微短剧产业在郑州发展很快。",
    "我爱你。",
    "今天天气很好。",
    "竖店有很多拍摄基地。",
    "2025年市场规模达到100亿元。",
    "演员在片场工作。",
    "这部短剧很受欢迎。",
    "我们明天去郑州。",
]
EN = [
    "The micro-short-drama industry is growing fast in Zhengzhou.",
    "I love you.",
    "The weather is nice today.",
    "Shudian has many filming bases.",
    "In 2025 the market reached 10 billion yuan.",
    "The actors work on set.",
    "This short drama is very popular.",
    "We are going to Zhengzhou tomorrow.",
]


@pytest.fixture(scope="session")
def pairs() -> list[tuple[str, str]]:
    return list(zip(ZH, EN))


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory):
    from zhbridge.train.scratch import build_marian

    return build_marian(tmp_path_factory.mktemp("tiny") / "model", ZH, EN, size="tiny", seed=0)
