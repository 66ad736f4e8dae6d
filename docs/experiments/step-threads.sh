#!/usr/bin/env bash
# The BesNet-50 training step on one thread and on two (OMP_NUM_THREADS, which both libnd4j and
# oneDNN follow), two rounds interleaved, with each process's own 2048^3 product as the baseline:
# how much of the step the second core speeds up, against how much it speeds up the product.
# Where Debian's python3-torch is importable, the same step in PyTorch runs beside it on 1 and 2
# threads (besnet_torch.py, fresh minibatches, 3 untimed steps): whether the peer gets more out of
# the second core. It is never installed here: docs/experiments/besnet-bench.sh does that, with
# OpenBLAS (on Debian's reference BLAS, PyTorch's one-thread step took 15.6 s instead of 2.5).
#   docs/experiments/step-threads.sh [out-dir] [steps]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-bench-results/step-threads}
steps=${2:-12}
mkdir -p "$out"
cp="spark-jobs/target/trainyard.jar:bench/target/trainyard-bench.jar:$(cat spark-jobs/target/spark-classpath.txt)"
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
torch=0; "$py" -c 'import torch' 2>/dev/null && torch=1
for round in 1 2; do
  for threads in 1 2; do
    echo "round $round, $threads thread(s)" >&2
    OMP_NUM_THREADS=$threads java -cp "$cp" dev.trainyard.bench.experiments.StepLoop "$steps" 2>/dev/null \
      | grep -E "^(gemm_gflops|step_seconds)" > "$out/threads$threads-round$round.txt"
    if [ "$torch" = 1 ]; then
      OMP_NUM_THREADS=$threads "$py" docs/experiments/besnet_torch.py --device cpu --threads "$threads" \
        --steps "$steps" --warmup 3 --out "$out/torch-threads$threads-round$round.json" >/dev/null
    fi
  done
done
python3 - "$out" <<'PY'
import json, statistics, sys, pathlib
out = pathlib.Path(sys.argv[1])
def read(p):
    lines = [l.split() for l in p.read_text().splitlines()]
    return (float(next(l[1] for l in lines if l[0] == 'gemm_gflops')),
            [float(l[1]) for l in lines if l[0] == 'step_seconds'])
def torch_median(threads, r):
    p = out / f'torch-threads{threads}-round{r}.json'
    return json.loads(p.read_text())['training_step']['median_step_seconds'] if p.exists() else None
def serial_share(speedup):
    return 2 / speedup - 1
head = '| round | product 1 thread | product 2 threads | product speed-up | step 1 thread (median) | step 2 threads (median) | step speed-up | serial share (Amdahl) |'
rule = '|---|---:|---:|---:|---:|---:|---:|---:|'
torch = torch_median(1, 1) is not None
if torch:
    head += ' PyTorch step 1 thread | 2 threads | speed-up | serial share |'
    rule += '---:|---:|---:|---:|'
print(head)
print(rule)
for r in (1, 2):
    g1, s1 = read(out / f'threads1-round{r}.txt')
    g2, s2 = read(out / f'threads2-round{r}.txt')
    m1, m2 = statistics.median(s1), statistics.median(s2)
    speedup = m1 / m2
    row = f'| {r} | {g1:.0f} GFLOP/s | {g2:.0f} GFLOP/s | {g2 / g1:.2f} | {m1:.2f} s | {m2:.2f} s | {speedup:.2f} | {serial_share(speedup):.2f} |'
    if torch:
        t1, t2 = torch_median(1, r), torch_median(2, r)
        row += f' {t1:.2f} s | {t2:.2f} s | {t1 / t2:.2f} | {serial_share(t1 / t2):.2f} |'
    print(row)
PY
