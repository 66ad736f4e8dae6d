#!/usr/bin/env python3
"""The parameter-averaging cost model of docs/scaling.md, from the parts `trainyard bench averaging` measured.

Usage: docs/experiments/scaling-model.py bench-results/averaging.json [bench-results/besnet-bench/openblas.json]
Env: CHECK (a second bench JSON, e.g. the standalone-cluster run: its rounds are predicted from THIS file's parts),
     PROJECT_WITH_CHECK (1: project with the per-job cost calibrated on CHECK's run instead of the local one),
     NETWORK_GBPS (10), GPU_BENCH (a summary.json of docs/experiments/besnet-gpu-torch.sh: the GPU minibatch is its
     fp32 median step at BESNET_BATCH clips), else GPU_STEP_S (0.25: BesNet-50, 8 clips of 8x112x112 per GPU; an
     assumption), BESNET_BATCH (8).
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
job_b = parts["spark_job"]["slope_s"]  # per task; the per-job and per-minibatch costs are calibrated below
# Spark jobs per round: the fit, and before 2026-11-28 also DL4J's count of the round (older JSON lacks the field)
jobs_per_round = parts["spark_job"].get("jobs_per_round", 2)
bcast_per_float = parts["broadcast"]["slope_s"]            # serialise + deserialise, per float broadcast
# per float of one task result: serialise on the executor, deserialise and add on the reducer. The local tasks
# run in parallel (1 and 2 workers measure the same slope), so this is the cost of one result, not of W.
agg_per_float = parts["tree_aggregate"]["slope_s"]
RESULT_THREADS = 4  # Spark's spark.resultGetter.threads: task results are deserialised 4 at a time


def phase(r, key):
    ph = r["dl4j_phase_ms"]
    return ph[key]["ms"] / 1000 / max(1, ph["ParameterAveragingMasterFitTimesMs"]["events"])


def overheads(run):
    """Per averaging frequency: the round's time beyond its workers' compute (DL4J's worker fit time)."""
    return {r["averaging_frequency"]: r["measured_seconds_per_round"]
            - phase(r, "ParameterAveragingWorkerFitTimesMs") / r["workers"] for r in run["rounds"]}


siamese_floats = bench["models"]["siamese"]["averaged_floats"]
def calibrate(run):
    """Two numbers from a run's smallest and largest F: Spark's fixed cost per job (jobs_per_round a round) and its
    cost per minibatch in a round (the jobs build the round's minibatches), net of the size and task terms.
    The rounds in between are the check."""
    o = overheads(run)
    f0, f1 = min(o), max(o)
    per_batch = (o[f1] - o[f0]) / (f1 - f0)
    w = run["config"]["workers"]
    fixed = (o[f0] - per_batch * f0 - bcast_per_float * siamese_floats - agg_per_float * siamese_floats
             - jobs_per_round * job_b * w) / jobs_per_round
    return fixed, per_batch


parallel_step = {r["averaging_frequency"]: phase(r, "ParameterAveragingWorkerFitTimesMs") / r["workers"] / r["averaging_frequency"]
                 for r in bench["rounds"]}
costs = calibrate(bench)  # (per job, per minibatch) used by the model unless a call passes others


def round_seconds(floats, workers, freq, step_s, depth, network=True, spark_costs=None):
    """One averaging round: compute, its Spark jobs (the fit; before 2026-11-28 also DL4J's count), broadcast,
    tree aggregation."""
    wire = 4 * floats / bytes_per_s if network else 0.0
    fan_in = math.ceil(workers ** (1.0 / depth)) if workers > 1 else 1
    levels = depth if workers > fan_in else 1
    compute = freq * step_s
    per_job, per_batch = spark_costs or costs
    jobs = jobs_per_round * (per_job + job_b * workers) + per_batch * freq
    broadcast = bcast_per_float * floats + wire * math.ceil(math.log2(max(workers, 2)))
    aggregate = levels * floats * (math.ceil(fan_in / RESULT_THREADS) * agg_per_float + fan_in * (4 / bytes_per_s if network else 0.0))
    return compute, jobs, broadcast, aggregate


def efficiency(floats, workers, freq, step_s, depth):
    parts_ = round_seconds(floats, workers, freq, step_s, depth)
    return parts_[0] / sum(parts_), sum(parts_)


def freq_for(target, floats, workers, step_s, depth):
    """F with efficiency >= target; efficiency tends to step/(step + Spark's per-minibatch cost) as F grows."""
    fixed = sum(round_seconds(floats, workers, 0, step_s, depth))
    room = (1 - target) * step_s - target * costs[1]
    return target * fixed / room if room > 0 else float("inf")


siamese = bench["models"]["siamese"]["averaged_floats"]
besnet = bench["models"]["besnet50_kinetics400"]["averaged_floats"]
siamese_step = parallel_step[max(parallel_step)]  # as the workers ran it
batch = parts["compute_per_minibatch"]["minibatch"]
besnet_batch = int(os.environ.get("BESNET_BATCH", "8"))
gpu_step = float(os.environ.get("GPU_STEP_S", "0.25"))
gpu_source = "assumed"
if os.environ.get("GPU_BENCH"):
    gpu_bench = json.load(open(os.environ["GPU_BENCH"]))
    row = next(r for r in gpu_bench["runs"] if r["batch"] == besnet_batch and r["precision"] == "fp32")
    gpu_step = row["median_step_seconds"]
    gpu_source = "measured: PyTorch %s, fp32, %s" % (gpu_bench["torch"], row["device"])

print("### Check: the local runs (%d workers, no network)\n" % w_local)
print("Uncalibrated: every term from the micro-measurements (job cost from counts over a cached RDD, compute from one JVM alone).")
print("Calibrated: Spark's fixed cost per job (%.1f ms) and per minibatch in a round (%.1f ms) from the smallest and largest F;" % (
    1000 * costs[0], 1000 * costs[1]))
print("compute per minibatch as the workers ran it (DL4J's worker fit time). The rounds in between check it.\n")
print("| averaging frequency | measured s/round | uncalibrated: compute + jobs + broadcast + aggregate | / measured | calibrated | / measured | pairs/s | vs single JVM, same threads |")
print("|---:|---:|---|---:|---:|---:|---:|---:|")
for r in bench["rounds"]:
    p = r["predicted_seconds_per_round"]
    cal = sum(round_seconds(siamese_floats, r["workers"], r["averaging_frequency"], parallel_step[r["averaging_frequency"]], 2, network=False))
    print("| %d | %.3f | %.3f = %.3f + %.3f + %.3f + %.3f | %.2f | %.3f | %.2f | %.0f | %.2f |" % (
        r["averaging_frequency"], r["measured_seconds_per_round"], p["total"], p["compute"], p["spark_jobs"],
        p["broadcast"], p["aggregate"], r["predicted_over_measured"], cal, cal / r["measured_seconds_per_round"],
        r["pairs_per_second"], r["ratio_to_single_jvm_same_threads"]))

check = os.environ.get("CHECK")
if check and os.path.exists(check):
    other = json.load(open(check))
    print("\n### Check: %s, %d worker(s)\n" % (other["spark_master"], other["config"]["workers"]))
    ca, cb = calibrate(other)
    print("Predicted from the local parts above (local calibration), and with this run's own calibration (%.1f ms per job," % (1000 * ca))
    print("%.1f ms per minibatch); compute is this run's own worker fit time; no network term.\n" % (1000 * cb))
    print("| averaging frequency | measured s/round | local calibration | / measured | this run's calibration | / measured | pairs/s | vs single JVM, same threads |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in other["rounds"]:
        step = phase(r, "ParameterAveragingWorkerFitTimesMs") / r["workers"] / r["averaging_frequency"]
        pred = sum(round_seconds(siamese_floats, r["workers"], r["averaging_frequency"], step, 2, network=False))
        own = sum(round_seconds(siamese_floats, r["workers"], r["averaging_frequency"], step, 2, network=False, spark_costs=(ca, cb)))
        m = r["measured_seconds_per_round"]
        print("| %d | %.3f | %.3f | %.2f | %.3f | %.2f | %.0f | %.2f |" % (r["averaging_frequency"], m, pred, pred / m, own, own / m,
              r["pairs_per_second"], r["ratio_to_single_jvm_same_threads"]))
    if os.environ.get("PROJECT_WITH_CHECK"):
        costs = (ca, cb)  # project with the cluster's costs

print("\n### Measured time split of a real round (DL4J's phase times, per round)\n")
print("| averaging frequency | round (driver) | worker compute (per worker) | count job | broadcast create | aggregate beyond compute | other |")
print("|---:|---:|---:|---:|---:|---:|---:|")
for r in bench["rounds"]:
    ph = r["dl4j_phase_ms"]
    n = ph["ParameterAveragingMasterFitTimesMs"]["events"] or 1
    fit = ph["ParameterAveragingMasterFitTimesMs"]["ms"] / n
    work = ph["ParameterAveragingWorkerFitTimesMs"]["ms"] / n / r["workers"]
    count = ph.get("ParameterAveragingMasterCountRddSizeTimesMs", {"ms": 0})["ms"] / n  # none since 2026-11-28
    bc = ph["ParameterAveragingMasterBroadcastCreateTimesMs"]["ms"] / n
    agg = ph["ParameterAveragingMasterAggregateTimesMs"]["ms"] / n - work
    other = fit - count - bc - agg - work
    print("| %d | %.0f ms | %.0f ms (%.0f%%) | %.0f ms | %.0f ms | %.0f ms | %.0f ms |" % (
        r["averaging_frequency"], fit, work, 100 * work / fit, count, bc, agg, other))

cpu_step = None
if besnet_bench:
    ts = besnet_bench["training_step"]
    cpu_step = ts["seconds_per_step"] * besnet_batch / ts["batch"]  # same clips per minibatch as the GPU rows
models = [
    ("Siamese (%d floats averaged: parameters + Adam state), %d pairs/minibatch, %.1f ms/minibatch as measured on a CPU-core worker" % (
        siamese, batch, 1000 * siamese_step), siamese, siamese_step, batch, "pairs/s"),
    ("BesNet-50, 400 classes (%d floats averaged = %.0f MB), %d clips/minibatch, %.3f s/minibatch on a GPU (%s)" % (
        besnet, besnet * 4 / 1e6, besnet_batch, gpu_step, gpu_source), besnet, gpu_step, besnet_batch, "clips/s"),
]
if cpu_step:
    models.append(("BesNet-50 on 2-core CPU executors: %.0f s per %d-clip minibatch (measured here: %.1f s per %d-clip step)" % (
        cpu_step, besnet_batch, besnet_bench["training_step"]["seconds_per_step"], besnet_bench["training_step"]["batch"]),
        besnet, cpu_step, besnet_batch, "clips/s"))
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
                rate = w * f * per_batch / t
                cells.append("%.0f%% (%s %s)" % (100 * e, "{:,.0f}".format(rate) if rate >= 100 else "%.1f" % rate, unit))
            need = freq_for(0.9, floats, w, step, depth)
            cap = step / (step + costs[1])
            print("| %d | %d | %s | %s |" % (w, depth, " | ".join(cells),
                                            "%.0f" % need if need != float("inf") else "none (at most %.0f%%)" % (100 * cap)))
    print()
