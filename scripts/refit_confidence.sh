#!/usr/bin/env bash
# Refit QA's confidence (src/zhbridge/mt/data/confidence.json) for a new models/zhbridge-default, as docs/decoding.md §4 does.
# Run from the checkout root (zhbridge importable); the bench is $ZHBRIDGE_SHARED/bench or ../shared/bench.
#   bash scripts/refit_confidence.sh WMT22_HYP WMT23_HYP OUT_DIR
# WMT22_HYP/WMT23_HYP: the new model's CT2 float32 beam-4 outputs of bench/wmt/wmt2{2,3}/src.zh, as
# `zhbridge translate - --lines --tm none --glossary none --beams 4 --backend ct2` writes them; a file that
# does not exist yet is decoded so (about 10 more minutes each on one core). The rest: about 6 minutes.
set -euo pipefail
W=${ZHBRIDGE_SHARED:-../shared}/bench/wmt
H22=$1; H23=$2; R=$3
mkdir -p $R; rm -rf $R/qe $R/ct2            # the cache holds the OLD model's log-probs: never reuse it
T=${ZHBRIDGE_NICE:-}; export OMP_NUM_THREADS=1  # e.g. ZHBRIDGE_NICE="taskset -c 1 nice -n 5" on a shared machine
$T zhbridge model export --model models/zhbridge-default --ct2 $R/ct2 --quantization none
for pair in "wmt22 $H22" "wmt23 $H23"; do
  set -- $pair
  [[ -s $2 ]] || $T zhbridge translate - --lines --tm none --glossary none --beams 4 --threads 1 --backend ct2 \
    --model $R/ct2 < $W/$1/src.zh > $2
done
$T python -c "
import sys; sys.path.insert(0,'scripts')
from tune_decoding import dev_pairs
p=dev_pairs(400)
open('$R/dev.zh','w').write('\n'.join(z for z,_ in p)+'\n'); open('$R/dev.en','w').write('\n'.join(e for _,e in p)+'\n')"
$T python scripts/decode_lines.py --model $R/ct2 --backend ct2 --beams 4 --input $R/dev.zh --out $R/dev.ct2.en
# 1) the shipped JSON on the new model's WMT23 (the "before")
$T python scripts/fit_confidence.py --model $R/ct2 --backend ct2 --cache $R/qe \
  --evaluate wmt23=$W/wmt23/src.zh,$W/wmt23/ref.A.en,$H23 2>&1 | grep -v Warn | tee $R/before.log
# 2) the refit on dev + WMT22 (never WMT23), evaluated on WMT23 with the JSON it writes
$T python scripts/fit_confidence.py --model $R/ct2 --backend ct2 --cache $R/qe \
  --set dev=$R/dev.zh,$R/dev.en,$R/dev.ct2.en --set wmt22=$W/wmt22/src.zh,$W/wmt22/ref.A.en,$H22 \
  --evaluate wmt23=$W/wmt23/src.zh,$W/wmt23/ref.A.en,$H23 --out $R/confidence.json 2>&1 | grep -v Warn | tee $R/refit.log
echo "compare the 'fitted confidence' lines of $R/before.log and $R/refit.log; if the refit's tau and gap are"
echo "at least as good: cp $R/confidence.json src/zhbridge/mt/data/confidence.json, rerun"
echo "python -m pytest -q tests/mt/test_review.py, and quote the figures in docs/decoding.md §4."
