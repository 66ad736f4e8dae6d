#!/usr/bin/env bash
# Submit any trainyard command to a Spark cluster:
#   deploy/submit/trainyard-submit.sh train siamese --data hdfs:///pairs --output /models/siamese --workers 8
# Edit the variables below or set them in the environment.
set -euo pipefail

MASTER="${MASTER:-spark://127.0.0.1:7077}"          # spark://..., yarn, k8s://https://...
DEPLOY_MODE="${DEPLOY_MODE:-client}"                 # client keeps MODEL_DIR on the submitting machine
EXECUTOR_MEMORY="${EXECUTOR_MEMORY:-4g}"             # JVM heap of each executor
EXECUTOR_CORES="${EXECUTOR_CORES:-1}"                # one DL4J worker per core slot
ND4J_OFFHEAP="${ND4J_OFFHEAP:-6G}"                   # JavaCPP limit for ND4J's off-heap arrays per executor
EXECUTOR_OVERHEAD="${EXECUTOR_OVERHEAD:-7g}"         # must cover ND4J_OFFHEAP: YARN/K8s kill executors that exceed heap + overhead
DRIVER_MEMORY="${DRIVER_MEMORY:-4g}"
JAR="${JAR:-$(cd "$(dirname "$0")/../.." && pwd)/spark-jobs/target/trainyard.jar}"
SPARK_SUBMIT="${SPARK_SUBMIT:-spark-submit}"

[ -f "$JAR" ] || { echo "no $JAR: build it with 'mvn -B -DskipTests package' (add -Pcuda for GPU executors)" >&2; exit 2; }

nd4j_opts="-Dorg.bytedeco.javacpp.maxbytes=${ND4J_OFFHEAP} -Dorg.bytedeco.javacpp.maxphysicalbytes=${ND4J_OFFHEAP}"
# Java 17: Spark's --add-opens list for the executors too (StandaloneClusterIT passes the same)
java17_opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED"
exec "$SPARK_SUBMIT" \
  --master "$MASTER" --deploy-mode "$DEPLOY_MODE" \
  --class dev.trainyard.cli.TrainyardCli \
  --driver-memory "$DRIVER_MEMORY" \
  --executor-memory "$EXECUTOR_MEMORY" --executor-cores "$EXECUTOR_CORES" \
  --conf spark.executor.memoryOverhead="$EXECUTOR_OVERHEAD" \
  --conf spark.task.cpus=1 \
  --conf "spark.driver.extraJavaOptions=-Djdk.reflect.useDirectMethodHandle=false ${nd4j_opts}" \
  --conf "spark.executor.extraJavaOptions=-Djdk.reflect.useDirectMethodHandle=false ${java17_opens} ${nd4j_opts}" \
  "$JAR" "$@"
