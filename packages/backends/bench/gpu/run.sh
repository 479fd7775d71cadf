#!/usr/bin/env bash
# The device side of bench/gpu/pack.sh: unpacks what pack.sh compressed, then runs `vib backends` and the GPU bench
# (bench/gpu-bench.ts) with the bundled CLI for the epoch row; VIB_GPU_SPLIT=1 first runs bench/gpu/split-step.ts at
# batch 100 and 1000, VIB_GPU_BENCH=0 skips the bench. Output: the terminal, and $OUT (or .gpu/out).
# Needs a Vulkan loader (libvulkan.so.1) and the GPU's Vulkan driver, and python3 with PyTorch for the reference.
set -uo pipefail
g=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$g/out}
mkdir -p "$out" /tmp/vib-gpu
# every X.xz to X (python3's lzma: the device may lack xz), the training images to .gz as the bench's readers expect
python3 - "$g" <<'PY' || exit 1
import gzip, lzma, pathlib, shutil, sys
for xz in pathlib.Path(sys.argv[1]).rglob("*.xz"):
    gz = xz.name.startswith("train-images")
    target = xz.with_suffix(".gz" if gz else "")
    if not target.exists():
        with lzma.open(xz) as src, (gzip.open(target, "wb", compresslevel=1) if gz else open(target, "wb")) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
PY
chmod +x "$g/node"
if command -v node >/dev/null && node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then NODE=$(command -v node); else NODE="$g/node"; fi
f="$g/fashion-mnist"
export VIB_BENCH_PYTHON=${VIB_BENCH_PYTHON:-$(command -v python3)} VIB_BENCH_CLI="$g/vib.mjs" VIB_BENCH_FASHION_MNIST="$f" XDG_DATA_HOME=/tmp/vib-gpu/data
echo "node $("$NODE" -v), $(python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.cuda.is_available())' 2>&1 | tail -1)"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
"$NODE" "$g/vib.mjs" backends 2>&1 | tee "$out/backends.txt"
[ "${VIB_GPU_SPLIT:-0}" = 1 ] && for b in 100 1000; do "$NODE" "$g/split-step.mjs" "$b" 2>&1 | tee -a "$out/split-step.txt"; done
[ "${VIB_GPU_BENCH:-1}" = 1 ] && "$NODE" "$g/gpu-bench.mjs" 2>&1 | tee "$out/bench.md"
