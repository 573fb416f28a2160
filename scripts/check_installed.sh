#!/usr/bin/env bash
# A non-editable `pip install .` used from an empty folder: it writes only into that folder (the
# workspace), never into site-packages, and says clearly when the folder has no corpus.
# Dependencies come from the running Python's site-packages (a .pth file), so no registry is needed.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
deps="$(python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python -m venv "$tmp/venv"
site="$("$tmp/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "$deps" > "$site/deps.pth"
(cd "$repo" && git archive HEAD) | (mkdir "$tmp/src" && tar -x -C "$tmp/src")
python -m pip wheel -q --no-deps -w "$tmp/wheel" "$tmp/src"  # the wheel, as `pip install .` builds it
"$tmp/venv/bin/pip" install -q --no-deps "$tmp"/wheel/*.whl
mkdir "$tmp/empty" && cd "$tmp/empty"
export PATH="$tmp/venv/bin:$PATH" PYTHONPATH= HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1
echo "installed at: $(python -c 'import zhbridge, os; print(os.path.dirname(zhbridge.__file__))')"
set +e
zhbridge corpus build; echo "corpus build in an empty folder: exit $?"
set -e
zhbridge glossary add 工作区 workspace --category "industry term" --note "check" --source 000
mkdir -p corpus && cp -r "$tmp/src/corpus/raw" "$tmp/src/corpus/manifest.tsv" corpus/
zhbridge corpus build | tail -1
zhbridge corpus export - --format tsv | head -2
echo "files written in the workspace:"; find . -maxdepth 3 -newer "$site/deps.pth" -type f -not -path "./corpus/raw/*" | sort | head
echo "zhbridge data files under site-packages: $(find "$site" -path '*zhbridge*' \( -name '*.tsv' -o -name '*.arrow' -o -name '*.tmx' \) | wc -l)"
