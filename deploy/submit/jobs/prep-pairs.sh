#!/usr/bin/env bash
# trainyard prep pairs on a cluster: CLUSTER=standalone|yarn|k8s deploy/submit/jobs/prep-pairs.sh [trainyard prep pairs options]
# Question pairs -> cleaned text, TF-IDF mean vectors, token ids. CPU; Word2Vec fits on the executors.
# The variables below are this job's defaults; the environment overrides them. Cluster settings: ../clusters/.
export EXECUTOR_MEMORY="${EXECUTOR_MEMORY:-4g}"
export ND4J_OFFHEAP="${ND4J_OFFHEAP:-2G}"
export EXECUTOR_OVERHEAD="${EXECUTOR_OVERHEAD:-3g}"
export GPUS_PER_EXECUTOR="${GPUS_PER_EXECUTOR:-0}"
exec "$(dirname "$0")/../trainyard-submit.sh" prep pairs "$@"
