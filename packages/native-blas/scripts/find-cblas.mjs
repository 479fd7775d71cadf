#!/usr/bin/env node
// Locate OpenBLAS's cblas.h and shared library (Debian multiarch layout first).
// `--include` prints the include dir, `--libs` the linker flags, no flag prints JSON or exits 1.
import { existsSync } from 'node:fs';

const includeDirs = [
  '/usr/include/x86_64-linux-gnu/openblas-pthread',
  '/usr/include/aarch64-linux-gnu/openblas-pthread',
  '/usr/include/openblas',
  '/usr/include/x86_64-linux-gnu',
  '/usr/include/aarch64-linux-gnu',
  '/usr/include',
  '/usr/local/include',
  '/opt/homebrew/opt/openblas/include',
];
const libDirs = [
  '/usr/lib/x86_64-linux-gnu/openblas-pthread',
  '/usr/lib/aarch64-linux-gnu/openblas-pthread',
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/usr/local/lib',
  '/opt/homebrew/opt/openblas/lib',
];

/** @returns {{ include: string, libDir: string } | null} */
export function findCblas() {
  const include = includeDirs.find((d) => existsSync(`${d}/cblas.h`));
  const libDir = libDirs.find((d) => existsSync(`${d}/libopenblas.so`) || existsSync(`${d}/libopenblas.dylib`));
  return include && libDir ? { include, libDir } : null;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = findCblas();
  const flag = process.argv[2];
  if (!found) process.exit(1);
  if (flag === '--include') console.log(found.include);
  else if (flag === '--libs') console.log(`-L${found.libDir} -Wl,-rpath,${found.libDir} -lopenblas`);
  else console.log(JSON.stringify(found));
}
