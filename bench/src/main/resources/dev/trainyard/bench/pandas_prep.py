# The single-machine baseline of question prep (the research notes' pipeline): pandas reads the
# pairs, scikit-learn's TfidfVectorizer fits IDF, and each question becomes the TF-IDF-weighted mean
# of its word vectors, and the vectors are written to disk. Usage: python3 pandas_prep.py PAIRS.tsv VECTORS.txt.gz OUT.json
import gzip, json, os, re, sys, time
import numpy as np, pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
raw, vectors, out = sys.argv[1:]
t0 = time.time()
df = pd.read_csv(raw, sep="\t", quoting=3, dtype=str, keep_default_na=False)
token = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")
clean = lambda s: " ".join(s.lower().split())
q1 = df["question1"].map(clean); q2 = df["question2"].map(clean)
tfidf = TfidfVectorizer(token_pattern=token.pattern, lowercase=False, smooth_idf=True)
tfidf.fit(pd.concat([q1, q2]))
idf = dict(zip(tfidf.get_feature_names_out(), tfidf.idf_))
vec = {}
with gzip.open(vectors, "rt", encoding="utf8") as f:
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
np.save(out + ".q1.npy", v1); np.save(out + ".q2.npy", v2)  # the output, as Trainyard writes its Parquet
secs = time.time() - t0
for suffix in (".q1.npy", ".q2.npy"):
    os.remove(out + suffix)
json.dump({"pipeline": "pandas + scikit-learn TfidfVectorizer + TF-IDF-weighted mean word vectors (one process)",
           "rows": len(df), "seconds": secs, "pairs_per_second": len(df) / secs,
           "pandas": pd.__version__, "sklearn": __import__("sklearn").__version__}, open(out, "w"), indent=1)
