#!/usr/bin/env bash
# Submit any trainyard command to a Spark cluster:
#   CLUSTER=yarn deploy/submit/trainyard-submit.sh train siamese --data hdfs:///pairs --output /models/siamese --workers 8
# CLUSTER (standalone | yarn | k8s) picks clusters/$CLUSTER.env; the per-job scripts in jobs/ set
# the resources each job needs and call this. Edit the variables below or set them in the environment.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

CLUSTER="${CLUSTER:-standalone}"
[ -f "$here/clusters/$CLUSTER.env" ] || { echo "CLUSTER=$CLUSTER: no $here/clusters/$CLUSTER.env (standalone, yarn, k8s)" >&2; exit 2; }
# shellcheck source=/dev/null
source "$here/clusters/$CLUSTER.env"

EXECUTOR_MEMORY="${EXECUTOR_MEMORY:-4g}"             # JVM heap of each executor
EXECUTOR_CORES="${EXECUTOR_CORES:-1}"                # task slots per executor; one DL4J worker each
NUM_EXECUTORS="${NUM_EXECUTORS:-2}"                  # YARN/K8s; standalone takes TOTAL_CORES
TOTAL_CORES="${TOTAL_CORES:-}"                       # standalone: spark.cores.max, empty = all
ND4J_OFFHEAP="${ND4J_OFFHEAP:-6G}"                   # JavaCPP cap on ND4J's off-heap arrays per executor
EXECUTOR_OVERHEAD="${EXECUTOR_OVERHEAD:-7g}"         # must cover ND4J_OFFHEAP: YARN/K8s kill executors over heap + overhead
DRIVER_MEMORY="${DRIVER_MEMORY:-4g}"
GPUS_PER_EXECUTOR="${GPUS_PER_EXECUTOR:-0}"          # >0: Spark GPU scheduling, one GPU per task, ND4J pinned (jar built -Pcuda)
GPU_DISCOVERY="${GPU_DISCOVERY:-/opt/trainyard/deploy/gpu/discover-gpus.sh}"  # on every executor host (YARN/K8s/standalone)
JAR="${JAR:-$(cd "$here/../.." && pwd)/spark-jobs/target/trainyard.jar}"
SPARK_SUBMIT="${SPARK_SUBMIT:-spark-submit}"
# Security (docs/deploy-*.md, "Security"): AUTH=on turns on Spark's RPC authentication; on a standalone
# cluster AUTH_SECRET_FILE holds the secret the Master and Workers were started with (YARN makes one per
# application; on Kubernetes Spark makes one, or reads AUTH_SECRET_FILE as mounted in the pods).
# ENCRYPT=on adds AES encryption of RPC and of shuffle/spill files (needs AUTH=on). UI_KEYSTORE (with
# UI_KEYSTORE_PASSWORD_FILE) serves the driver's web UI over TLS.
AUTH="${AUTH:-off}"
AUTH_SECRET_FILE="${AUTH_SECRET_FILE:-}"
ENCRYPT="${ENCRYPT:-off}"
UI_KEYSTORE="${UI_KEYSTORE:-}"
UI_KEYSTORE_PASSWORD_FILE="${UI_KEYSTORE_PASSWORD_FILE:-}"

case "$JAR" in
  local://*|hdfs://*|s3a://*|http://*|https://*) ;;
  *) [ -f "$JAR" ] || { echo "no $JAR: build it with 'mvn -B -DskipTests package' (add -Pcuda for GPU executors)" >&2; exit 2; } ;;
esac

nd4j_opts="-Dorg.bytedeco.javacpp.maxbytes=${ND4J_OFFHEAP} -Dorg.bytedeco.javacpp.maxphysicalbytes=${ND4J_OFFHEAP}"
# Java 17: Spark's options for the driver and the executors too (deploy/java17-opens.txt, the one list)
java17_opens="$(grep -v '^#' "$here/../java17-opens.txt" | tr '\n' ' ')"

conf=(--conf spark.executor.memoryOverhead="$EXECUTOR_OVERHEAD"
  --conf spark.task.cpus=1
  --conf spark.executor.instances="$NUM_EXECUTORS"
  # Kryo: INDArrays natively (ND4J's registrations), records by their components, DL4J configurations as JSON;
  # registration required, so a serialised stream can name no class outside Trainyard's, Spark's and ND4J's lists
  --conf spark.serializer=org.apache.spark.serializer.KryoSerializer
  --conf spark.kryo.registrator=dev.trainyard.runtime.TrainyardKryoRegistrator
  --conf spark.kryo.registrationRequired=true
  --conf "spark.driver.extraJavaOptions=${java17_opens}${nd4j_opts}"
  --conf "spark.executor.extraJavaOptions=${java17_opens}${nd4j_opts}")
[ -n "$TOTAL_CORES" ] && conf+=(--conf spark.cores.max="$TOTAL_CORES")
if [ "$GPUS_PER_EXECUTOR" -gt 0 ]; then
  conf+=(--conf spark.executor.resource.gpu.amount="$GPUS_PER_EXECUTOR"
    --conf spark.task.resource.gpu.amount=1
    --conf spark.executor.resource.gpu.discoveryScript="$GPU_DISCOVERY"
    --conf spark.plugins=dev.trainyard.runtime.GpuPlugin)
fi

# secrets go into a private properties file (with the cluster's spark-defaults.conf, which it replaces), never
# onto the command line where any user of the machine can read them
secret_props=()
secrets_file=""
add_secret() {
  if [ -z "$secrets_file" ]; then
    secrets_file="$(mktemp "${TMPDIR:-/tmp}/trainyard-submit.XXXXXX")"
    chmod 600 "$secrets_file"
    defaults="${SPARK_CONF_DIR:-${SPARK_HOME:-/nonexistent}/conf}/spark-defaults.conf"
    [ -f "$defaults" ] && cat "$defaults" > "$secrets_file"
    secret_props=(--properties-file "$secrets_file")
  fi
  printf '%s %s\n' "$1" "$2" >> "$secrets_file"
}
need_file() { [ -r "$2" ] || { echo "$1=$2: not a readable file" >&2; exit 2; }; }
case "$AUTH" in
  on)
    conf+=(--conf spark.authenticate=true)
    if [ -n "$AUTH_SECRET_FILE" ]; then
      need_file AUTH_SECRET_FILE "$AUTH_SECRET_FILE"
      if [ "$CLUSTER" = k8s ]; then
        conf+=(--conf spark.authenticate.secret.driver.file="$AUTH_SECRET_FILE"
          --conf spark.authenticate.secret.executor.file="$AUTH_SECRET_FILE")
      else
        add_secret spark.authenticate.secret "$(tr -d '\r\n' < "$AUTH_SECRET_FILE")"
      fi
    elif [ "$CLUSTER" = standalone ]; then
      echo "AUTH=on on a standalone cluster needs AUTH_SECRET_FILE: the secret its Master and Workers use" >&2; exit 2
    fi ;;
  off) ;;
  *) echo "AUTH=$AUTH: on or off" >&2; exit 2 ;;
esac
case "$ENCRYPT" in
  on)
    [ "$AUTH" = on ] || { echo "ENCRYPT=on needs AUTH=on: Spark derives the encryption keys from the authentication" >&2; exit 2; }
    conf+=(--conf spark.network.crypto.enabled=true --conf spark.io.encryption.enabled=true) ;;
  off) ;;
  *) echo "ENCRYPT=$ENCRYPT: on or off" >&2; exit 2 ;;
esac
if [ -n "$UI_KEYSTORE" ]; then
  need_file UI_KEYSTORE_PASSWORD_FILE "$UI_KEYSTORE_PASSWORD_FILE"
  conf+=(--conf spark.ssl.ui.enabled=true --conf spark.ssl.ui.keyStore="$UI_KEYSTORE")
  add_secret spark.ssl.ui.keyStorePassword "$(tr -d '\r\n' < "$UI_KEYSTORE_PASSWORD_FILE")"
fi
if [ -n "$secrets_file" ]; then
  trap 'rm -f "$secrets_file"' EXIT
  run=()
else
  run=(exec)
fi

"${run[@]}" "$SPARK_SUBMIT" "${secret_props[@]}" \
  --master "$MASTER" --deploy-mode "$DEPLOY_MODE" \
  --class dev.trainyard.cli.TrainyardCli \
  --driver-memory "$DRIVER_MEMORY" \
  --executor-memory "$EXECUTOR_MEMORY" --executor-cores "$EXECUTOR_CORES" \
  "${CLUSTER_CONF[@]}" "${conf[@]}" \
  "$JAR" "$@"
