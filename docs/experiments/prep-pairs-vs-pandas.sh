#!/usr/bin/env bash
# Question-pair prep throughput: Trainyard's `prep pairs` (Spark, local[*]) against the research
# notes' single-machine pipeline (pandas + scikit-learn TfidfVectorizer, TF-IDF-weighted mean word
# vectors), same generated input, same GloVe vectors, same machine, in one run, for each input size
# in ROWS. Trainyard's number is its first run in a fresh JVM (what a user running the command
# gets); RUNS=2 or more also reports later runs in the same JVM (warm: no class loading or JIT
# compilation). WRITERS picks Trainyard's Parquet writers to run (--parquet-writer; default both:
# columnar, the default, and spark, Spark's own writer). Installs Debian's python3-pandas /
# python3-sklearn if missing (this script only; CI never runs it). REPEATS=N runs everything N
# times, one size after another (Trainyard's writers, then pandas, in each repeat), and reports
# medians with each repeat's own ratio: the shared VM's speed drifts by a third between minutes.
# Besides the in-process times (Trainyard's job, pandas' pipeline), each repeat times the whole
# commands as a user runs them: `trainyard prep pairs` in a fresh JVM (start-up included) and the
# pandas process (interpreter start and imports included). Both Trainyard commands run once on a
# small input first, untimed, so the timed runs use the launcher's class-data archives as every run
# after a command's first does (TRAINYARD_CDS=off measures without them).
# Usage: [ROWS="400000 2000000"] [RUNS=2] [WRITERS="columnar spark"] [REPEATS=1] docs/experiments/prep-pairs-vs-pandas.sh [OUT_DIR]
#   -> OUT_DIR/summary.json
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/bench-results/prep-pairs-vs-pandas}"
sizes="${ROWS:-400000}"; runs="${RUNS:-1}"; writers="${WRITERS:-columnar spark}"; repeats="${REPEATS:-1}"
glove="$root/../shared/data/glove/glove.6B.100d.top10k-wink.txt.gz"
[ -f "$glove" ] || { echo "needs $glove" >&2; exit 2; }
py=/usr/bin/python3
if ! "$py" -c "import pandas, sklearn" 2>/dev/null; then
  apt-get install -y -q python3-pandas python3-sklearn >/dev/null
fi
mkdir -p "$out"
ty="$root/trainyard"
if [ "${TRAINYARD_CDS:-on}" != off ]; then
  warm="$out/cds-warm-up"
  "$ty" bench prep-pairs --rows 20000 --vectors "$glove" --work-dir "$warm" --output "$warm/bench.json" >/dev/null 2>&1
  "$ty" prep pairs --input "$warm/synthetic-pairs.tsv" --format quora --vectors "$glove" --output "$warm/prep" --overwrite >/dev/null 2>&1
fi
for rep in $(seq 1 "$repeats"); do
for rows in $sizes; do
  raw="$out/trainyard-$rows/synthetic-pairs.tsv"
  for w in $writers; do
    "$ty" bench prep-pairs --rows "$rows" --runs "$runs" --vectors "$glove" --parquet-writer "$w" \
        --work-dir "$out/trainyard-$rows" --output "$out/trainyard-$rows-$w-r$rep.json" >/dev/null
    # the whole user command, JVM and Spark start-up included
    t0=$(date +%s%N)
    "$ty" prep pairs --input "$raw" --format quora --vectors "$glove" --parquet-writer "$w" \
        --output "$out/trainyard-$rows/command-output" --overwrite >/dev/null 2>&1
    echo "{\"seconds\": $(( ($(date +%s%N) - t0) / 1000000 ))e-3}" > "$out/trainyard-$rows-$w-command-r$rep.json"
  done
  t0=$(date +%s%N)
  "$py" "$root/spark-jobs/src/main/resources/dev/trainyard/bench/pandas_prep.py" "$raw" "$glove" "$out/pandas-$rows-r$rep.json"
  echo "{\"seconds\": $(( ($(date +%s%N) - t0) / 1000000 ))e-3}" > "$out/pandas-$rows-command-r$rep.json"
  rm -rf "$out/trainyard-$rows/dataset" "$out/trainyard-$rows/command-output"
done
done
WRITERS="$writers" REPEATS="$repeats" "$py" - "$out" $sizes <<'PY' | tee "$out/summary.json"
import json, os, statistics, sys
out, sizes = sys.argv[1], sys.argv[2:]
reps = range(1, int(os.environ["REPEATS"]) + 1)
rows = []
for n in sizes:
    ps = [json.load(open(f"{out}/pandas-{n}-r{r}.json")) for r in reps]
    for w in os.environ["WRITERS"].split():
        ts = [json.load(open(f"{out}/trainyard-{n}-{w}-r{r}.json")) for r in reps]
        warm = [x["pairs_per_second"] for t in ts for x in t.get("later_runs", [])[:1]]
        t_secs = [t["seconds"]["total"] for t in ts]; p_secs = [p["seconds"] for p in ps]
        t_cmd = [json.load(open(f"{out}/trainyard-{n}-{w}-command-r{r}.json"))["seconds"] for r in reps]
        p_cmd = [json.load(open(f"{out}/pandas-{n}-command-r{r}.json"))["seconds"] for r in reps]
        rows.append({"rows": ps[0]["rows"], "parquet_writer": w, "repeats": len(ts),
                     "trainyard_seconds": t_secs, "pandas_seconds": p_secs,
                     "ratio_per_repeat": [p / t for p, t in zip(p_secs, t_secs)],
                     "ratio_of_medians": statistics.median(p_secs) / statistics.median(t_secs),
                     "whole_command_seconds": {"trainyard": t_cmd, "pandas": p_cmd},
                     "whole_command_ratio_per_repeat": [p / t for p, t in zip(p_cmd, t_cmd)],
                     "trainyard_pairs_per_second": statistics.median(t["pairs_per_second"] for t in ts),
                     "pandas_pairs_per_second": statistics.median(p["pairs_per_second"] for p in ps),
                     "trainyard_warm_pairs_per_second": warm,
                     "warm_ratio_per_repeat": [x / p["pairs_per_second"] for x, p in zip(warm, ps)],
                     "stages_seconds_first_repeat": ts[0]["seconds"], "cores": ts[0]["cores"],
                     "jvm_options": ts[0].get("jvm_options", "")})
print(json.dumps({"pandas": ps[0]["pandas"], "sklearn": ps[0]["sklearn"], "sizes": rows}, indent=1))
PY
