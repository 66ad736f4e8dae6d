#!/usr/bin/env bash
# The default BesNet-50 CPU step against the matrix-product peak (as a ratio) and
# against PyTorch, in interleaved rounds, so that one slow moment of this shared VM shows as one
# round and not as the result: each round runs `trainyard bench besnet` (its own gemm peak, 3
# untimed steps, 8 timed, a new minibatch each) and then the same step in Debian's PyTorch on as
# many threads (besnet_torch.py, fresh minibatches). PyTorch is skipped when it is not importable;
# docs/experiments/besnet-bench.sh installs it.
#   docs/experiments/besnet-rounds.sh [out-dir] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-bench-results/besnet-rounds}
rounds=${2:-3}
mkdir -p "$out"
threads=$(nproc)
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
torch=0; "$py" -c 'import torch' 2>/dev/null && torch=1
for round in $(seq "$rounds"); do
  echo "round $round" >&2
  ./trainyard bench besnet --depth 50 --batch 2 --frames 8 --size 112 --warmup-steps 3 --steps 8 \
    --output "$out/trainyard-$round.json" >/dev/null 2>&1
  if [ "$torch" = 1 ]; then
    "$py" docs/experiments/besnet_torch.py --device cpu --threads "$threads" --steps 8 --warmup 3 \
      --out "$out/pytorch-$round.json" >/dev/null
  fi
done
python3 - "$out" "$rounds" <<'PY'
import json, pathlib, sys
out, rounds = pathlib.Path(sys.argv[1]), int(sys.argv[2])
first = json.loads((out / 'trainyard-1.json').read_text())
print(f"cpu: {first.get('machine', {}).get('cpu', '?')}, {first.get('machine', {}).get('cores', '?')} cores")
print('| round | gemm peak GFLOP/s | Trainyard step (median) | GFLOP/s | / peak | PyTorch step (median) | GFLOP/s | / peak | Trainyard / PyTorch time |')
print('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
for r in range(1, rounds + 1):
    t = json.loads((out / f'trainyard-{r}.json').read_text())
    peak, step = t['matmul_peak_gflops'], t['training_step']
    row = f"| {r} | {peak:.0f} | {step['median_step_seconds']:.2f} s | {step['gflops_median_step']:.0f} | {step['ratio_to_matmul_median_step']:.2f} |"
    p = out / f'pytorch-{r}.json'
    if p.exists():
        s = json.loads(p.read_text())['training_step']
        row += f" {s['median_step_seconds']:.2f} s | {s['gflops']:.0f} | {s['gflops'] / peak:.2f} | {step['median_step_seconds'] / s['median_step_seconds']:.2f} |"
    else:
        row += ' - | - | - | - |'
    print(row)
PY
