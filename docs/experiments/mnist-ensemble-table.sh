#!/usr/bin/env bash
# The research notes' ensemble-against-adversarial table on real MNIST (../shared/data/mnist):
#   baseline: one ConvNet (--filters 32,64 --dense 128, the notes' "simple ConvNet"), EPOCHS epochs;
#   transfer FGSM examples at EPSILON made on the baseline (the notes' setting);
#   ensembles of N = 1, 5, 25, 50 members, uniform (every member sees all images, own seed) and
#   bootstrap (SAMPLE_FRACTION of the images drawn with replacement), each scored clean, on the
#   transfer examples and on white-box FGSM against the whole ensemble, by mean / max / vote;
#   adversarial training: one ConvNet trained with FGSM examples made on the fly at EPSILON, scored
#   clean, on the baseline's old examples and on its own new ones.
# Prints a markdown table. The full run trains 163 ConvNets: hours on 2 cores; pass smaller
# NS / EPOCHS to try it (e.g. NS="1 5" EPOCHS=1).
# Usage: [NS="1 5 25 50"] [EPOCHS=5] [EPSILON=0.2] [SAMPLE_FRACTION=0.5] docs/experiments/mnist-ensemble-table.sh [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/bench-results/mnist-table}"
ns="${NS:-1 5 25 50}"; epochs="${EPOCHS:-5}"; eps="${EPSILON:-0.2}"; frac="${SAMPLE_FRACTION:-0.5}"
m="$root/../shared/data/mnist"
[ -d "$m" ] || { echo "needs ../shared/data/mnist" >&2; exit 2; }
ty="$root/trainyard"
mkdir -p "$out"
if [ ! -d "$out/train" ]; then
  args=()
  for p in 0 1 2 3 4 5; do
    args+=(--images "$m/train-images-parts/train-images-idx3-ubyte.part${p}of6.gz" --labels "$m/train-labels-parts/train-labels-idx1-ubyte.part${p}of6.gz")
  done
  "$ty" prep images "${args[@]}" --split train --output "$out/train" >/dev/null
  "$ty" prep images --images "$m/idx/t10k-images-idx3-ubyte.gz" --labels "$m/idx/t10k-labels-idx1-ubyte.gz" --split test --output "$out/test" >/dev/null
fi
train() { # name members sampling extra...
  local name="$1" n="$2" s="$3"; shift 3
  [ -f "$out/$name/ensemble.zip" ] || "$ty" train ensemble --data "$out/train" --output "$out/$name" --members "$n" --sampling "$s" \
    --sample-fraction "$frac" --epochs "$epochs" "$@" >/dev/null
}
train baseline 1 uniform
[ -d "$out/fgsm-baseline" ] || "$ty" attack fgsm --model "$out/baseline" --data "$out/test" --split test --epsilon "$eps" --target member:0 --output "$out/fgsm-baseline" >/dev/null
for n in $ns; do
  for s in uniform bootstrap; do
    name="n$n-$s"
    train "$name" "$n" "$s"
    [ -d "$out/$name-whitebox" ] || "$ty" attack fgsm --model "$out/$name" --data "$out/test" --split test --epsilon "$eps" --target ensemble --output "$out/$name-whitebox" >/dev/null
    "$ty" evaluate --model "$out/$name" --data "$out/test" --split test --adversarial "$out/fgsm-baseline" --adversarial "$out/$name-whitebox" --output "$out/$name/evaluation.json" >/dev/null
  done
done
train advtrained 1 uniform --adversarial-training "$eps"
[ -d "$out/advtrained-own" ] || "$ty" attack fgsm --model "$out/advtrained" --data "$out/test" --split test --epsilon "$eps" --target member:0 --output "$out/advtrained-own" >/dev/null
"$ty" evaluate --model "$out/advtrained" --data "$out/test" --split test --adversarial "$out/fgsm-baseline" --adversarial "$out/advtrained-own" --output "$out/advtrained/evaluation.json" >/dev/null
"$ty" evaluate --model "$out/baseline" --data "$out/test" --split test --adversarial "$out/fgsm-baseline" --output "$out/baseline/evaluation.json" >/dev/null
python3 - "$out" "$eps" "$ns" <<'PY'
import json, os, sys
out, eps, ns = sys.argv[1], sys.argv[2], sys.argv[3].split()
def acc(name):
    e = json.load(open(f"{out}/{name}/evaluation.json"))["datasets"]
    return e
print(f"FGSM epsilon {eps}; transfer = examples made on the baseline ConvNet; white-box = against the ensemble's summed loss.")
print("| model | clean mean / max | transfer mean / max | white-box mean / max |")
print("|---|---|---|---|")
b = acc("baseline")
print(f"| baseline (1 ConvNet) | {b[0]['accuracy']['mean']:.3f} | {b[1]['accuracy']['mean']:.3f} | - |")
for n in ns:
    for s in ["uniform", "bootstrap"]:
        d = acc(f"n{n}-{s}")
        f = lambda i: f"{d[i]['accuracy']['mean']:.3f} / {d[i]['accuracy']['max']:.3f}"
        print(f"| N={n} {s} | {f(0)} | {f(1)} | {f(2)} |")
a = acc("advtrained")
print(f"| adversarially trained ConvNet: clean / baseline's examples / its own | {a[0]['accuracy']['mean']:.3f} | {a[1]['accuracy']['mean']:.3f} | {a[2]['accuracy']['mean']:.3f} (own, member white-box) |")
PY
