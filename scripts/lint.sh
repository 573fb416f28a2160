#!/usr/bin/env bash
# Style and type checks, as .ci/run runs them: ruff (format + lint) over the tree and mypy over the package.
# All three run even when one fails, so one run shows every finding; the exit status is nonzero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
failed=()
ruff format --check . || failed+=("ruff format --check")
ruff check . || failed+=("ruff check")
mypy src/zhbridge || failed+=("mypy")
if ((${#failed[@]})); then
    echo "lint failed: ${failed[*]}" >&2
    exit 1
fi
echo "lint passed: ruff format, ruff check, mypy"
