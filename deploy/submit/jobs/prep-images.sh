#!/usr/bin/env bash
# trainyard prep images on a cluster: CLUSTER=standalone|yarn|k8s deploy/submit/jobs/prep-images.sh [trainyard prep images options]
# IDX (MNIST-format) images -> Parquet. CPU, small.
# The variables below are this job's defaults; the environment overrides them. Cluster settings: ../clusters/.
export EXECUTOR_MEMORY="${EXECUTOR_MEMORY:-2g}"
export ND4J_OFFHEAP="${ND4J_OFFHEAP:-1G}"
export EXECUTOR_OVERHEAD="${EXECUTOR_OVERHEAD:-2g}"
export GPUS_PER_EXECUTOR="${GPUS_PER_EXECUTOR:-0}"
exec "$(dirname "$0")/../trainyard-submit.sh" prep images "$@"
