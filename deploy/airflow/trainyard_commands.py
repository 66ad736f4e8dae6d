"""The trainyard commands the retraining DAG submits, as plain Python (no Airflow import).

trainyard_retrain.py builds its SparkSubmitOperator tasks from retrain_commands(); the
integration test RetrainingDagIT renders the same lists for concrete dates, checks each with
`trainyard ... --dry-run`, and runs them on local Spark. Keeping the lists here means the DAG
and the test cannot drift apart.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class RetrainConfig:
    raw_pairs: str          # raw question pairs for a date; "{ds}" is replaced by the run date
    work: str               # per-run working directory root (datasets, candidate models)
    registry: str           # model registry root (trainyard promote)
    name: str = "quora-siamese"
    input_format: str = "quora"
    vector_size: int = 100
    workers: int = 8
    epochs: int = 10
    batch_size_per_worker: int = 64
    averaging_frequency: int = 5
    min_improvement: float = 0.0
    score_pairs: str = ""   # unlabelled pairs to score each run with the CURRENT model ("{ds}" replaced); "" = no scoring
    score_format: str = "tsv"


def retrain_commands(ds, cfg):
    """Ordered {task_id: trainyard arguments} for the run of date `ds` (a string, or Airflow's "{{ ds }}")."""
    run = f"{cfg.work}/{ds}"
    data = f"{run}/pairs"
    model = f"{run}/candidate"
    evaluation = f"{run}/candidate-evaluation.json"
    commands = {
        "prep": ["prep", "pairs", "--input", cfg.raw_pairs.replace("{ds}", ds), "--format", cfg.input_format,
                 "--output", data, "--vector-size", str(cfg.vector_size), "--overwrite"],
        "train": ["train", "siamese", "--data", data, "--output", model, "--overwrite",
                  "--workers", str(cfg.workers), "--epochs", str(cfg.epochs),
                  "--batch-size-per-worker", str(cfg.batch_size_per_worker),
                  "--averaging-frequency", str(cfg.averaging_frequency)],
        "evaluate": ["evaluate", "--model", model, "--data", data, "--split", "test", "--output", evaluation],
        "promote": ["promote", "--model", model, "--evaluation", evaluation, "--registry", cfg.registry,
                    "--name", cfg.name, "--min-improvement", str(cfg.min_improvement), "--fail-if-kept"],
    }
    if cfg.score_pairs:
        # the registry's CURRENT model (just promoted, or the one that kept its place) scores the period's new pairs
        commands["score"] = ["predict", "--model", f"{cfg.registry}/{cfg.name}", "--input", cfg.score_pairs.replace("{ds}", ds),
                             "--format", cfg.score_format, "--output", f"{run}/scores", "--overwrite"]
    return commands


if __name__ == "__main__":
    # python3 trainyard_commands.py DATE RAW_PAIRS WORK REGISTRY [KEY=VALUE ...]: the commands as JSON
    import json
    import sys
    ds, raw, work, registry = sys.argv[1:5]
    extra = {}
    for kv in sys.argv[5:]:
        key, value = kv.split("=", 1)
        field = RetrainConfig.__dataclass_fields__[key]
        extra[key] = field.type(value) if isinstance(field.type, type) else value
    print(json.dumps(retrain_commands(ds, RetrainConfig(raw, work, registry, **extra)), indent=1))
