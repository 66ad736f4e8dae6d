#!/usr/bin/env bash
# trainyard train besnet on a cluster: CLUSTER=standalone|yarn|k8s deploy/submit/jobs/train-besnet.sh [trainyard train besnet options]
# BesNet by parameter averaging, one GPU per executor and task (jar built with -Pcuda; K8S_IMAGE the CUDA image).
# GPUS_PER_EXECUTOR=0 trains on CPUs.
# The variables below are this job's defaults; the environment overrides them. Cluster settings: ../clusters/.
export EXECUTOR_MEMORY="${EXECUTOR_MEMORY:-8g}"
export ND4J_OFFHEAP="${ND4J_OFFHEAP:-24G}"
export EXECUTOR_OVERHEAD="${EXECUTOR_OVERHEAD:-26g}"
export GPUS_PER_EXECUTOR="${GPUS_PER_EXECUTOR:-1}"
export K8S_IMAGE="${K8S_IMAGE:-trainyard:0.1.0-cuda11.6}"
exec "$(dirname "$0")/../trainyard-submit.sh" train besnet "$@"
