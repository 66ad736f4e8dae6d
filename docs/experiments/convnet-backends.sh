#!/usr/bin/env bash
# ConvNet ensemble members (the notes' MNIST ConvNet: 3x3 convolutions of 32 and 64 filters, dense 128) trained on
# ND4J's generic build (Maven profile cpu-generic) and on its oneDNN build (the default), same data, seeds and
# members, one run after the other; prints seconds per member and the ratio.
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
TRAINYARD_CLASSPATH_PREFIX="$generic" TRAINYARD_JAVA_OPTS="-Dorg.bytedeco.javacpp.platform.extension=" train generic
train onednn
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
secs = {b: [m["seconds"] for m in json.load(open(f"{out}/{b}/manifest.json"))["members"]] for b in ("generic", "onednn")}
for b, s in secs.items():
    print("%-8s seconds per member: %s (mean %.1f)" % (b, ", ".join("%.1f" % x for x in s), sum(s) / len(s)))
print("oneDNN / generic speed-up: %.2fx" % ((sum(secs["generic"]) / len(secs["generic"])) / (sum(secs["onednn"]) / len(secs["onednn"]))))
PY
