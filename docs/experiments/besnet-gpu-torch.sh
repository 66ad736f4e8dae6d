#!/usr/bin/env bash
# BesNet-50's training step in PyTorch on an NVIDIA GPU (docs/experiments/besnet_torch.py): the GPU
# minibatch time docs/scaling.md's cost model needs (GPU_STEP_S), measured rather than assumed.
# It is PyTorch's time (cuDNN), a floor for what ND4J's CUDA build would take for the same step.
# fp32 is IEEE float math (what ND4J's CUDA build runs); tf32 and bf16 are what a PyTorch user may
# switch on. Each configuration runs in its own process, after an 8192^3 product in the same
# arithmetic (the ratio's peak). Per-run JSON goes to WORK (default OUT_DIR).
# Usage: [BATCHES="2 8"] [PRECISIONS="fp32 tf32 bf16"] [WORK=DIR] docs/experiments/besnet-gpu-torch.sh [OUT_DIR]
#   -> WORK/besnet-gpu-B-P.json per batch B and precision P, OUT_DIR/summary.json, OUT_DIR/nvidia-smi.csv
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-bench-results/besnet-gpu-torch}"
work="${WORK:-$out}"
mkdir -p "$out" "$work"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv | tee "$out/nvidia-smi.csv"
for b in ${BATCHES:-2 8}; do
  for p in ${PRECISIONS:-fp32 tf32 bf16}; do
    python3 "$here/besnet_torch.py" --device cuda --batch "$b" --precision "$p" --frames 8 --size 112 \
        --warmup 5 --steps 20 --out "$work/besnet-gpu-$b-$p.json"
  done
done
python3 - "$work" <<'PY' | tee "$out/summary.json"
import glob, json, sys
rows = []
for f in sorted(glob.glob(f"{sys.argv[1]}/besnet-gpu-*.json")):
    r = json.load(open(f)); t = r["training_step"]
    rows.append({"batch": r["config"]["batch"], "precision": r["precision"], "device": r["device_name"],
                 "median_step_seconds": t["median_step_seconds"], "clips_per_second": t["clips_per_second"],
                 "gflops": t["gflops"], "matmul_gflops": r["matmul_gflops"],
                 "ratio_to_matmul": t["ratio_to_matmul"], "parameters": t["parameters"],
                 "max_memory_allocated_gib": r.get("max_memory_allocated_gib")})
rows.sort(key=lambda x: (x["batch"], ["fp32", "tf32", "bf16"].index(x["precision"])))
print(json.dumps({"torch": r["torch"], "runs": rows}, indent=1))
PY
