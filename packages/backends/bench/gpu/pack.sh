#!/usr/bin/env bash
# Pack the GPU bench for a machine with a GPU but no node_modules and no network (the workplace's device machine):
# writes <repo>/.gpu/ (git-ignored; under 64 MiB): the bench, the step profiler and the vib CLI as three esbuild
# bundles with @tensorflow/tfjs-backend-webgpu inside them (one copy of tfjs-core), the packages that cannot be bundled
# (Dawn's `webgpu` with its linux-x64 dawn.node, better-sqlite3 with its compiled addon), this Node binary (xz),
# Fashion-MNIST, PyTorch's side of the bench, and run.sh, which the device runs:
#   bash .gpu/run.sh   (prints the bench's tables; writes bench.md and the logs to $OUT when set)
# On a machine whose image lacks the Vulkan loader and GLVND (an NVIDIA container with only the driver mounted), bring
# Debian's libvulkan1, libglvnd0, libglx0, libegl1, libgl1, libgles2 and libopengl0 as .deb files, unpack them with
# `dpkg -x`, run ldconfig, and point the loader at the driver's ICD file, e.g.
#   export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
# (without GLVND's libraries NVIDIA's ICD loads but gives no vkCreateInstance: "Found no drivers").
set -euo pipefail
root=$(cd "$(dirname "$0")/../../../.." && pwd)
out="$root/.gpu"
here="$root/packages/backends/bench"
fashion=${VIB_BENCH_FASHION_MNIST:-/usr/share/datasets/fashion-mnist}
[ -f "$fashion/train-images-idx3-ubyte.gz" ] || { echo "pack.sh: no Fashion-MNIST in $fashion (apt-get install dataset-fashion-mnist)" >&2; exit 1; }
# everything is made afresh but the two slow xz files (this Node binary and the training images), kept when present
mkdir -p "$out/fashion-mnist"
find "$out" -mindepth 1 -maxdepth 1 ! -name node.xz ! -name fashion-mnist -exec rm -rf {} +
find "$out/fashion-mnist" -mindepth 1 ! -name train-images-idx3-ubyte.xz -delete
mkdir -p "$out/node_modules"
cd "$root"
pnpm_dir="$root/node_modules/.pnpm"
webgpu=$(ls -d "$pnpm_dir"/webgpu@*/node_modules/webgpu | head -1)
sqlite=$(ls -d "$pnpm_dir"/better-sqlite3@*/node_modules/better-sqlite3 | head -1)
bindings=$(ls -d "$pnpm_dir"/bindings@*/node_modules/bindings | head -1)
fileuri=$(ls -d "$pnpm_dir"/file-uri-to-path@*/node_modules/file-uri-to-path | head -1)
wasm=$(ls -d "$pnpm_dir"/@tensorflow+tfjs-backend-wasm@*/node_modules/@tensorflow/tfjs-backend-wasm | head -1)

# esbuild: ESM for Node, the packages' TypeScript sources (@vib/source), CommonJS dependencies given a require
# (--ignore-annotations: the entry imports its modules for their effects, which a package.json "sideEffects": false
# would otherwise drop). provide-webgpu.ts comes first: it hands the bundled tfjs-backend-webgpu to @vib/backends
# (provideWebGpuPackage), whose webgpu plugin registers the backend once Dawn's navigator.gpu exists.
banner='import { createRequire as __vibCreateRequire } from "node:module"; import { fileURLToPath as __vibToPath } from "node:url"; import { dirname as __vibDirname } from "node:path"; const require = __vibCreateRequire(import.meta.url); const __filename = __vibToPath(import.meta.url); const __dirname = __vibDirname(__filename);'
bundle() { # entry, output
  printf "import '%s';\nimport '%s';\n" "$here/gpu/provide-webgpu.ts" "$1" > "$out/entry.ts"
  "$root/node_modules/.bin/esbuild" "$out/entry.ts" --bundle --ignore-annotations --platform=node --format=esm --target=node20 --minify \
    --conditions=@vib/source --main-fields=module,main --log-level=warning --outfile="$2" --banner:js="$banner" \
    --external:webgpu --external:better-sqlite3 --external:@resvg/resvg-js --external:tsx --external:mnist
  rm "$out/entry.ts"
}
(cd "$root/packages/backends" && bundle "$here/gpu-bench.ts" "$out/gpu-bench.mjs" && bundle "$here/gpu/split-step.ts" "$out/split-step.mjs")
(cd "$root/apps/cli" && bundle "$root/apps/cli/src/main.ts" "$out/vib.mjs")

# what cannot be bundled: native addons and the files they are found beside
mkdir -p "$out/node_modules/webgpu/dist/linux-x64" "$out/node_modules/better-sqlite3/build/Release" "$out/node_modules/@tensorflow/tfjs-backend-wasm"
cp "$webgpu/package.json" "$webgpu/index.js" "$out/node_modules/webgpu/"
cp "$webgpu/dist/linux-x64/dawn.node" "$out/node_modules/webgpu/dist/linux-x64/"
cp -r "$sqlite/package.json" "$sqlite/lib" "$out/node_modules/better-sqlite3/"
cp "$sqlite/build/Release/better_sqlite3.node" "$out/node_modules/better-sqlite3/build/Release/"
cp -r "$bindings" "$fileuri" "$out/node_modules/"
cp "$wasm/package.json" "$out/node_modules/@tensorflow/tfjs-backend-wasm/" # resolved at start; its .wasm files only by the wasm backend
cp "$here"/*.py "$here/report-peak-rss.mjs" "$here/gpu/run.sh" "$out/"
cp "$fashion"/train-labels-idx1-ubyte.gz "$fashion"/t10k-*.gz "$out/fashion-mnist/"
# the rest travels as .xz (the device machine takes at most 64 MiB with the repo); run.sh unpacks each beside itself
[ -s "$out/node.xz" ] || xz -T2 -9 -c "$(readlink -f "$(command -v node)")" > "$out/node.xz"
[ -s "$out/fashion-mnist/train-images-idx3-ubyte.xz" ] || zcat "$fashion/train-images-idx3-ubyte.gz" | xz -T2 -9 > "$out/fashion-mnist/train-images-idx3-ubyte.xz"
xz -T2 -9 "$out/node_modules/webgpu/dist/linux-x64/dawn.node" "$out/node_modules/better-sqlite3/build/Release/better_sqlite3.node" "$out/vib.mjs" "$out/gpu-bench.mjs" "$out/split-step.mjs"
echo "packed $(du -sb "$out" | cut -f1) bytes in $out"
