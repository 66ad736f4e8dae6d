#!/usr/bin/env python3
"""Where `prep pairs` spends its CPU, from a JFR recording of `trainyard bench prep-pairs`.

JFR samples every running Java thread every 20 ms. Samples in the last SECONDS of the recording
(the last run of a `--runs 3` bench: warm, no class loading or JIT warm-up) are charged to the
first part below that any frame of the sample matches, in this order. Deep stacks are cut at 64
frames, so the byte writes under Parquet's float writer are matched by their own classes too.

    TRAINYARD_JAVA_OPTS="-XX:StartFlightRecording=filename=bench-results/prep-pairs.jfr,settings=profile" \\
        ./trainyard bench prep-pairs --rows 400000 --runs 3 [--parquet-writer spark] \\
        --vectors ../shared/data/glove/glove.6B.100d.top10k-wink.txt.gz --output bench-results/prep-pairs-jfr.json
    docs/experiments/jfr-prep-split.py bench-results/prep-pairs.jfr SECONDS   # SECONDS: the last run's total
"""
import collections
import datetime
import json
import subprocess
import sys

PARTS = [  # (part, substrings of a frame's class.method)
    ("compression of Parquet pages (Snappy)", ["xerial.snappy", "SnappyCompressor", "SnappyNative"]),
    ("the column-wise Parquet writer (bulk copies, level runs, statistics)",
     ["ColumnChunkBuffer", "GrowableBytes", "LevelRuns", "ColumnarParquetWriter"]),
    ("Parquet's per-value writer (values, repetition and definition levels)",
     ["ColumnWriterBase", "LittleEndianDataOutputStream", "CapacityByteArrayOutputStream", "RunLengthBitPackingHybrid"]),
    ("normalising and tokenising questions", ["TextNormalizer"]),
    ("document-frequency counts (fit)", ["TextFitter"]),
    ("TF-IDF weighted means", ["FittedText.weightedMean"]),
    ("token ids", ["FittedText.tokenIds"]),
    ("split assignment (seeded hash of the pair id)", ["SplitAssigner"]),
    ("Spark's size estimates of cached records", ["SizeEstimator"]),
    ("reading and parsing the TSV", ["LineReader", "PairRecordParser"]),
    ("Spark's row conversion", ["ExpressionEncoder", "UnsafeProjection", "CatalystTypeConverters"]),
    ("the rest of Spark's Parquet write", ["org.apache.parquet", "ParquetWriteSupport", "ParquetOutputWriter"]),
]


def when(value):
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


recording, seconds = sys.argv[1], float(sys.argv[2])
events = json.loads(subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", recording],
                                   check=True, capture_output=True, text=True).stdout)["recording"]["events"]
end = max(when(e["values"]["startTime"]) for e in events)
counts = collections.Counter()
for e in events:
    stack = e["values"]["stackTrace"]
    if not stack or when(e["values"]["startTime"]) < end - seconds:
        continue
    frames = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"] for f in stack["frames"]]
    counts[next((name for name, keys in PARTS if any(k in f for f in frames for k in keys)), "other")] += 1
total = sum(counts.values())
print("| part | samples | share of the CPU |")
print("|---|---:|---:|")
for name, n in counts.most_common():
    print(f"| {name} | {n} | {100 * n / total:.0f}% |")
