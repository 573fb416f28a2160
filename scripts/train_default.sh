#!/usr/bin/env bash
# Rebuild (or keep training) the shipped default model, models/zhbridge-default:
#   1. general model: a deep-encoder / shallow-decoder Marian (6+2 layers, d=256, joint 12k
#      SentencePiece vocabulary) on the general parallel data of corpus/training (news, talk, social,
#      docs (capped), Tatoeba, WMT en-zh reversed: see corpus/training/README.md), validated on 400
#      held-out Chinese-original news pairs;
#   2. mixed fine-tuning: the in-domain train split (upsampled) and the glossary as phrase pairs inside
#      batches of general pairs, a lower learning rate, early stopping on the mean of the in-domain and
#      the general dev chrF (--validation both), so the domain is learnt without forgetting English;
#   3. made shippable (checkpoint removed, fp16 weights if over 25 MB) with its model card.
#
# Warm start (CPU hours add up across sessions): --init DIR continues step 1 from DIR's weights
# (e.g. --init runs/general from an earlier session, or --init models/zhbridge-default); the card's
# lineage table then lists every run with cumulative steps, tokens and CPU hours.
# The same recipe runs on a GPU (mixed precision, automatically): raise the minutes or use 0 for
# epochs only.  Multi-GPU: `torchrun --nproc_per_node N -m zhbridge train` instead of `zhbridge train`.
#
# Threads: one thread on a core of its own makes 1.7x the steps per CPU hour of two threads (1.6 vs 1.37 s/step,
# models/zhbridge-default/evaluation.md); on a shared 2-core machine use --threads 1.
# Both cores of an idle machine: --processes 2 runs two one-thread processes under torchrun (DDP over gloo);
# each takes its own batches, so an epoch is half the steps (scripts/bench_train.py measures the gain).
# Cooldown: with a time budget each stage ends with its learning rate falling linearly to zero over the
# last COOLDOWN share of the run (default 0.4): a warm start re-enters near the peak rate, and without the
# fall the weights it ships are those of a still-noisy high-rate phase (session 4: dev chrF dipped by a point).
# Precision: bf16 autocast on CPUs with native bf16 (AVX512-BF16/AMX), fp32 elsewhere (zhbridge train --precision).
#
# Usage: scripts/train_default.sh [--init DIR] [--general-minutes M] [--finetune-minutes M]
#                                 [--threads T] [--processes P] [--work DIR] [--out DIR] [--skip-general]
set -euo pipefail
cd "$(dirname "$0")/.."

GENERAL_MIN=95; FINETUNE_MIN=12; THREADS=2; PROCESSES=1; WORK=runs; OUT=models/zhbridge-default; INIT=""; SKIP_GENERAL=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --init) INIT=$2; shift 2;;
    --general-minutes) GENERAL_MIN=$2; shift 2;;
    --finetune-minutes) FINETUNE_MIN=$2; shift 2;;
    --threads) THREADS=$2; shift 2;;
    --processes) PROCESSES=$2; shift 2;;
    --work) WORK=$2; shift 2;;
    --out) OUT=$2; shift 2;;
    --skip-general) SKIP_GENERAL=1; shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
COOLDOWN=${COOLDOWN:-0.4}
budget() { [[ "$1" != 0 ]] && echo "--time-budget $1 --cooldown $COOLDOWN"; true; }
train() {  # zhbridge train, or the same under torchrun with --processes > 1
  if [[ $PROCESSES -gt 1 ]]; then torchrun --standalone --nproc_per_node "$PROCESSES" -m zhbridge train "$@"; else zhbridge train "$@"; fi
}

mkdir -p "$WORK"
if [[ $SKIP_GENERAL == 0 ]]; then
  if [[ -n "$INIT" ]]; then
    # warm start: same vocabulary and weights, a short re-warmup, then inverse-square-root decay from
    # GENERAL_LR continued at the base's cumulative steps (so it decays slowly), and the cooldown at the end
    offset=$(python -c 'import json,sys; r=json.load(open(sys.argv[1]+"/run.json")); print(r.get("lineage",{}).get("totals",{}).get("steps") or r["training"]["steps"])' "$INIT")
    start=(--init "$INIT" --warmup 200 --schedule-offset "$offset")
    GENERAL_LR=${GENERAL_LR:-4e-4}
  else
    start=(--from-scratch --size deep-shallow --warmup 1000)
  fi
  GENERAL_LR=${GENERAL_LR:-7e-4}
  train "${start[@]}" --general --no-corpus-train --validation general \
    --out "$WORK/general" --overwrite --lr "$GENERAL_LR" --max-tokens 4096 --eval-every 500 --patience 20 \
    --epochs 40 $(budget "$GENERAL_MIN") --threads "$THREADS" --seed 0
fi

train --init "$WORK/general" --upsample 20 --glossary-pairs --general --general-sample 20000 \
  --validation both --out "$OUT" --overwrite --lr 2e-4 --warmup 100 --max-tokens 4096 --eval-every 100 --eval-sentences 200 \
  --patience 4 --epochs 10 $(budget "$FINETUNE_MIN") --threads "$THREADS" --seed 0

python -m zhbridge.train.ship "$OUT"
