#!/usr/bin/env bash
# trainyard evaluate on a cluster: CLUSTER=standalone|yarn|k8s deploy/submit/jobs/evaluate.sh [trainyard evaluate options]
# Scores a model on a prepared split; JSON + HTML report next to --output.
# The variables below are this job's defaults; the environment overrides them. Cluster settings: ../clusters/.
export EXECUTOR_MEMORY="${EXECUTOR_MEMORY:-4g}"
export ND4J_OFFHEAP="${ND4J_OFFHEAP:-4G}"
export EXECUTOR_OVERHEAD="${EXECUTOR_OVERHEAD:-5g}"
export GPUS_PER_EXECUTOR="${GPUS_PER_EXECUTOR:-0}"
exec "$(dirname "$0")/../trainyard-submit.sh" evaluate "$@"
