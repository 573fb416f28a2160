"""`--help` of every command: nothing cut at 80 columns (rich used to end long words and option names with "…")."""

from __future__ import annotations

import subprocess
import sys

import pytest

COMMANDS = [
    [],
    ["corpus"],
    ["corpus", "export"],
    ["corpus", "build"],
    ["glossary"],
    ["glossary", "lookup"],
    ["glossary", "import"],
    ["align"],
    ["translate"],
    ["tm", "import"],
    ["train"],
    ["model"],
    ["evaluate"],
]


@pytest.mark.parametrize("columns", ["80", ""])
def test_help_is_never_cut(columns):
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "TERMINAL_WIDTH")}
    if columns:
        env["COLUMNS"] = columns
    for command in COMMANDS:
        out = subprocess.run([sys.executable, "-m", "zhbridge", *command, "--help"], capture_output=True, text=True, env=env)
        assert out.returncode == 0, out.stderr
        assert "…" not in out.stdout, (command, [line for line in out.stdout.splitlines() if "…" in line])
    translate = subprocess.run([sys.executable, "-m", "zhbridge", "translate", "--help"], capture_output=True, text=True, env=env)
    flat = "".join(line.strip("│ ") for line in translate.stdout.splitlines())
    assert "corpus/glossary/glossary.tsv" in flat
