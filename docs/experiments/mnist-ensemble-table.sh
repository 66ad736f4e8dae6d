#!/usr/bin/env bash
# The research notes' ensemble-against-adversarial table on real MNIST (../shared/data/mnist):
#   baseline: one ConvNet (FILTERS/DENSE; the notes' "simple ConvNet" is 32,64 / 128), EPOCHS epochs, seed 42;
#   transfer FGSM examples at EPSILON made on the baseline (the notes' setting: the ensembles never
#   contain the baseline);
#   one uniform (every member sees all images, own seed) and one bootstrap (SAMPLE_FRACTION of the
#   images drawn with replacement) ensemble of max(NS) members, seeds 1000+m; the ensemble of N is
#   its first N members (exactly what --members N trains), scored by `evaluate --sizes`;
#   each N scored clean, on the transfer examples and on white-box FGSM against those N members
#   (`attack fgsm --target ensemble:N`), by mean / max / vote;
#   adversarial training: one ConvNet trained with FGSM examples made on the fly at EPSILON, scored
#   clean, on the baseline's examples and on its own new ones.
# Prints a markdown table and writes OUT_DIR/table.md. The notes' full setting (32,64 / 128, 5 epochs,
# NS="1 5 25 50") trains 103 ConvNets: about 57 hours on 2 cores. docs/results.md has the reduced run.
# TRAIN_PARTS=k trains on the first k of the six 10,000-image parts of the training set (all 10,000 test images are scored).
# Usage: [NS="1 5 25 50"] [EPOCHS=5] [FILTERS=32,64] [DENSE=128] [EPSILON=0.2] [SAMPLE_FRACTION=0.5] [TRAIN_PARTS=6] \
#        docs/experiments/mnist-ensemble-table.sh [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/bench-results/mnist-table}"
ns="${NS:-1 5 25 50}"; epochs="${EPOCHS:-5}"; eps="${EPSILON:-0.2}"; frac="${SAMPLE_FRACTION:-0.5}"
filters="${FILTERS:-32,64}"; dense="${DENSE:-128}"; parts="${TRAIN_PARTS:-6}"
nmax=$(printf '%s\n' $ns | sort -n | tail -1)
sizes=$(printf '%s\n' $ns | sort -n | paste -sd, -)
m="$root/../shared/data/mnist"
[ -d "$m" ] || { echo "needs ../shared/data/mnist" >&2; exit 2; }
ty="$root/trainyard"
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
mkdir -p "$out"
if [ ! -d "$out/train" ]; then
  args=()
  for p in $(seq 0 $((parts - 1))); do
    args+=(--images "$m/train-images-parts/train-images-idx3-ubyte.part${p}of6.gz" --labels "$m/train-labels-parts/train-labels-idx1-ubyte.part${p}of6.gz")
  done
  "$ty" prep images "${args[@]}" --split train --output "$out/train" >/dev/null
  "$ty" prep images --images "$m/idx/t10k-images-idx3-ubyte.gz" --labels "$m/idx/t10k-labels-idx1-ubyte.gz" --split test --output "$out/test" >/dev/null
fi
train() { # name members sampling seed extra...
  local name="$1" n="$2" s="$3" seed="$4"; shift 4
  log "train $name ($n members, $s)"
  [ -f "$out/$name/ensemble.zip" ] || "$ty" train ensemble --data "$out/train" --output "$out/$name" --members "$n" --sampling "$s" \
    --sample-fraction "$frac" --epochs "$epochs" --filters "$filters" --dense "$dense" --seed "$seed" "$@" >"$out/$name.log" 2>&1
}
attack() { # model target output
  log "attack $1 --target $2"
  [ -d "$out/$3" ] || "$ty" attack fgsm --model "$out/$1" --data "$out/test" --split test --epsilon "$eps" --target "$2" --output "$out/$3" >/dev/null 2>&1
}
evaluate() { # model extra... (skipped when its evaluation.json exists, so a stopped run resumes)
  local name="$1"; shift
  log "evaluate $name"
  [ -f "$out/$name/evaluation.json" ] || "$ty" evaluate --model "$out/$name" --data "$out/test" --split test "$@" --output "$out/$name/evaluation.json" >/dev/null 2>&1
}
train baseline 1 uniform 42
attack baseline member:0 fgsm-baseline
for s in uniform bootstrap; do
  train "$s" "$nmax" "$s" 1000
  sets=(--adversarial "$out/fgsm-baseline")
  for n in $ns; do
    attack "$s" "ensemble:$n" "$s-whitebox-n$n"
    sets+=(--adversarial "$out/$s-whitebox-n$n")
  done
  evaluate "$s" "${sets[@]}" --sizes "$sizes"
done
train advtrained 1 uniform 42 --adversarial-training "$eps"
attack advtrained member:0 advtrained-own
evaluate advtrained --adversarial "$out/fgsm-baseline" --adversarial "$out/advtrained-own"
evaluate baseline --adversarial "$out/fgsm-baseline"
python3 - "$out" "$eps" "$ns" "$filters" "$dense" "$epochs" "$frac" <<'PY' | tee "$out/table.md"
import json, sys
out, eps, ns, filters, dense, epochs, frac = sys.argv[1:]
ns = [int(n) for n in ns.split()]
ev = lambda name: json.load(open(f"{out}/{name}/evaluation.json"))["datasets"]
n_train = json.load(open(f"{out}/train/prep-summary.json"))["records_written"]
print(f"ConvNet {filters} filters, dense {dense}, {epochs} epoch(s) on {n_train} training images; FGSM epsilon {eps} on [0,1] pixels; "
      f"bootstrap samples {frac} of the training set; 10,000 test images.")
print("Transfer: examples made on the baseline ConvNet (not a member). White-box: FGSM on the summed loss of the N members scored.\n")
print("| model | clean mean / max | transfer mean / max | white-box mean / max |")
print("|---|---|---|---|")
b = ev("baseline")
print(f"| baseline ConvNet | {b[0]['accuracy']['mean']:.3f} | {b[1]['accuracy']['mean']:.3f} (its own examples) | - |")
for s in ["uniform", "bootstrap"]:
    d = ev(s)
    for i, n in enumerate(ns):
        k = [r["members"] for r in d[0]["accuracy_by_size"]].index(n)
        f = lambda j: f"{d[j]['accuracy_by_size'][k]['mean']:.3f} / {d[j]['accuracy_by_size'][k]['max']:.3f}"
        print(f"| N={n} {s} | {f(0)} | {f(1)} | {f(2 + i)} |")
a = ev("advtrained")
print(f"| adversarially trained ConvNet | {a[0]['accuracy']['mean']:.3f} | {a[1]['accuracy']['mean']:.3f} | {a[2]['accuracy']['mean']:.3f} (its own examples) |")
best = max(max(ev("uniform")[1]["member_accuracy"]), max(ev("bootstrap")[1]["member_accuracy"]))
print(f"\nBest single ensemble member on the transfer examples: {best:.3f}.")
PY
