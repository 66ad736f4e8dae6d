#!/usr/bin/env bash
# trainyard train ensemble on a cluster: CLUSTER=standalone|yarn|k8s deploy/submit/jobs/train-ensemble.sh [trainyard train ensemble options]
# N ConvNets, one member per task. CPU by default; GPUS_PER_EXECUTOR=1 puts each member on a GPU.
# The variables below are this job's defaults; the environment overrides them. Cluster settings: ../clusters/.
export EXECUTOR_MEMORY="${EXECUTOR_MEMORY:-4g}"
export ND4J_OFFHEAP="${ND4J_OFFHEAP:-4G}"
export EXECUTOR_OVERHEAD="${EXECUTOR_OVERHEAD:-5g}"
export GPUS_PER_EXECUTOR="${GPUS_PER_EXECUTOR:-0}"
exec "$(dirname "$0")/../trainyard-submit.sh" train ensemble "$@"
