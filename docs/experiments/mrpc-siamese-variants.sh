#!/usr/bin/env bash
# The research notes' Siamese variants on real MRPC (../shared/data/mrpc), same prep, split and seeds.
# Usage: [ONLY="name name"] docs/experiments/mrpc-siamese-variants.sh [OUT_DIR]   (about 10 minutes on 2 cores)
# ONLY runs the named variants, e.g. ONLY="3-layers 3-resnet-bn-before-relu 3-selu 3-selu+alpha-dropout0.1"
# for the SELU notes' comparison (self-normalising, no batch norm, against ReLU + BN), or
# ONLY="3-resnet-bn-before-relu seq-bilstm+conv-frozen seq-bilstm+conv-trainable seq-bilstm-frozen seq-conv-frozen"
# for the sequence encoders (token ids through GloVe, BiLSTM + 1D conv) against the TF-IDF-mean tower.
# Writes OUT_DIR/variants.md (a table) and OUT_DIR/<variant>/eval.json.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/bench-results/mrpc}"
mrpc="$root/../shared/data/mrpc/msr_paraphrase_train.txt"
glove="$root/../shared/data/glove/glove.6B.100d.top10k-wink.txt.gz"
[ -f "$mrpc" ] && [ -f "$glove" ] || { echo "needs ../shared/data/mrpc and ../shared/data/glove" >&2; exit 2; }
ty="$root/trainyard"
epochs="${EPOCHS:-15}"
mkdir -p "$out"
"$ty" prep pairs --input "$mrpc" --format mrpc --vectors "$glove" --output "$out/data" --overwrite >/dev/null

# name | options (the notes' table: "2 layers net", "3 layers net + adam", resnet with BN after/before ReLU, + dropout, + layer concat, FC head)
variants=(
  "2-layers|--hidden 128,128 --norm none --no-residual"
  "3-layers|--norm none --no-residual"
  "3-resnet-bn-after-relu|--norm after-relu"
  "3-resnet-bn-before-relu|--norm before-relu"
  "3-resnet-bn-before-relu+dropout0.2|--dropout 0.2"
  "3-resnet-bn-before-relu+concat|--concat"
  "3-resnet-bn-before-relu+fc-head|--head fc"
  "3-selu|--norm selu --no-residual"
  "3-selu+alpha-dropout0.1|--norm selu --no-residual --dropout 0.1"
  "seq-bilstm+conv-frozen|--encoder sequence --embedding frozen --hidden 128"
  "seq-bilstm+conv-trainable|--encoder sequence --embedding trainable --hidden 128"
  "seq-bilstm-frozen|--encoder sequence --embedding frozen --conv-filters 0 --hidden 128"
  "seq-conv-frozen|--encoder sequence --embedding frozen --rnn-units 0 --hidden 128"
)
{
  echo "| variant | options | dev accuracy | majority baseline (dev) | test accuracy | majority baseline (test) | test F1 | test ROC AUC | train pairs/s |"
  echo "|---|---|---|---|---|---|---|---|---|"
} > "$out/variants.md"
for v in "${variants[@]}"; do
  name="${v%%|*}"; opts="${v#*|}"
  if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]]; then continue; fi
  # shellcheck disable=SC2086
  "$ty" train siamese --data "$out/data" --output "$out/$name" --epochs "$epochs" --workers 2 \
      --batch-size-per-worker 32 --overwrite $opts >/dev/null 2>"$out/$name.log"
  "$ty" evaluate --model "$out/$name" --data "$out/data" --output "$out/$name/eval.json" >/dev/null 2>>"$out/$name.log"
  python3 - "$out/$name/eval.json" "$out/$name/manifest.json" "$name" "$opts" >> "$out/variants.md" <<'PY'
import json, sys
e = json.load(open(sys.argv[1])); m = json.load(open(sys.argv[2]))
c = e["dev_metrics"]["confusion"]; n = e["dev_metrics"]["examples"]; pos = c["true_positive"] + c["false_negative"]
dev_base = (pos if e["baseline"]["majority_class"] == 1 else n - pos) / n
print("| %s | `%s` | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.0f |" % (sys.argv[3], sys.argv[4],
      e["dev_metrics"]["accuracy"], dev_base, e["metrics"]["accuracy"], e["baseline"]["accuracy"],
      e["metrics"]["f1"], e["metrics"]["roc_auc"], m["timing"]["examples_per_second"]))
PY
  tail -1 "$out/variants.md"
done
