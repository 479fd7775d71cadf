#!/usr/bin/env bash
# Regenerate the figures of the guides from real runs of the `vib` CLI (short settings, fixed seeds).
# Usage: pnpm docs:figures   (or: bash docs/scripts/make-figures.sh [train] [sweep] [infoplane]: only those figures)
# Each run writes its plots into a scratch directory; the PNG and SVG files are copied into
# docs/guides/figures/ as <run>-<plot>.{png,svg}, and the run's one-line summary into <run>.txt.
# Nothing here is pasted by hand: to change a figure, change the command below and re-run.
set -euo pipefail
cd "$(dirname "$0")/../.."

out=docs/guides/figures
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$out"

vib() { node --conditions=@vib/source --import tsx apps/cli/src/main.ts "$@"; }

# Which figures to make: the arguments, or all of them.
wanted=" ${*:-train sweep infoplane} "

# run <name> <vib arguments...>: run one command, keep its plots and its summary line.
run() {
  local name=$1
  shift
  [[ $wanted == *" $name "* ]] || return 0
  echo "figures: vib $* --out <scratch>/$name" >&2
  # a fixed seed, unless the command runs several (--seeds): vib refuses --seed beside --seeds
  local seed=(--seed 1)
  [[ " $* " == *" --seeds "* ]] && seed=()
  vib "$@" "${seed[@]}" --quiet --out "$scratch/$name" > "$scratch/$name.txt" || return 1
  find "$scratch/$name" -maxdepth 2 -type f \( -name '*.png' -o -name '*.svg' \) | while read -r f; do
    cp "$f" "$out/$name-$(basename "$f")"
  done
  # The summary without the scratch path, so the committed text does not change from run to run.
  grep -v '^saved to ' "$scratch/$name.txt" > "$out/$name.txt" || true
}

# Getting started: the default run, `vib train` with no flags (the digits preset).
run train train --preset digits
# Choosing β: a sweep over seven log-spaced β from 1e-6 to 1, shortened to 4 epochs on 4,000 digits.
run sweep sweep --preset digits --beta-range 1e-6:1:7 --epochs 4 --max-train 4000 --max-test 1000
# The information plane: Shwartz-Ziv & Tishby's 12-bit task, tanh vs ReLU (Saxe et al. 2018).
# A failed run fails the script (set -e), so a figure is never silently left from an older CLI.
run infoplane infoplane --preset tishby-12bit --epochs 40 --activation tanh,relu --seeds 0,1,2

ls -1 "$out" >&2
