#!/usr/bin/env node
// Build the addon with node-gyp when OpenBLAS (cblas.h + libopenblas) and a C++ compiler are present.
// Never fails the install: when something is missing it prints one line and exits 0,
// and @vib/backends then reports the native tier as unavailable with that reason.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findCblas } from './find-cblas.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const note = (msg) => {
  console.log(`@vib/native-blas: ${msg}; the native tier is skipped (the pure wasm tier still works).`);
  process.exit(0);
};
const force = process.argv.includes('--force');
const built = join(root, 'build', 'Release', 'vib_native_blas.node');
// A build older than any source file or binding.gyp (a pull that changed the addon) is rebuilt.
const sources = [join(root, 'binding.gyp'), ...readdirSync(join(root, 'src')).map((f) => join(root, 'src', f))];
const stale = existsSync(built) && sources.some((f) => statSync(f).mtimeMs > statSync(built).mtimeMs);
if (existsSync(built) && !force && !stale) {
  console.log('@vib/native-blas: addon already built');
  process.exit(0);
}
if (stale) console.log('@vib/native-blas: sources changed since the last build; rebuilding');
if (process.env.VIB_SKIP_NATIVE === '1') note('VIB_SKIP_NATIVE=1');

const hasCompiler = ['c++', 'g++', 'clang++'].some((cc) => spawnSync(cc, ['--version'], { stdio: 'ignore' }).status === 0);
if (!hasCompiler) note('no C++ compiler (c++/g++/clang++) found; install g++ (Debian: apt-get install g++ make)');
if (!findCblas()) note('OpenBLAS not found (cblas.h + libopenblas.so); install it (Debian: apt-get install libopenblas-dev)');

const require = createRequire(import.meta.url);
try {
  require.resolve('node-addon-api');
} catch {
  note('node-addon-api (a dependency) is not installed');
}
const gyp = findNodeGyp();
if (!gyp) note('node-gyp was not found (it ships with npm; or install it: npm install -g node-gyp)');
// Use the local Node headers when present, so node-gyp downloads nothing.
const nodeDirCandidates = [join(dirname(process.execPath), '..'), '/usr', '/usr/local'];
const nodeDir = nodeDirCandidates.find((d) => existsSync(join(d, 'include', 'node', 'node_api.h')));
const args = [gyp, 'rebuild', '--silent', ...(nodeDir ? [`--nodedir=${nodeDir}`] : [])];
try {
  execFileSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  console.log('@vib/native-blas: built build/Release/vib_native_blas.node against OpenBLAS');
} catch (e) {
  const stderr = String(e.stderr ?? e.message).trim().split('\n').slice(-3).join(' | ');
  note(`node-gyp build failed (${stderr})`);
}

/**
 * node-gyp, wherever it is: a local install (the workspace's devDependency), the copy the running
 * package manager names in `npm_config_node_gyp` (npm and pnpm set it for install scripts, so a
 * registry install finds npm's bundled copy), or npm's bundled copy beside this Node.js.
 * @returns the path of node-gyp.js, or undefined
 */
function findNodeGyp() {
  try {
    return require.resolve('node-gyp/bin/node-gyp.js');
  } catch {
    // not installed locally: a registry install
  }
  const prefix = join(dirname(process.execPath), '..');
  const candidates = [
    process.env.npm_config_node_gyp,
    join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((c) => c !== undefined && c !== '' && existsSync(c));
}
