#!/usr/bin/env bash
# trainyard train siamese on a cluster: CLUSTER=standalone|yarn|k8s deploy/submit/jobs/train-siamese.sh [trainyard train siamese options]
# Siamese duplicate-question net by parameter averaging. A small MLP: CPU executors are the default.
# The variables below are this job's defaults; the environment overrides them. Cluster settings: ../clusters/.
export EXECUTOR_MEMORY="${EXECUTOR_MEMORY:-4g}"
export ND4J_OFFHEAP="${ND4J_OFFHEAP:-4G}"
export EXECUTOR_OVERHEAD="${EXECUTOR_OVERHEAD:-5g}"
export GPUS_PER_EXECUTOR="${GPUS_PER_EXECUTOR:-0}"
# Averaging defaults from docs/scaling.md's cost model, unless given: 20 minibatches per round on a cluster (at
# the local default of 5, Spark's per-round jobs take over half of every round from 8 executors on), and
# tree-aggregation depth 3 from 64 executors on (depth 2 below).
args=("$@")
[[ " $* " == *" --averaging-frequency"* ]] || args=(--averaging-frequency "${AVERAGING_FREQUENCY:-20}" "${args[@]}")
[[ " $* " == *" --aggregation-depth"* ]] ||
  args=(--aggregation-depth "${AGGREGATION_DEPTH:-$([ "${NUM_EXECUTORS:-2}" -ge 64 ] && echo 3 || echo 2)}" "${args[@]}")
exec "$(dirname "$0")/../trainyard-submit.sh" train siamese "${args[@]}"
