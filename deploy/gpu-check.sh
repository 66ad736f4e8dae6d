#!/usr/bin/env bash
# On a machine with an NVIDIA GPU (driver for CUDA 11.6+): build Trainyard with the cuda profile,
# then time BesNet training steps on the GPU and, as the baseline in the same run, on the CPU build.
# Prints the device ND4J used and the step times; writes bench-results/gpu-check/*.json and summary.json.
# Usage: deploy/gpu-check.sh [DEPTH=50] [BATCH=2] [FRAMES=8] [SIZE=112] [STEPS=3]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/bench-results/gpu-check"
depth="${DEPTH:-50}"; batch="${BATCH:-2}"; frames="${FRAMES:-8}"; size="${SIZE:-112}"; steps="${STEPS:-3}"
mkdir -p "$out"
nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv | tee "$out/nvidia-smi.csv"
cd "$root"
bench() { # jar output
  TRAINYARD_JAR="$1" ./trainyard bench besnet --depth "$depth" --batch "$batch" --frames "$frames" --size "$size" \
    --steps "$steps" --layer-channels 64 --output "$2"
}
mvn -B -q -Pcuda -DskipTests package
cp spark-jobs/target/trainyard.jar "$out/trainyard-cuda.jar"
bench "$out/trainyard-cuda.jar" "$out/besnet-cuda.json"
mvn -B -q -DskipTests package
cp spark-jobs/target/trainyard.jar "$out/trainyard-cpu.jar"
bench "$out/trainyard-cpu.jar" "$out/besnet-cpu.json"
python3 - "$out" <<'PY' | tee "$out/summary.json"
import json, sys
out = sys.argv[1]
g, c = (json.load(open(f"{out}/besnet-{k}.json")) for k in ("cuda", "cpu"))
print(json.dumps({
    "gpu_backend": g.get("nd4j_backend"), "gpu_device": g.get("cuda_devices"), "device_for_thread": g.get("device_for_thread"),
    "model": g["training_step"]["model"], "clip": g["training_step"]["clip"], "batch": g["training_step"]["batch"],
    "gpu_seconds_per_step": g["training_step"]["seconds_per_step"], "cpu_seconds_per_step": c["training_step"]["seconds_per_step"],
    "gpu_speedup_over_cpu_build": c["training_step"]["seconds_per_step"] / g["training_step"]["seconds_per_step"],
}, indent=1))
PY
