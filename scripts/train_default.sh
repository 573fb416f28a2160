#!/usr/bin/env bash
# Rebuild the shipped default model, models/zhbridge-default, end to end:
#   1. from scratch on the general-domain pairs of corpus/training (Tatoeba + WMT en-zh reversed),
#      with a joint SentencePiece vocabulary, validated on 300 held-out general pairs;
#   2. fine-tuned on the corpus's in-domain train split (upsampled), the glossary as phrase pairs,
#      and a replay sample of general pairs, validated on the corpus validation split;
#   3. made shippable (checkpoint removed, fp16 weights if over 25 MB) with its model card.
# The same recipe runs on a GPU (mixed precision, automatically) or a CPU (set THREADS low on a
# shared machine).  Multi-GPU: replace `zhbridge train` with
# `torchrun --nproc_per_node N -m zhbridge train` (DDP; --max-tokens is per process).
#
# Usage: scripts/train_default.sh [--general-minutes M] [--finetune-minutes M] [--general-epochs N]
#                                 [--finetune-epochs N] [--threads T] [--work DIR] [--out DIR]
# Defaults fit a 2-core CPU in ~40 minutes of training; on a GPU raise the epochs and drop the
# time limits (e.g. --general-minutes 0 --general-epochs 30).
set -euo pipefail
cd "$(dirname "$0")/.."

GENERAL_MIN=27; FINETUNE_MIN=8; GENERAL_EPOCHS=20; FINETUNE_EPOCHS=30; THREADS=2
WORK=runs; OUT=models/zhbridge-default
while [[ $# -gt 0 ]]; do
  case "$1" in
    --general-minutes) GENERAL_MIN=$2; shift 2;;
    --finetune-minutes) FINETUNE_MIN=$2; shift 2;;
    --general-epochs) GENERAL_EPOCHS=$2; shift 2;;
    --finetune-epochs) FINETUNE_EPOCHS=$2; shift 2;;
    --threads) THREADS=$2; shift 2;;
    --work) WORK=$2; shift 2;;
    --out) OUT=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
budget() { [[ "$1" != 0 ]] && echo "--time-budget $1"; true; }

mkdir -p "$WORK"
zhbridge train --from-scratch --size small --general --no-corpus-train --validation general \
  --out "$WORK/general" --overwrite --lr 1e-3 --warmup 400 --max-tokens 2048 --eval-every 150 --patience 4 \
  --epochs "$GENERAL_EPOCHS" $(budget "$GENERAL_MIN") --threads "$THREADS" --seed 0

zhbridge train --base "$WORK/general" --upsample 10 --glossary-pairs --general --general-sample 2000 \
  --out "$OUT" --overwrite --lr 3e-4 --warmup 50 --max-tokens 2048 --eval-every 40 --patience 4 \
  --epochs "$FINETUNE_EPOCHS" $(budget "$FINETUNE_MIN") --threads "$THREADS" --seed 0

python -m zhbridge.train.ship "$OUT"
