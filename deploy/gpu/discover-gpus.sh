#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript, and
# spark.worker.resource.gpu.discoveryScript on standalone workers): prints the GPUs of this host as
#   {"name": "gpu", "addresses": ["0", "1"]}
# Addresses are nvidia-smi indices (device ordinals), which is what Trainyard's GpuPlugin pins ND4J to.
# Honours CUDA_VISIBLE_DEVICES when it lists ordinals (YARN and Kubernetes isolation set it).
set -euo pipefail
if [ -n "${CUDA_VISIBLE_DEVICES:-}" ] && [[ "$CUDA_VISIBLE_DEVICES" =~ ^[0-9]+(,[0-9]+)*$ ]]; then
  ids="$CUDA_VISIBLE_DEVICES"
else
  command -v nvidia-smi >/dev/null || { echo "discover-gpus.sh: nvidia-smi not found on $(hostname)" >&2; exit 1; }
  ids=$(nvidia-smi --query-gpu=index --format=csv,noheader | tr -d ' ' | paste -sd, -)
fi
printf '{"name": "gpu", "addresses": [%s]}\n' "$(echo "$ids" | sed -E 's/([0-9]+)/"\1"/g; s/,/, /g')"
