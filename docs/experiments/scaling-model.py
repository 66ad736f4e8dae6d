#!/usr/bin/env python3
"""The parameter-averaging cost model of docs/scaling.md, from the parts `trainyard bench averaging` measured.

Usage: docs/experiments/scaling-model.py bench-results/averaging.json [bench-results/besnet-bench/openblas.json]
Env: CHECK (a second bench JSON, e.g. the standalone-cluster run: its rounds are predicted from THIS file's parts),
     NETWORK_GBPS (10), GPU_STEP_S (0.25: BesNet-50, 8 clips of 8x112x112 per GPU; an assumption, see the doc),
     BESNET_BATCH (8).
Prints markdown: the check against the local runs, then throughput and efficiency at 8/32/128 executors for
averaging frequencies 1-50 and aggregation depths 2 and 3, and the frequency each setting needs for 90%.
"""
import json
import math
import os
import sys

bench = json.load(open(sys.argv[1]))
besnet_bench = json.load(open(sys.argv[2])) if len(sys.argv) > 2 and os.path.exists(sys.argv[2]) else None
gbps = float(os.environ.get("NETWORK_GBPS", "10"))
bytes_per_s = gbps * 1e9 / 8
parts = bench["parts"]
w_local = bench["config"]["workers"]
job_a, job_b = parts["spark_job"]["intercept_s"], parts["spark_job"]["slope_s"]
bcast_per_float = parts["broadcast"]["slope_s"]            # serialise + deserialise, per float broadcast
agg_per_float = parts["tree_aggregate"]["slope_s"] / w_local  # per float received by a reducer (serialise, fetch, add)


def round_seconds(floats, workers, freq, step_s, depth, network=True):
    """One averaging round: compute, DL4J's two Spark jobs (count + fit), broadcast, tree aggregation."""
    wire = 4 * floats / bytes_per_s if network else 0.0
    fan_in = math.ceil(workers ** (1.0 / depth)) if workers > 1 else 1
    levels = depth if workers > fan_in else 1
    compute = freq * step_s
    jobs = 2 * (job_a + job_b * workers)
    broadcast = bcast_per_float * floats + wire * math.ceil(math.log2(max(workers, 2)))
    aggregate = levels * fan_in * floats * (agg_per_float + (4 / bytes_per_s if network else 0.0))
    return compute, jobs, broadcast, aggregate


def efficiency(floats, workers, freq, step_s, depth):
    parts_ = round_seconds(floats, workers, freq, step_s, depth)
    return parts_[0] / sum(parts_), sum(parts_)


def freq_for(target, floats, workers, step_s, depth):
    overhead = sum(round_seconds(floats, workers, 0, step_s, depth))
    return target / (1 - target) * overhead / step_s


siamese = bench["models"]["siamese"]["averaged_floats"]
besnet = bench["models"]["besnet50_kinetics400"]["averaged_floats"]
siamese_step = parts["compute_per_minibatch"]["seconds_per_minibatch"]
batch = parts["compute_per_minibatch"]["minibatch"]
gpu_step = float(os.environ.get("GPU_STEP_S", "0.25"))
besnet_batch = int(os.environ.get("BESNET_BATCH", "8"))

print("### Check: the local runs (%d workers, no network)\n" % w_local)
print("| averaging frequency | measured s/round | predicted s/round (compute + jobs + broadcast + aggregate) | predicted / measured | pairs/s | vs single JVM, same threads |")
print("|---:|---:|---|---:|---:|---:|")
for r in bench["rounds"]:
    p = r["predicted_seconds_per_round"]
    print("| %d | %.3f | %.3f = %.3f + %.3f + %.3f + %.3f | %.2f | %.0f | %.2f |" % (
        r["averaging_frequency"], r["measured_seconds_per_round"], p["total"], p["compute"], p["spark_jobs"],
        p["broadcast"], p["aggregate"], r["predicted_over_measured"], r["pairs_per_second"], r["ratio_to_single_jvm_same_threads"]))

check = os.environ.get("CHECK")
if check and os.path.exists(check):
    other = json.load(open(check))
    cstep = parts["compute_per_minibatch"]["seconds_per_minibatch"]
    print("\n### Check: %s, predicted from the local parts above (loopback, no network term)\n" % other["spark_master"])
    print("| averaging frequency | measured s/round | predicted s/round | predicted / measured | pairs/s | vs single JVM, same threads |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in other["rounds"]:
        pred = sum(round_seconds(siamese_floats := other["models"]["siamese"]["averaged_floats"], r["workers"],
                                 r["averaging_frequency"], cstep, 2, network=False))
        print("| %d | %.3f | %.3f | %.2f | %.0f | %.2f |" % (r["averaging_frequency"], r["measured_seconds_per_round"], pred,
              pred / r["measured_seconds_per_round"], r["pairs_per_second"], r["ratio_to_single_jvm_same_threads"]))

print("\n### Measured time split of a real round (DL4J's phase times, per round)\n")
print("| averaging frequency | round (driver) | worker compute (per worker) | count job | broadcast create | aggregate beyond compute | other |")
print("|---:|---:|---:|---:|---:|---:|---:|")
for r in bench["rounds"]:
    ph = r["dl4j_phase_ms"]
    n = ph["ParameterAveragingMasterFitTimesMs"]["events"] or 1
    fit = ph["ParameterAveragingMasterFitTimesMs"]["ms"] / n
    work = ph["ParameterAveragingWorkerFitTimesMs"]["ms"] / n / r["workers"]
    count = ph["ParameterAveragingMasterCountRddSizeTimesMs"]["ms"] / n
    bc = ph["ParameterAveragingMasterBroadcastCreateTimesMs"]["ms"] / n
    agg = ph["ParameterAveragingMasterAggregateTimesMs"]["ms"] / n - work
    other = fit - count - bc - agg - work
    print("| %d | %.0f ms | %.0f ms (%.0f%%) | %.0f ms | %.0f ms | %.0f ms | %.0f ms |" % (
        r["averaging_frequency"], fit, work, 100 * work / fit, count, bc, agg, other))

models = [
    ("Siamese (%d floats averaged: parameters + Adam state), %d pairs/minibatch, %.1f ms/minibatch measured on one CPU core" % (
        siamese, batch, 1000 * siamese_step), siamese, siamese_step, batch, "pairs/s"),
    ("BesNet-50, 400 classes (%d floats averaged = %.0f MB), %d clips/minibatch, %.2f s/minibatch on a GPU (assumed)" % (
        besnet, besnet * 4 / 1e6, besnet_batch, gpu_step), besnet, gpu_step, besnet_batch, "clips/s"),
]
print("\n### Projection: %g Gbit/s network, Spark costs and serialisation rates as measured here\n" % gbps)
for name, floats, step, per_batch, unit in models:
    print("**%s**\n" % name)
    print("| executors | depth | F=1 | F=2 | F=5 | F=10 | F=20 | F=50 | F for 90% |")
    print("|---:|---:|---|---|---|---|---|---|---:|")
    for w in (8, 32, 128):
        for depth in (2, 3):
            cells = []
            for f in (1, 2, 5, 10, 20, 50):
                e, t = efficiency(floats, w, f, step, depth)
                cells.append("%.0f%% (%s %s)" % (100 * e, "{:,.0f}".format(w * f * per_batch / t), unit))
            print("| %d | %d | %s | %.0f |" % (w, depth, " | ".join(cells), freq_for(0.9, floats, w, step, depth)))
    print()
if besnet_bench:
    cpu = besnet_bench.get("step", {}).get("seconds") or besnet_bench.get("step_seconds")
    if cpu:
        print("BesNet-50 on this machine's CPU: %.1f s per training step of %d clips (bench-results/besnet-bench)." % (
            cpu, besnet_bench["config"]["batch"]))
