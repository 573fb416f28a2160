#!/usr/bin/env bash
# Style, type and layer checks, as .ci/run runs them: ruff (format + lint) over the tree, mypy over the package and
# lint-imports (the layers contract in pyproject.toml [tool.importlinter]).
# All four run even when one fails, so one run shows every finding; the exit status is nonzero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
failed=()
ruff format --check . || failed+=("ruff format --check")
ruff check . || failed+=("ruff check")
mypy src/zhbridge || failed+=("mypy")
lint-imports || failed+=("lint-imports")
if ((${#failed[@]})); then
    echo "lint failed: ${failed[*]}" >&2
    exit 1
fi
echo "lint passed: ruff format, ruff check, mypy, lint-imports"
