#!/usr/bin/env bash
# A small first run of the ensemble/FGSM study on real MNIST (../shared/data/mnist): 5 bootstrap
# members of a reduced ConvNet (8,16 filters, dense 64), 1 epoch each, FGSM at epsilon 0.2 against
# member 0 (transfer to the others) and against the whole ensemble (white-box). About 10 min on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/bench-results/mnist-small}"
m="$root/../shared/data/mnist"
[ -d "$m" ] || { echo "needs ../shared/data/mnist" >&2; exit 2; }
ty="$root/trainyard"
rm -rf "$out"; mkdir -p "$out"
args=()
for p in 0 1 2 3 4 5; do
  args+=(--images "$m/train-images-parts/train-images-idx3-ubyte.part${p}of6.gz" --labels "$m/train-labels-parts/train-labels-idx1-ubyte.part${p}of6.gz")
done
"$ty" prep images "${args[@]}" --split train --output "$out/train" >/dev/null
"$ty" prep images --images "$m/idx/t10k-images-idx3-ubyte.gz" --labels "$m/idx/t10k-labels-idx1-ubyte.gz" --split test --output "$out/test" >/dev/null
"$ty" train ensemble --data "$out/train" --output "$out/ensemble" --members 5 --sampling bootstrap --sample-fraction 0.5 \
  --epochs 1 --filters 8,16 --dense 64 >/dev/null
"$ty" attack fgsm --model "$out/ensemble" --data "$out/test" --epsilon 0.2 --target member:0 --output "$out/fgsm-member0" >/dev/null
"$ty" attack fgsm --model "$out/ensemble" --data "$out/test" --epsilon 0.2 --target ensemble --output "$out/fgsm-ensemble" >/dev/null
"$ty" evaluate --model "$out/ensemble" --data "$out/test" --adversarial "$out/fgsm-member0" --adversarial "$out/fgsm-ensemble" \
  --output "$out/evaluation.json" >/dev/null
python3 - "$out/evaluation.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
print("| data | mean | max | vote | members |")
print("|---|---|---|---|---|")
for d in e["datasets"]:
    name = d.get("attack", {}).get("target", "clean test set")
    a = d["accuracy"]
    print("| %s | %.3f | %.3f | %.3f | %s |" % (name, a["mean"], a["max"], a["vote"], ", ".join("%.3f" % x for x in d["member_accuracy"])))
PY
