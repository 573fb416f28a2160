#!/usr/bin/env bash
# The translator's round trip with a real CAT tool (OmegaT 3.6, the Debian package), headless:
#   zhbridge translate --omegat → OmegaT console-translate (every segment English, no Chinese left)
#   → OmegaT's own readers load the glossary (TSV in the project, TBX export) → a translator's
#   post-edits saved by OmegaT in project_save.tmx → zhbridge tm import → zhbridge translate again:
#   every segment a TM exact match.
# Usage: scripts/check_omegat.sh [MODEL_DIR]   (any zh→en model works; default models/zhbridge-default)
# Needs the zhbridge environment active (python -m zhbridge works) and root for apt when OmegaT is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${1:-models/zhbridge-default}
INPUT=tests/data/omegat/article.txt
POST_EDITS=tests/data/omegat/post_edits.tsv

if ! command -v omegat >/dev/null; then
    echo "== installing OmegaT (apt)"
    apt-get update -qq && apt-get install -y -qq omegat >/dev/null
fi
OMEGAT_JAR=$(dpkg -L omegat | grep '/OmegaT.jar$' | head -n1)
echo "== $(omegat --help 2>&1 | head -n1); $(java -version 2>&1 | head -n1)"

WORK=$(mktemp -d /tmp/zhbridge-omegat.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
zb() { COLUMNS=250 python -m zhbridge "$@"; }
probe() { java -Djava.awt.headless=true -cp "$OMEGAT_JAR" scripts/omegat/OmegatProbe.java "$@" 2>&1 | grep -v '^[0-9]*: \(Info\|FINER\|Warning\)'; }

echo "== 1. zhbridge translate --omegat (post-edit memory off: the repository's own is not used)"
zb translate "$INPUT" --out "$WORK/out" --omegat --postedits none --model "$MODEL" --beams 1 --threads 2 2>&1 \
    | grep -E 'segments? \(|OmegaT project'
PROJECT="$WORK/out/omegat"
find "$PROJECT" -type f | sed "s|$WORK/||" | sort

echo "== 2. OmegaT console-translate"
omegat "$PROJECT" --mode=console-translate --quiet 2>&1 | grep -E 'Loading: |Reading TMX file|Creating translated|Finished' | sed "s|$WORK/||"
grep -E '^(Total|Remaining):' "$PROJECT/omegat/project_stats.txt"
python - "$PROJECT" "$INPUT" <<'EOF'
import re, sys
from pathlib import Path
project, source = Path(sys.argv[1]), Path(sys.argv[2])
target = (project / "target" / source.name).read_text(encoding="utf-8")
paragraphs = [p for p in target.split("\n") if p.strip()]
chinese = [p for p in paragraphs if re.search(r"[\u4e00-\u9fff]", p)]
print(f"target/{source.name}: {len(paragraphs)} paragraphs, {len(paragraphs) - len(chinese)} in English, {len(chinese)} with Chinese left")
print("  first paragraph:", paragraphs[0][:100])
sys.exit(1 if chinese or not paragraphs else 0)
EOF

echo "== 2b. the XLIFF review file (--xliff-target source, the default) as an OmegaT source document"
XP="$WORK/xliff-project"
mkdir -p "$XP"/{source,tm,glossary,target,omegat}  # OmegaT refuses a project without its folders
cp "$PROJECT/omegat.project" "$XP/" && cp -r "$PROJECT/tm/auto" "$XP/tm/" && cp "$WORK/out/$(basename "$INPUT").xlf" "$XP/source/"
omegat "$XP" --mode=console-translate --quiet >/dev/null 2>&1
grep -E '^(Total|Remaining):' "$XP/omegat/project_stats.txt"
python - "$XP/target/$(basename "$INPUT").xlf" <<'EOF'
import re, sys
from lxml import etree
ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
units = etree.parse(sys.argv[1]).findall(".//x:trans-unit", ns)
english = [u for u in units if not re.search(r"[\u4e00-\u9fff]", u.findtext("x:target", "", ns))]
print(f"OmegaT-translated XLIFF: {len(units)} trans-units, {len(english)} with an English <target>")
sys.exit(0 if units and len(english) == len(units) else 1)
EOF

echo "== 3. what OmegaT's own classes see (project memory, glossary readers)"
zb glossary export "$WORK/glossary.tbx" | sed "s|$WORK/||"
probe "$PROJECT" --glossary-file "$WORK/glossary.tbx"

echo "== 4. a translator post-edits every segment; OmegaT saves omegat/project_save.tmx"
probe "$PROJECT" --post-edit "$POST_EDITS" | grep -E 'post-edited|^translated'
grep -c '<tu>' "$PROJECT/omegat/project_save.tmx" | sed 's/^/project_save.tmx units: /'

echo "== 5. zhbridge tm import"
zb tm import "$PROJECT/omegat/project_save.tmx" --memory "$WORK/postedits.tmx" | sed "s|$WORK/||"

echo "== 6. zhbridge translate again with the post-edit memory"
summary=$(zb translate "$INPUT" --out "$WORK/out2" --postedits "$WORK/postedits.tmx" --model "$MODEL" --beams 1 --threads 2 2>&1 \
    | grep -oE '[0-9]+ segments? \([0-9]+ TM exact, [0-9]+ TM fuzzy, [0-9]+ MT\)')
echo "$summary"
read -r total exact <<<"$(echo "$summary" | sed -E 's/^([0-9]+) segments? \(([0-9]+) TM exact.*/\1 \2/')"
python - "$WORK/out2/$(basename "$INPUT")" "$POST_EDITS" <<'EOF'
import sys
english = open(sys.argv[1], encoding="utf-8").read()
edits = [line.split("\t")[1].strip() for line in open(sys.argv[2], encoding="utf-8") if "\t" in line]
print(f"post-edited sentences found verbatim in the new translation: {sum(e in english for e in edits)}/{len(edits)}")
EOF
if [ "$total" = "$exact" ]; then echo "OK: every segment ($exact/$total) is a TM exact match"; else echo "FAIL: $exact of $total TM exact"; exit 1; fi
