#!/usr/bin/env bash
# Style and type checks, as .ci/run runs them: ruff (format + lint) over the tree and mypy over the package.
set -euo pipefail
cd "$(dirname "$0")/.."
ruff format --check .
ruff check .
mypy src/zhbridge
