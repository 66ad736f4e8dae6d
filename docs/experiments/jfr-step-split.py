#!/usr/bin/env python3
"""Where a BesNet training step's wall time goes, from a JFR recording of `trainyard bench besnet`.

JFR samples the training thread every 20 ms while it waits in a native op; each sample inside
`ComputationGraph.fit` (the warm-up step and the timed steps) is charged to the first Trainyard
or DL4J frame above the op, grouped into the parts below. Multi-threaded ops count once (wall
time on the calling thread), which is what a step's time is made of. Java code between ops is not
sampled here (it is small next to the ops).

    TRAINYARD_CDS=off TRAINYARD_JAVA_OPTS="-XX:StartFlightRecording=filename=$PWD/bench-results/besnet-step.jfr,settings=profile" \\
        ./trainyard bench besnet --depth 50 --batch 2 --frames 8 --size 112 --steps 5 --output bench-results/besnet-jfr.json
    docs/experiments/jfr-step-split.py bench-results/besnet-step.jfr

TRAINYARD_CDS=off: the launcher's first run of a command after a build saves a class-data archive
instead, and that run writes no recording. Or record the bare step loop (as 2026-12-06 did):

    java -XX:StartFlightRecording=dumponexit=true,filename=step.jfr,settings=profile \\
        -cp "spark-jobs/target/trainyard.jar:bench/target/trainyard-bench.jar:$(cat spark-jobs/target/spark-classpath.txt)" dev.trainyard.bench.experiments.StepLoop 10
"""
import collections
import re
import subprocess
import sys

PARTS = [  # (part, substring of the first Trainyard/DL4J frame)
    ("temporal 3x1x1 products", "TemporalConvolutionLayer.matmul"),
    ("temporal layout (permutes)", "PixelRows."),
    ("spatial 1x3x3 convolution", "NativeConv2d."),
    ("spatial 1x3x3 convolution", "SmallFrameConvBackward."),
    ("batch norm", "FrameBatchNorm."),
    ("ReLU", "FrameRelu."),
    ("optimizer (Adam)", "UpdaterBlock."),
    ("residual adds", "ElementWiseVertex."),
    ("first step's set-up (workspaces, updater state)", "init"),
]

def part(frames):
    ours = [f for f in frames if f.startswith("dev.trainyard") or f.startswith("org.deeplearning4j")]
    for name, key in PARTS:
        if ours and key in ours[0]:
            return name
    if any("Init" in f or ".init" in f or "initializeWorkspace" in f for f in frames):
        return PARTS[-1][0]
    return "other"

text = subprocess.run(["jfr", "print", "--stack-depth", "60", "--events", "jdk.NativeMethodSample", sys.argv[1]],
                      check=True, capture_output=True, text=True).stdout
counts = collections.Counter()
for event in text.split("jdk.NativeMethodSample")[1:]:
    if 'sampledThread = "main"' not in event:
        continue
    frames = re.findall(r"^\s+([\w.$<>]+)\(", event, re.M)
    if any(f.endswith("ComputationGraph.fit") for f in frames):
        counts[part(frames)] += 1
total = sum(v for k, v in counts.items() if k != PARTS[-1][0])
print(f"| part | samples | share of the training steps |")
print(f"|---|---:|---:|")
for name, n in counts.most_common():
    share = "-" if name == PARTS[-1][0] else f"{100 * n / total:.0f}%"
    print(f"| {name} | {n} | {share} |")
