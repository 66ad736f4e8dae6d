#!/usr/bin/env bash
# ConvNet ensemble members (the notes' MNIST ConvNet: 3x3 convolutions of 32 and 64 filters, dense 128) trained on
# ND4J's generic build (Maven profile cpu-generic) with DL4J's stock convolution layers (the baseline), on the
# oneDNN build (the default) with the stock layers, and on the oneDNN build with Trainyard's native convolutions
# (the default), same data, seeds and members, one run after the other; prints seconds per member and the ratios.
# Usage: [FRACTION=0.05] [MEMBERS=2] docs/experiments/convnet-backends.sh TRAIN_IMAGES_DIR [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
data="$1"; out="${2:-$root/bench-results/convnet-backends}"
frac="${FRACTION:-0.05}"; members="${MEMBERS:-2}"
ty="$root/trainyard"
mkdir -p "$out"; out="$(cd "$out" && pwd)"
train() { rm -rf "${out:?}/$1";  "$ty" train ensemble --data "$data" --output "$out/$1" --members "$members" --sampling bootstrap \
  --sample-fraction "$frac" --epochs 1 --filters 32,64 --dense 128 --seed 1000 >"$out/$1.log" 2>&1; }
(cd "$root" && mvn -q -B -Pcpu-generic -pl model-zoo dependency:build-classpath -Dmdep.outputFile="$out/generic-classpath.txt" >/dev/null)
generic="$(tr ':' '\n' < "$out/generic-classpath.txt" | grep -E 'nd4j-native-.*-linux-x86_64\.jar$' | paste -sd: -)"
TRAINYARD_CLASSPATH_PREFIX="$generic" TRAINYARD_JAVA_OPTS="-Dorg.bytedeco.javacpp.platform.extension= -Dtrainyard.native-frame-ops=none" train generic
TRAINYARD_JAVA_OPTS="-Dtrainyard.native-frame-ops=none" train onednn-stock
train onednn
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
runs = ("generic", "onednn-stock", "onednn")
secs = {b: [m["seconds"] for m in json.load(open(f"{out}/{b}/manifest.json"))["members"]] for b in runs}
mean = {b: sum(s) / len(s) for b, s in secs.items()}
summary = {b: {"seconds_per_member": s, "mean": mean[b], "speed_up_over_generic": mean["generic"] / mean[b]} for b, s in secs.items()}
json.dump(summary, open(f"{out}/summary.json", "w"), indent=1)
for b in runs:
    print("%-13s seconds per member: %s (mean %.1f), %.2fx the generic build's speed"
          % (b, ", ".join("%.1f" % x for x in secs[b]), mean[b], mean["generic"] / mean[b]))
PY
