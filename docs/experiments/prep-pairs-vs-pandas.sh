#!/usr/bin/env bash
# Question-pair prep throughput: Trainyard's `prep pairs` (Spark, local[*]) against the research
# notes' single-machine pipeline (pandas + scikit-learn TfidfVectorizer, TF-IDF-weighted mean word
# vectors), same generated input, same GloVe vectors, same machine, in one run, for each input size
# in ROWS. Trainyard's number is its first run in a fresh JVM (what a user running the command
# gets); RUNS=2 or more also reports later runs in the same JVM (warm: no class loading or JIT
# compilation). WRITERS picks Trainyard's Parquet writers to run (--parquet-writer; default both:
# columnar, the default, and spark, Spark's own writer). Installs Debian's python3-pandas /
# python3-sklearn if missing (this script only; CI never runs it).
# Usage: [ROWS="400000 2000000"] [RUNS=2] [WRITERS="columnar spark"] docs/experiments/prep-pairs-vs-pandas.sh [OUT_DIR]
#   -> OUT_DIR/summary.json
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/bench-results/prep-pairs-vs-pandas}"
sizes="${ROWS:-400000}"; runs="${RUNS:-1}"; writers="${WRITERS:-columnar spark}"
glove="$root/../shared/data/glove/glove.6B.100d.top10k-wink.txt.gz"
[ -f "$glove" ] || { echo "needs $glove" >&2; exit 2; }
py=/usr/bin/python3
if ! "$py" -c "import pandas, sklearn" 2>/dev/null; then
  apt-get install -y -q python3-pandas python3-sklearn >/dev/null
fi
mkdir -p "$out"
ty="$root/trainyard"
for rows in $sizes; do
  for w in $writers; do
    "$ty" bench prep-pairs --rows "$rows" --runs "$runs" --vectors "$glove" --parquet-writer "$w" \
        --work-dir "$out/trainyard-$rows" --output "$out/trainyard-$rows-$w.json" >/dev/null
  done
  raw="$out/trainyard-$rows/synthetic-pairs.tsv"
  "$py" - "$raw" "$glove" "$out/pandas-$rows.json" <<'PY'
import gzip, json, re, sys, time
import numpy as np, pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
raw, glove, out = sys.argv[1:]
t0 = time.time()
df = pd.read_csv(raw, sep="\t", quoting=3, dtype=str, keep_default_na=False)
token = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")
clean = lambda s: " ".join(s.lower().split())
q1 = df["question1"].map(clean); q2 = df["question2"].map(clean)
tfidf = TfidfVectorizer(token_pattern=token.pattern, lowercase=False, smooth_idf=True)
tfidf.fit(pd.concat([q1, q2]))
idf = dict(zip(tfidf.get_feature_names_out(), tfidf.idf_))
vec = {}
with gzip.open(glove, "rt", encoding="utf8") as f:
    for line in f:
        w, *v = line.rstrip().split(" ")
        if w in idf:
            vec[w] = np.asarray(v, dtype=np.float32)
dim = len(next(iter(vec.values())))
def mean_vector(q):
    acc = np.zeros(dim, np.float32); wsum = 0.0
    for w in token.findall(q):
        if w in vec:
            acc += idf[w] * vec[w]; wsum += idf[w]
    return acc / wsum if wsum > 0 else acc
v1 = np.stack([mean_vector(q) for q in q1]); v2 = np.stack([mean_vector(q) for q in q2])
np.save(out + ".q1.npy", v1); np.save(out + ".q2.npy", v2)
secs = time.time() - t0
json.dump({"pipeline": "pandas + scikit-learn TfidfVectorizer + TF-IDF-weighted mean GloVe vectors (one process)",
           "rows": len(df), "seconds": secs, "pairs_per_second": len(df) / secs,
           "pandas": pd.__version__, "sklearn": __import__("sklearn").__version__}, open(out, "w"), indent=1)
PY
  rm -rf "$out/trainyard-$rows/dataset" "$out/pandas-$rows.json".q*.npy
done
WRITERS="$writers" "$py" - "$out" $sizes <<'PY' | tee "$out/summary.json"
import json, os, sys
out, sizes = sys.argv[1], sys.argv[2:]
rows = []
for n in sizes:
    p = json.load(open(f"{out}/pandas-{n}.json"))
    for w in os.environ["WRITERS"].split():
        t = json.load(open(f"{out}/trainyard-{n}-{w}.json"))
        warm = [r["pairs_per_second"] for r in t.get("later_runs", [])]
        rows.append({"rows": p["rows"], "parquet_writer": w, "trainyard_pairs_per_second": t["pairs_per_second"],
                     "trainyard_seconds": t["seconds"], "trainyard_warm_pairs_per_second": warm,
                     "pandas_pairs_per_second": p["pairs_per_second"], "pandas_seconds": p["seconds"],
                     "ratio": t["pairs_per_second"] / p["pairs_per_second"],
                     "warm_ratio": [x / p["pairs_per_second"] for x in warm], "cores": t["cores"], "jvm_options": t.get("jvm_options", "")})
print(json.dumps({"pandas": p["pandas"], "sklearn": p["sklearn"], "sizes": rows}, indent=1))
PY
