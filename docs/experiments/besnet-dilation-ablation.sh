#!/usr/bin/env bash
# The notes' BesNet ablation on the SYNTHETIC motion videos (classes differ only by motion):
# no dilation ({1}) vs dilation 2 ({2}) vs random dilation ({1,2}), several seeds, and the fps claim:
# train on clips sampled at stride 2, test on val clips sampled at strides 1, 2 and 4 (the same
# motion at 2x, 1x and 0.5x the apparent speed). Prints a markdown table of video top-1 per variant
# (mean +- spread over seeds). Tiny BesNet-18 (1/8 width), 40 x 40 frames, 8 frames per clip, 2 clips per video.
# Usage: docs/experiments/besnet-dilation-ablation.sh [OUT_DIR] [SEEDS] [EPOCHS] [PER_CLASS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/bench-results/besnet-ablation}"
seeds="${2:-1 2 3}"
epochs="${3:-8}"
per_class="${4:-24}"
ty="$root/trainyard"
rm -rf "$out"; mkdir -p "$out"
"$ty" generate video --output "$out/videos" --per-class "$per_class" --frames 48 --fps 25 --size 48 --train-fraction 0.75 --seed 5 >/dev/null
"$ty" prep video --annotations "$out/videos/annotations.csv" --root "$out/videos/videos" --classes "$out/videos/classes.txt" \
  --frames 8 --stride 2 --clips-per-video 2 --short-side 40 --size 40 --seed 7 --output "$out/clips-s2" >/dev/null
for s in 1 4; do
  "$ty" prep video --annotations "$out/videos/annotations.csv" --root "$out/videos/videos" --classes "$out/videos/classes.txt" \
    --frames 8 --stride "$s" --clips-per-video 2 --short-side 40 --size 40 --seed 7 --output "$out/clips-s$s" >/dev/null
done
for variant in "1" "2" "1,2"; do
  for seed in $seeds; do
    m="$out/model-d${variant/,/}-s$seed"
    "$ty" train besnet --data "$out/clips-s2" --output "$m" --depth 18 --width-multiplier 0.125 --order bn-relu \
      --dilations "$variant" --epochs "$epochs" --workers 2 --batch-size-per-worker 8 --averaging-frequency 2 \
      --learning-rate 0.003 --seed "$seed" >/dev/null
    for s in 1 2 4; do
      "$ty" evaluate --model "$m" --data "$out/clips-s$s" --split val --output "$m/eval-stride$s.json" >/dev/null
    done
  done
done
python3 - "$out" <<'PY'
import glob, json, os, statistics, sys
out = sys.argv[1]
print("| dilations | val top-1, test stride 2 (as trained) | test stride 1 | test stride 4 | seeds |")
print("|---|---|---|---|---|")
for v in ["1", "2", "12"]:
    cells = []
    for s in [2, 1, 4]:
        xs = [json.load(open(f))["video_level"]["top1"] for f in sorted(glob.glob(f"{out}/model-d{v}-s*/eval-stride{s}.json"))]
        cells.append(f"{statistics.mean(xs):.3f} +- {(max(xs) - min(xs)) / 2:.3f}" if xs else "-")
    n = len(glob.glob(f"{out}/model-d{v}-s*/eval-stride2.json"))
    print(f"| {{{','.join(v)}}} | {cells[0]} | {cells[1]} | {cells[2]} | {n} |")
PY
