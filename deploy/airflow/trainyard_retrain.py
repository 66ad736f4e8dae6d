"""Scheduled retraining of the duplicate-question Siamese model with Trainyard.

prep -> train -> evaluate -> promote -> score, one spark-submit each (SparkSubmitOperator), for
the run's date ({{ ds }}). promote registers every candidate and makes it CURRENT only if it beats
the current model on the same test data; otherwise it exits 3 (--fail-if-kept), the task fails
without retrying and on_failure_callback alerts, while the old model keeps serving. score (when
"score_pairs" is set) runs whatever promote did: the registry's CURRENT model scores the period's
new, unlabelled pairs into the run's dated folder (WORK/DATE/scores).

Settings come from Airflow Variables (JSON in "trainyard_retrain", fields of RetrainConfig)
and the Spark connection "spark_trainyard" (master, deploy mode, queue). Deployment guide:
docs/deploy-airflow.md.
"""
from datetime import datetime, timedelta
import logging

from airflow import DAG
from airflow.models import Variable
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

from trainyard_commands import RetrainConfig, retrain_commands

JAR = Variable.get("trainyard_jar", default_var="/opt/trainyard/trainyard.jar")
CFG = RetrainConfig(**Variable.get("trainyard_retrain", deserialize_json=True, default_var={
    "raw_pairs": "hdfs:///data/quora/{ds}/quora_duplicate_questions.tsv",
    "work": "hdfs:///trainyard/runs",
    "registry": "hdfs:///trainyard/registry",
    "score_pairs": "hdfs:///data/quora/{ds}/new_pairs.tsv",
}))

# ND4J keeps arrays off-heap: cap them (JavaCPP) and give YARN/Kubernetes the overhead to hold them
ND4J_OFFHEAP = "6G"
SPARK_CONF = {
    "spark.executor.memoryOverhead": "7g",
    "spark.executor.extraJavaOptions": f"-Dorg.bytedeco.javacpp.maxbytes={ND4J_OFFHEAP} "
                                       f"-Dorg.bytedeco.javacpp.maxphysicalbytes={ND4J_OFFHEAP}",
    "spark.serializer": "org.apache.spark.serializer.KryoSerializer",
    "spark.kryo.registrator": "dev.trainyard.runtime.TrainyardKryoRegistrator",
    "spark.kryo.registrationRequired": "true",
}


def alert(context):
    """Called when a task fails for good: a kept model (promote exit 3) or a broken run."""
    ti = context["task_instance"]
    logging.getLogger("trainyard").error("trainyard retraining %s failed on %s: see %s", ti.task_id, context["ds"], ti.log_url)


default_args = {
    "owner": "trainyard",
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
    "on_failure_callback": alert,
}

with DAG(
    dag_id="trainyard_retrain",
    description="Retrain the Siamese duplicate-question model and promote it if it beats the current one",
    schedule="@weekly",
    start_date=datetime(2026, 11, 1),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    tags=["trainyard"],
) as dag:
    previous = None
    for task_id, args in retrain_commands("{{ ds }}", CFG).items():
        task = SparkSubmitOperator(
            task_id=task_id,
            conn_id="spark_trainyard",
            application=JAR,
            java_class="dev.trainyard.cli.TrainyardCli",
            application_args=args,
            conf=SPARK_CONF,
            name=f"trainyard {task_id} {{{{ ds }}}}",
            # a candidate that loses is not a transient failure: do not retry promote
            retries=0 if task_id == "promote" else default_args["retries"],
            # scoring uses CURRENT, which is there whether or not this run's candidate won
            trigger_rule="all_done" if task_id == "score" else "all_success",
        )
        if previous is not None:
            previous >> task
        previous = task
