#!/usr/bin/env bash
# `trainyard bench averaging` on a real Spark standalone cluster on 127.0.0.1: one Master and WORKERS Workers
# (one core, 1 GB executor each) started from the Maven jars, the bench submitted through SparkSubmit in client
# mode with the settings deploy/submit uses (Kryo with Trainyard's registrator, Java 17 opens, one ND4J thread
# per executor). docs/scaling.md checks the cost model against its rounds.
# Usage: [WORKERS=2] [FREQUENCIES=1,5,20] docs/experiments/standalone-averaging.sh DATA_DIR [OUT_JSON]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
data="$1"; out="${2:-$root/bench-results/averaging-standalone.json}"
workers="${WORKERS:-2}"; freqs="${FREQUENCIES:-1,5,20}"
jar="${TRAINYARD_JAR:-$root/spark-jobs/target/trainyard.jar}"
cp_file="$root/spark-jobs/target/spark-classpath.txt"
[ -f "$jar" ] && [ -f "$cp_file" ] || (cd "$root" && mvn -B -q -DskipTests package -pl spark-jobs -am)
opens="$(grep -v '^#' "$root/deploy/java17-opens.txt" | tr '\n' ' ')"
# Spark's provided jars plus the shaded jar (which carries Spark's own compile-scope dependencies), as ./trainyard
cp="$(tr -d '\n' < "$cp_file"):$jar"
home="$(mktemp -d)"; mkdir -p "$home/jars"
tr ':' '\n' <<< "$cp" | while read -r j; do [ -n "$j" ] && ln -sf "$j" "$home/jars/"; done
export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=127.0.0.1
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; pkill -f "$home" 2>/dev/null || true; rm -rf "$home"; }
trap cleanup EXIT
port=$((20000 + RANDOM % 20000)); ui=$((port + 1))
# shellcheck disable=SC2086
java $opens -cp "$cp" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port "$ui" \
  >"$home/master.log" 2>&1 & pids+=($!)
for w in $(seq 1 "$workers"); do
  # shellcheck disable=SC2086
  java $opens -cp "$cp" org.apache.spark.deploy.worker.Worker "spark://127.0.0.1:$port" --host 127.0.0.1 \
    --cores 1 --memory 2g --webui-port 0 --work-dir "$home/work-$w" >"$home/worker-$w.log" 2>&1 & pids+=($!)
done
for _ in $(seq 1 90); do
  n=$(curl -s "http://127.0.0.1:$ui/json/" 2>/dev/null | python3 -c 'import json,sys; print(sum(w["state"]=="ALIVE" for w in json.load(sys.stdin)["workers"]))' 2>/dev/null || echo 0)
  [ "$n" = "$workers" ] && break; sleep 1
done
[ "$n" = "$workers" ] || { echo "workers did not register" >&2; tail "$home"/*.log >&2; exit 1; }
clock="-Dorg.deeplearning4j.spark.time.TimeSource=org.deeplearning4j.spark.time.SystemClockTimeSource"
# shellcheck disable=SC2086
java -Xmx2g $opens -cp "$cp" org.apache.spark.deploy.SparkSubmit --master "spark://127.0.0.1:$port" \
  --deploy-mode client --class dev.trainyard.cli.TrainyardCli \
  --conf "spark.executor.extraJavaOptions=$opens $clock" --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
  --conf spark.executor.memory=1g --conf spark.executor.cores=1 --conf "spark.cores.max=$workers" --conf spark.ui.enabled=false \
  --conf spark.executorEnv.OMP_NUM_THREADS=1 \
  --conf spark.serializer=org.apache.spark.serializer.KryoSerializer --conf spark.kryo.registrator=dev.trainyard.runtime.TrainyardKryoRegistrator \
  "$jar" bench averaging --data "$data" --workers "$workers" --frequencies "$freqs" --output "$out"
