#!/usr/bin/env bash
# Trainyard image entrypoint.
#   driver | executor ...   Spark on Kubernetes starts pods with these: handed to Spark's /opt/entrypoint.sh
#   trainyard ARGS          runs the CLI in this container (local[*] unless --master says otherwise)
#   submit ARGS             deploy/submit/trainyard-submit.sh ARGS with this image's jar
#   gpu-check               nvidia-smi, then one BesNet-50 training step on the GPU (bench besnet)
#   help | (nothing)        this text
#   anything else           run as a command (e.g. bash)
# TRAINYARD_ENTRYPOINT_ECHO=1 prints the command instead of running it (the image tests use it).
set -euo pipefail
jar="${TRAINYARD_JAR:-/opt/trainyard/trainyard.jar}"
spark_home="${SPARK_HOME:-/opt/spark}"
here="$(cd "$(dirname "$0")" && pwd)"
# Spark's Java 17 options, the one list: deploy/ sits beside this script in the image, one level up in the repository
opens_file="$here/deploy/java17-opens.txt"
[ -f "$opens_file" ] || opens_file="$here/../deploy/java17-opens.txt"
opens="$(grep -v '^#' "$opens_file" | tr '\n' ' ')"

run() {
  if [ "${TRAINYARD_ENTRYPOINT_ECHO:-0}" = 1 ]; then
    printf '%s\n' "$@"
    exit 0
  fi
  exec "$@"
}

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
}

mode="${1:-help}"
case "$mode" in
  driver|executor|driver-py|driver-r)
    run /opt/entrypoint.sh "$@" ;;
  trainyard)
    shift
    # shellcheck disable=SC2086
    run java ${TRAINYARD_JAVA_OPTS:-} $opens -cp "$jar:$spark_home/jars/*" dev.trainyard.cli.TrainyardCli "$@" ;;
  submit)
    shift
    run env JAR="$jar" SPARK_SUBMIT="$spark_home/bin/spark-submit" /opt/trainyard/deploy/submit/trainyard-submit.sh "$@" ;;
  gpu-check)
    shift
    nvidia-smi >&2 || { echo "entrypoint: gpu-check needs a GPU in the container (--gpus all / nvidia.com/gpu)" >&2; exit 1; }
    # shellcheck disable=SC2086
    run java $opens -cp "$jar:$spark_home/jars/*" dev.trainyard.cli.TrainyardCli bench besnet --steps 3 --output /tmp/gpu-check.json "$@" ;;
  help|-h|--help)
    usage ;;
  *)
    run "$@" ;;
esac
