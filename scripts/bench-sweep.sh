#!/usr/bin/env bash
# Side-by-side wall time of one 4-point sweep: in this process, in 2 local worker processes (--jobs 2),
# and on BullMQ with 2 `vib worker`s on a private redis-server. Each variant uses its own temp store,
# so every point is trained each time. Usage: bash scripts/bench-sweep.sh [extra sweep flags]
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp" >/dev/null &
redis_pid=$!
workers=()
cleanup() { kill "${workers[@]}" "$redis_pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
flags=(--backend "${BACKEND:-wasm}" --max-train 2000 --max-test 500 --epochs 3 --betas 1e-3,1e-2 --seeds 0,1 --quiet "$@")
vib() { node --conditions=@vib/source --import tsx apps/cli/src/main.ts "$@"; }
secs() { local t0; t0=$(date +%s.%N); "$@" >/dev/null; awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN { print a - b }'; }
one=$(secs vib sweep "${flags[@]}" --store "$tmp/one.sqlite" --out "$tmp/one")
jobs=$(secs vib sweep "${flags[@]}" --jobs 2 --store "$tmp/jobs.sqlite" --out "$tmp/jobs")
for i in 1 2; do vib worker --queue "redis://127.0.0.1:$port" --quiet & workers+=($!); done
sleep 3
queue=$(secs vib sweep "${flags[@]}" --queue "redis://127.0.0.1:$port" --store "$tmp/queue.sqlite" --out "$tmp/queue")
awk -v o="$one" -v j="$jobs" -v q="$queue" 'BEGIN { printf "one process: %.1fs\n--jobs 2: %.1fs (speed-up %.2fx)\n--queue, 2 workers: %.1fs (speed-up %.2fx)\n", o, j, o / j, q, o / q }'
