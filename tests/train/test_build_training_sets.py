"""scripts/build_training_sets.py: TMX and CoNLL-U read from a bare git repository, cleaned like training."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("build_training_sets", ROOT / "scripts" / "build_training_sets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _repo(path: Path, files: dict[str, str]) -> str:
    path.mkdir()
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text, encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(path)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    return str(path / ".git")


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" datatype="text"/><body>
<tu tuid="CMU_1:5"><tuv xml:lang="en"><seg>and are you having a fever now?</seg></tuv>
<tuv xml:lang="zh"><seg>您现在有发热吗？</seg></tuv></tu>
<tu tuid="wiki_2"><tuv xml:lang="en"><seg>Wash &amp; dry your hands.</seg></tuv>
<tuv xml:lang="zh"><seg>洗手 并擦干。</seg></tuv></tu>
</body></tmx>
"""


def test_tico_units_become_zh_en_pairs(build, tmp_path):
    git_dir = _repo(tmp_path / "tico", {"data/TM/all.en-zh.tmx": TMX})
    assert build.tico_pairs(git_dir) == [
        ("您现在有发热吗？", "and are you having a fever now?"),
        ("洗手 并擦干。", "Wash & dry your hands."),
    ]


def test_pud_pairs_by_sentence_id_in_simplified(build, tmp_path):
    zh = "# sent_id = n1\n# text = 對於這個問題，他們說了。\n1\tx\n\n# sent_id = w2\n# text = 城市很大。\n1\tx\n\n"
    en = "# sent_id = w2\n# text = The city is big.\n1\tx\n\n# sent_id = n1\n# text = On this, they spoke.\n1\tx\n\n"
    pairs = build.pud_pairs(
        _repo(tmp_path / "zh", {"zh_pud-ud-test.conllu": zh}), _repo(tmp_path / "en", {"en_pud-ud-test.conllu": en})
    )
    assert pairs == [("对于这个问题，他们说了。", "On this, they spoke."), ("城市很大。", "The city is big.")]


def test_clean_drops_benchmark_known_and_duplicate_pairs_and_joins_chinese(build):
    from zhbridge.train.data import leak_key

    raw = [
        ("洗手 并擦干。", "Wash and dry your hands."),
        ("洗手并擦干。", "Wash and dry your hands."),  # the same pair once the space is gone
        ("这句在基准里。", "This one is in the benchmark."),
        ("这句已经有了。", "This one is already here."),
        ("好", "A far too long English side for one character."),  # keep_pair: length ratio
    ]
    kept = build.clean("t", raw, bench={leak_key("This one is in the benchmark.")}, known={leak_key("这句已经有了。")})
    assert kept == [("洗手并擦干。", "Wash and dry your hands.")]
