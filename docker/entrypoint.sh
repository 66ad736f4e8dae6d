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
opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"

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
