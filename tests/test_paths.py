"""The workspace rule: inputs from the workspace when it has them, else the shipped checkout; outputs in the workspace."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import zhbridge.paths as paths

PROBE = (
    "import json; from zhbridge import paths as p; "
    "print(json.dumps({k: str(getattr(p, k)) for k in "
    "('WORKSPACE', 'CORPUS_DIR', 'DEFAULT_GLOSSARY', 'DEFAULT_MODEL', 'WORKSPACE_GLOSSARY', 'WORKSPACE_DATASET', 'BENCH_DIR')}))"
)


def probe(workspace: Path, **env) -> dict[str, str]:
    """The paths a fresh process computes with ``workspace`` as ZHBRIDGE_WORKSPACE (module constants are fixed at import)."""
    full = {**os.environ, "ZHBRIDGE_WORKSPACE": str(workspace), **env}
    full["PYTHONPATH"] = os.pathsep.join([str(Path(paths.__file__).parents[1]), full.get("PYTHONPATH", "")])
    out = subprocess.run([sys.executable, "-c", PROBE], env=full, capture_output=True, text=True, check=True, cwd=workspace)
    return json.loads(out.stdout)


def test_an_empty_workspace_reads_the_shipped_data_and_writes_into_itself(tmp_path):
    found = probe(tmp_path, ZHBRIDGE_SHARED=str(tmp_path / "elsewhere"))
    assert found["WORKSPACE"] == str(tmp_path.resolve())
    assert paths.SHIPPED_ROOT is not None  # the tests run from a checkout
    assert found["DEFAULT_GLOSSARY"] == str(paths.SHIPPED_ROOT / "corpus" / "glossary" / "glossary.tsv")
    assert found["CORPUS_DIR"] == str(paths.SHIPPED_ROOT / "corpus")
    assert found["WORKSPACE_GLOSSARY"] == str(tmp_path.resolve() / "corpus" / "glossary" / "glossary.tsv")
    assert found["WORKSPACE_DATASET"] == str(tmp_path.resolve() / "corpus" / "dataset")
    assert found["BENCH_DIR"] == str(tmp_path / "elsewhere" / "bench")


def test_the_workspace_copy_wins(tmp_path):
    own = tmp_path / "corpus" / "glossary" / "glossary.tsv"
    own.parent.mkdir(parents=True)
    own.write_text("zh\ten\n", encoding="utf-8")
    found = probe(tmp_path)
    assert found["DEFAULT_GLOSSARY"] == str(own.resolve()) == found["WORKSPACE_GLOSSARY"]
    assert found["CORPUS_DIR"] == str(tmp_path.resolve() / "corpus")  # the workspace has a corpus/ now


def test_readable_falls_back_to_the_workspace_path_for_what_nobody_has(tmp_path):
    assert paths.readable("corpus/no-such-file.tsv") == paths.WORKSPACE / "corpus/no-such-file.tsv"


def test_prose_sets_are_unique_folder_names():
    assert len(set(paths.PROSE_SETS)) == len(paths.PROSE_SETS) and all("/" not in s for s in paths.PROSE_SETS)
