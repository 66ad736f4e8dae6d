#!/usr/bin/env bash
# The BesNet-50 training step on one thread and on two (OMP_NUM_THREADS, which both libnd4j and
# oneDNN follow), two rounds interleaved, with each process's own 2048^3 product as the baseline:
# how much of the step the second core speeds up, against how much it speeds up the product.
#   docs/experiments/step-threads.sh [out-dir] [steps]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-bench-results/step-threads}
steps=${2:-12}
mkdir -p "$out"
cp="spark-jobs/target/trainyard.jar:$(cat spark-jobs/target/spark-classpath.txt)"
for round in 1 2; do
  for threads in 1 2; do
    echo "round $round, $threads thread(s)" >&2
    OMP_NUM_THREADS=$threads java -cp "$cp" docs/experiments/StepLoop.java "$steps" 2>/dev/null \
      | grep -E "^(gemm_gflops|step_seconds)" > "$out/threads$threads-round$round.txt"
  done
done
python3 - "$out" <<'PY'
import statistics, sys, pathlib
out = pathlib.Path(sys.argv[1])
def read(p):
    lines = [l.split() for l in p.read_text().splitlines()]
    return (float(next(l[1] for l in lines if l[0] == 'gemm_gflops')),
            [float(l[1]) for l in lines if l[0] == 'step_seconds'])
print('| round | product 1 thread | product 2 threads | product speed-up | step 1 thread (median) | step 2 threads (median) | step speed-up | serial share (Amdahl) |')
print('|---|---:|---:|---:|---:|---:|---:|---:|')
for r in (1, 2):
    g1, s1 = read(out / f'threads1-round{r}.txt')
    g2, s2 = read(out / f'threads2-round{r}.txt')
    m1, m2 = statistics.median(s1), statistics.median(s2)
    speedup = m1 / m2
    print(f'| {r} | {g1:.0f} GFLOP/s | {g2:.0f} GFLOP/s | {g2 / g1:.2f} | {m1:.2f} s | {m2:.2f} s | {speedup:.2f} | {2 / speedup - 1:.2f} |')
PY
