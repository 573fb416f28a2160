#!/usr/bin/env bash
# Issue 26 §1: is bf16 autocast's validation chrF within noise of fp32 after the same steps?
# Two runs side by side, one core each, same base, seed and batches; only --precision differs.
# Reads dev chrF per validation from runs/parity_{fp32,bf16}/run.json. Usage: scripts/check_bf16_parity.sh [STEPS]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .venv/bin/activate ] && . .venv/bin/activate
export OMP_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false
steps=${1:-120}
offset=$(python -c "import json; print(json.load(open('models/zhbridge-general/run.json'))['lineage']['totals']['steps'])")
run() {
  taskset -c "$1" zhbridge train --init models/zhbridge-general --general --no-corpus-train --validation general \
    --out "runs/parity_$2" --overwrite --lr 3e-4 --warmup 50 --schedule-offset "$offset" --max-tokens 4096 \
    --max-steps "$steps" --eval-every $((steps / 2)) --eval-sentences 300 --threads 1 --seed 11 --precision "$2" \
    > "runs/parity_$2.log" 2>&1
}
mkdir -p runs
run 0 fp32 & run 1 bf16 & wait
for p in fp32 bf16; do
  python -c "import json,sys; t=json.load(open(sys.argv[1]))['training']; print(sys.argv[2], [(h['step'], h['chrf']) for h in t['history']])" \
    "runs/parity_$p/run.json" "$p"
done
