#!/usr/bin/env bash
# trainyard prep video on a cluster: CLUSTER=standalone|yarn|k8s deploy/submit/jobs/prep-video.sh [trainyard prep video options]
# Videos or frame folders -> sampled, resized clips. CPU (FFmpeg); memory scales with frame size.
# The variables below are this job's defaults; the environment overrides them. Cluster settings: ../clusters/.
export EXECUTOR_MEMORY="${EXECUTOR_MEMORY:-6g}"
export ND4J_OFFHEAP="${ND4J_OFFHEAP:-2G}"
export EXECUTOR_OVERHEAD="${EXECUTOR_OVERHEAD:-4g}"
export GPUS_PER_EXECUTOR="${GPUS_PER_EXECUTOR:-0}"
exec "$(dirname "$0")/../trainyard-submit.sh" prep video "$@"
