#!/usr/bin/env bash
# BesNet speed on this machine, each figure beside the matrix-product GFLOP/s measured in the same process:
#   onednn        `trainyard bench besnet` as users run it: ND4J's oneDNN build (the default), OpenBLAS kernels
#                 chosen from the CPU flags, BesNet's frame-wise convolutions, ReLUs and batch norms as native ops;
#   onednn-stock  the same build with DL4J's stock layers inside FrameWise (-Dtrainyard.native-frame-ops=none);
#   generic       ND4J's generic build (Maven profile cpu-generic), OpenBLAS kernels from the CPU flags;
#   generic-before the generic build with OpenBLAS left to pick its own kernels (-Dtrainyard.openblas.coretype=off)
#                 and stock frame-wise layers: Trainyard before 2026-11-27, except the temporal convolution, which
#                 has no stock variant (2026-11-28 made it matrix products);
#   pytorch       the same BesNet-50 training step in PyTorch on the CPU (Debian's python3-torch, installed here
#                 when missing and running as root; never in CI).
# Every run's step is also compared with the default run's matrix product (the table's last column).
# Usage: docs/experiments/besnet-bench.sh [OUT_DIR] [extra bench options, e.g. --batch 2 --size 112]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/bench-results/besnet-bench}"; shift || true
# 3 untimed steps first: DL4J's workspaces and oneDNN settle over the first few (the first timed
# steps after a single warm-up step ran 20-40% slower than the rest)
args=(--depth 50 --batch 2 --frames 8 --size 112 --warmup-steps 3 --steps 8 "$@")
ty="$root/trainyard"
mkdir -p "$out"; out="$(cd "$out" && pwd)"
threads="${THREADS:-$(nproc)}"

"$ty" bench besnet "${args[@]}" --output "$out/onednn.json" >/dev/null
TRAINYARD_JAVA_OPTS="-Dtrainyard.native-frame-ops=none" "$ty" bench besnet "${args[@]}" --output "$out/onednn-stock.json" >/dev/null

# the generic build's natives ahead of the jar, and JavaCPP told to load them (an empty platform extension)
(cd "$root" && mvn -q -B -Pcpu-generic -pl model-zoo dependency:build-classpath -Dmdep.outputFile="$out/generic-classpath.txt" >/dev/null)
generic="$(tr ':' '\n' < "$out/generic-classpath.txt" | grep -E 'nd4j-native-.*-linux-x86_64\.jar$' | paste -sd: -)"
TRAINYARD_CLASSPATH_PREFIX="$generic" TRAINYARD_JAVA_OPTS="-Dorg.bytedeco.javacpp.platform.extension=" \
  "$ty" bench besnet "${args[@]}" --output "$out/generic.json" >/dev/null
TRAINYARD_CLASSPATH_PREFIX="$generic" TRAINYARD_JAVA_OPTS="-Dorg.bytedeco.javacpp.platform.extension= -Dtrainyard.openblas.coretype=off -Dtrainyard.native-frame-ops=none" \
  "$ty" bench besnet "${args[@]}" --output "$out/generic-before.json" >/dev/null

# Debian's python3-torch lives under the system Python (a pyenv or venv python3 would not see it)
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
if ! "$py" -c 'import torch' 2>/dev/null; then
  # with OpenBLAS, which python3-torch only recommends: on one thread PyTorch 1.13 runs convolutions with
  # 1 x 1 frames and no stride or dilation (the 3x1x1 layers at dilation 1) as BLAS products, and on
  # Debian's reference BLAS its one-thread step took 15.6 s instead of 2.5 (docs/experiments/step-threads.sh)
  if [ "$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-torch libopenblas0-openmp >/dev/null
  else echo "python3-torch missing and not root: skipping the PyTorch peer" >&2; fi
fi
if "$py" -c 'import torch' 2>/dev/null; then
cfg=$("$py" -c 'import json,sys; c=json.load(open(sys.argv[1]))["config"]; print(c["batch"], c["frames"], c["size"], c["steps"], c["warmup"])' "$out/onednn.json")
read -r batch frames size steps warmup <<<"$cfg"
"$py" "$root/docs/experiments/besnet_torch.py" --device cpu --threads "$threads" --batch "$batch" --frames "$frames" \
    --size "$size" --steps "$steps" --warmup "$warmup" --out "$out/pytorch.json"
fi

python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
# every run's step against the matrix-product peak of the default run (PyTorch's own product runs on Debian's slow BLAS);
# the peak is the best of ND4J's gemm at 1024, 2048 and 3072, before and after the steps
ref = json.load(open(f"{out}/onednn.json"))
peak = ref.get("matmul_peak_gflops", ref["matmul_2048_gflops"])
print(f"peak (default run, best of before/after the steps): {peak:.1f} GFLOP/s")
print("| run | own matmul GFLOP/s | 1x3x3 conv GFLOP/s | 3x1x1 ours d={1,2} | 3x1x1 stock Conv3D d=2 | BesNet-50 step: mean s | median s | GFLOP/s (median) | / own peak | / default run's peak |")
print("|---|---|---|---|---|---|---|---|---|---|")
for name in ["generic-before", "generic", "onednn-stock", "onednn", "pytorch"]:
    p = f"{out}/{name}.json"
    if not os.path.exists(p):
        continue
    r = json.load(open(p)); t = r["training_step"]
    own = r.get("matmul_peak_gflops", r["matmul_2048_gflops"])
    med = t.get("median_step_seconds", t["seconds_per_step"])
    gf = 3 * ref["training_step"]["forward_conv_gflop"] / med
    L = {l["layer"]: l for l in r.get("layers", [])}
    def g(key):
        l = next((v for k, v in L.items() if key in k), None)
        return "-" if l is None else ("fails" if "error" in l else f"{l['gflops']:.1f}")
    print(f"| {name} | {own:.1f} | {g('1x3x3')} | {g('dilations [1, 2]')} | {g('Convolution3D, dilation 2')} | "
          f"{t['seconds_per_step']:.2f} | {med:.2f} | {gf:.1f} | {gf / own:.2f} | {gf / peak:.2f} |")
PY
