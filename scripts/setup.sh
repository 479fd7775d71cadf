#!/usr/bin/env bash
# Idempotent set-up for a fresh machine: system packages, pnpm, workspace dependencies.
# Everything comes from Debian's archive or the npm registry; nothing else is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_pkgs=(chromium chromium-driver dataset-fashion-mnist libopenblas-dev g++ make python3-torch redis-server)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${missing[*]} from apt" >&2
    apt-get update -qq
    # python3-torch is only for side-by-side benchmarks; do not fail set-up without it.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
           $(printf '%s\n' "${missing[@]}" | grep -v python3-torch) >/dev/null
  else
    echo "setup: warning: missing apt packages ${missing[*]} (not root, skipped)" >&2
  fi
fi

if ! command -v pnpm >/dev/null 2>&1; then
  echo "setup: installing pnpm from the npm registry" >&2
  npm install -g pnpm@10.34.9 >/dev/null 2>&1
fi

# better-sqlite3 (@vib/store, the run store) compiles its addon at install: ask it not to try a prebuilt
# download (the internet beyond the npm registry may be unreachable) and give node-gyp the system's Node
# headers so it downloads nothing either.
export npm_config_build_from_source=better-sqlite3
for d in "$(dirname "$(command -v node)")/.." /usr /usr/local; do
  if [ -f "$d/include/node/node_api.h" ]; then export npm_config_nodedir="$d"; break; fi
done
pnpm install --frozen-lockfile --reporter=silent

# --- @vib/native-blas (optional native tier of @vib/backends) ---------------------------------
# pnpm runs the workspace package's `install` script during `pnpm install`; this repeats it
# idempotently ("already built" when present) so a set-up machine always reports the tier's state.
# It never fails: without g++ or libopenblas-dev it prints one line and the pure tier is used.
node packages/native-blas/scripts/install.mjs

# --- the compiled CLI ---------------------------------------------------------------------------
# `pnpm vib` runs the compiled CLI where its recorded build still matches the sources (scripts/vib.mjs), which starts
# about 1.3 s sooner than the TypeScript sources through tsx. turbo builds only what changed; a failed build leaves
# `pnpm vib` on the sources, as before.
if ! VIB_FROM_SOURCE= node scripts/built-cli.mjs >/dev/null; then
  echo "setup: building the CLI's packages (once; about 20 s on 2 cores)" >&2
  if pnpm -s turbo run build --filter @vib/cli... --output-logs=errors-only >/dev/null; then
    node scripts/built-cli.mjs --stamp >/dev/null
  else
    echo "setup: warning: the CLI's build failed; pnpm vib runs its TypeScript sources through tsx" >&2
  fi
fi
