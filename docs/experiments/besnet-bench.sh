#!/usr/bin/env bash
# BesNet speed on this machine, each figure beside the matrix-product GFLOP/s measured in the same process:
#   onednn        `trainyard bench besnet` as users run it: ND4J's oneDNN build (the default), OpenBLAS kernels
#                 chosen from the CPU flags, BesNet's frame-wise convolutions, ReLUs and batch norms as native ops;
#   onednn-stock  the same build with DL4J's stock layers inside FrameWise (-Dtrainyard.native-frame-ops=none);
#   generic       ND4J's generic build (Maven profile cpu-generic), OpenBLAS kernels from the CPU flags;
#   generic-before the generic build with OpenBLAS left to pick its own kernels (-Dtrainyard.openblas.coretype=off)
#                 and stock frame-wise layers: Trainyard before session 6, except the temporal convolution, which
#                 has no stock variant (session 7 made it matrix products);
#   pytorch       the same BesNet-50 training step in PyTorch on the CPU (Debian's python3-torch, installed here
#                 when missing and running as root; never in CI).
# Every run's step is also compared with the default run's matrix product (the table's last column).
# Usage: docs/experiments/besnet-bench.sh [OUT_DIR] [extra bench options, e.g. --batch 2 --size 112]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/bench-results/besnet-bench}"; shift || true
args=(--depth 50 --batch 2 --frames 8 --size 112 --steps 5 "$@")
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
  if [ "$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-torch >/dev/null
  else echo "python3-torch missing and not root: skipping the PyTorch peer" >&2; fi
fi
if "$py" -c 'import torch' 2>/dev/null; then
"$py" - "$out" "$threads" <<'PY'
# BesNet-50 as Trainyard builds it (ReLU then batch norm, bottlenecks 3x1x1 - 1x3x3 - 3x1x1 with
# random dilation {1,2}, stride on the first 3x1x1 and the projection), timed like the Java bench.
import json, random, sys, time
import torch, torch.nn as nn, torch.nn.functional as F
out, threads = sys.argv[1], int(sys.argv[2])
torch.set_num_threads(threads)
cfg = json.load(open(f"{out}/onednn.json"))["config"]
B, T, S = cfg["batch"], cfg["frames"], cfg["size"]

class Temporal(nn.Conv3d):
    def __init__(self, cin, cout, stride):
        super().__init__(cin, cout, (3, 1, 1), stride=(1, stride, stride))
    def forward(self, x):
        ds = [random.choice([1, 2])] if self.training else [1, 2]
        return sum(F.conv3d(x, self.weight, self.bias, self.stride, (d, 0, 0), (d, 1, 1)) for d in ds) / len(ds)

def unit(conv, c, act=True):
    return nn.Sequential(conv, nn.ReLU(), nn.BatchNorm3d(c)) if act else nn.Sequential(conv, nn.BatchNorm3d(c))

class Block(nn.Module):
    def __init__(self, cin, w, stride):
        super().__init__()
        self.branch = nn.Sequential(unit(Temporal(cin, w, stride), w), unit(nn.Conv3d(w, w, (1, 3, 3), padding=(0, 1, 1)), w),
                                    unit(Temporal(w, 4 * w, 1), 4 * w))
        self.short = unit(Temporal(cin, 4 * w, stride), 4 * w, act=False) if stride != 1 or cin != 4 * w else nn.Identity()
    def forward(self, x):
        return self.branch(x) + self.short(x)

layers = [unit(nn.Conv3d(3, 64, (1, 7, 7), stride=(1, 2, 2), padding=(0, 3, 3)), 64), nn.MaxPool3d((1, 3, 3), (1, 2, 2))]
cin = 64
for stage, (w, n) in enumerate(zip([64, 128, 256, 512], [3, 4, 6, 3])):
    for b in range(n):
        layers.append(Block(cin, w, 1 if b or stage == 0 else 2)); cin = 4 * w
body = nn.Sequential(*layers)
fc = nn.Linear(2048, 400)
params = list(body.parameters()) + list(fc.parameters())
opt = torch.optim.Adam(params, 1e-3)
x = torch.rand(B, 3, T, S, S); y = torch.arange(B) % 400
def step():
    opt.zero_grad()
    h = body(x).mean(dim=(3, 4)).max(dim=2).values
    loss = F.cross_entropy(fc(h), y); loss.backward(); opt.step()
a = torch.rand(2048, 2048); b = torch.rand(2048, 2048); a @ b
t0 = time.time(); [a @ b for _ in range(5)]; peak = 2 * 2048 ** 3 / ((time.time() - t0) / 5) / 1e9
step()
times = []
for _ in range(cfg["steps"]):
    t0 = time.time(); step(); times.append(time.time() - t0)
secs = sum(times) / len(times); med = sorted(times)[len(times) // 2] if len(times) % 2 else sum(sorted(times)[len(times) // 2 - 1:][:2]) / 2
flops = 3 * json.load(open(f"{out}/onednn.json"))["training_step"]["forward_conv_gflop"]
res = {"bench": "besnet-pytorch", "torch": torch.__version__, "threads": threads, "matmul_2048_gflops": peak,
       "training_step": {"parameters": sum(p.numel() for p in params), "step_seconds": times, "seconds_per_step": secs,
                         "median_step_seconds": med, "clips_per_second": B / secs,
                         "gflops": flops / secs, "ratio_to_matmul": flops / secs / peak}}
json.dump(res, open(f"{out}/pytorch.json", "w"), indent=2)
PY
fi

python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
# every run's step against the matrix-product peak of the default run (PyTorch's own product runs on Debian's slow BLAS)
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
