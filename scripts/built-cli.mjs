#!/usr/bin/env node
// Whether the CLI's compiled files (apps/cli/dist and the dist/ of every workspace package it depends on) can stand in
// for its TypeScript sources. `pnpm build` and scripts/setup.sh, after a build that succeeded, record a stamp: for each
// package, a hash of its sources (and configuration files) and a hash of its compiled .js files. `pnpm vib`
// (scripts/vib.mjs) runs the compiled CLI only where both hashes still hold for every package: a source edited, a
// branch checked out, or one package built on its own since the stamp sends it to the sources instead. Contents, not
// file times, decide, since turbo's cache gives back a build's files with the times they had when it stored them.
//   node scripts/built-cli.mjs --stamp   record the stamp (after a build)
//   node scripts/built-cli.mjs           say whether `pnpm vib` would run the compiled CLI (VIB_FROM_SOURCE=1
//                                        included), and if not, why; exit 0 if it would, 1 if not
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Files of a package whose change changes its build, besides its sources (tsconfig.build.json extends tsconfig.json). */
const CONFIG_FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];
/** Where the stamp lives: ignored by git, and gone with node_modules (a fresh install builds again). */
export const STAMP_FILE = join('node_modules', '.cache', 'vib', 'cli-build.json');

/**
 * Every file under `dir` (recursively) whose name `keep` accepts, relative to `root`, sorted.
 * @param {string} root
 * @param {string} dir - relative to root
 * @param {(name: string) => boolean} keep
 * @returns {string[]}
 */
function filesUnder(root, dir, keep) {
  const out = [];
  const walk = (d) => {
    let entries;
    try {
      entries = readdirSync(join(root, d), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(d, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.isFile() && keep(e.name)) out.push(path);
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * A hash of the files' names and contents (absent files count as absent).
 * @param {string} root
 * @param {string[]} files - relative to root
 * @returns {string}
 */
function hashFiles(root, files) {
  const h = createHash('sha256');
  for (const f of files) {
    let bytes;
    try {
      bytes = readFileSync(join(root, f));
    } catch {
      continue;
    }
    h.update(`${f}\0${bytes.length}\0`).update(bytes);
  }
  return h.digest('hex');
}

/**
 * The workspace packages a package depends on (`workspace:` ranges), itself first, each once, as directories
 * relative to the root.
 * @param {string} root - the repository root
 * @param {string} dir - the package's directory, relative to the root
 * @returns {string[]}
 */
export function workspaceClosure(root, dir) {
  const byName = new Map();
  for (const group of ['packages', 'apps']) {
    for (const name of safeList(join(root, group))) {
      const manifest = readManifest(join(root, group, name));
      if (manifest?.name) byName.set(manifest.name, join(group, name));
    }
  }
  const seen = [];
  const visit = (d) => {
    if (seen.includes(d)) return;
    seen.push(d);
    const deps = readManifest(join(root, d))?.dependencies ?? {};
    for (const [name, range] of Object.entries(deps)) {
      if (String(range).startsWith('workspace:') && byName.has(name)) visit(byName.get(name));
    }
  };
  visit(dir);
  return seen;
}

/**
 * The hashes of each package of the CLI's closure that builds a dist/ (its `build` script): its sources (src/, less
 * tests, which the build leaves out, and its configuration files) and its compiled .js files.
 * @param {string} root - the repository root
 * @returns {Record<string, { sources: string, build: string, built: boolean }>}
 */
export function cliFingerprint(root) {
  const out = {};
  for (const dir of workspaceClosure(root, join('apps', 'cli'))) {
    if (!readManifest(join(root, dir))?.scripts?.build) continue;
    const sources = [...filesUnder(root, join(dir, 'src'), (n) => !/\.test\.[cm]?tsx?$/.test(n)), ...CONFIG_FILES.map((f) => join(dir, f))];
    const build = filesUnder(root, join(dir, 'dist'), (n) => n.endsWith('.js'));
    out[dir] = { sources: hashFiles(root, sources), build: hashFiles(root, build), built: build.length > 0 };
  }
  return out;
}

/**
 * Record the stamp for the build now on disk (call it after a build that succeeded), atomically.
 * @param {string} root - the repository root
 * @returns {string} the stamp's path
 */
export function writeStamp(root) {
  const file = join(root, STAMP_FILE);
  mkdirSync(join(file, '..'), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify({ packages: cliFingerprint(root) }, null, 1)}\n`);
  renameSync(tmp, file);
  return file;
}

/**
 * Whether the compiled CLI may run in place of its sources, and if not, why.
 * @param {string} root - the repository root
 * @returns {{ fresh: true } | { fresh: false, reason: string }}
 */
export function builtCliState(root) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, STAMP_FILE), 'utf8')).packages;
  } catch {
    return { fresh: false, reason: 'no build recorded (pnpm build records one)' };
  }
  const now = cliFingerprint(root);
  for (const [dir, f] of Object.entries(now)) {
    const was = stamp?.[dir];
    if (!f.built) return { fresh: false, reason: `${dir} has no build (no .js file in its dist/)` };
    if (!was) return { fresh: false, reason: `${dir} was not part of the recorded build` };
    if (was.sources !== f.sources) return { fresh: false, reason: `${dir}'s sources changed since the recorded build` };
    if (was.build !== f.build) return { fresh: false, reason: `${dir}'s dist/ changed since the recorded build` };
  }
  return { fresh: true };
}

/**
 * What `pnpm vib` runs: the compiled CLI where {@link builtCliState} finds the recorded build fresh, unless
 * VIB_FROM_SOURCE=1 asks for the sources.
 * @param {string} root - the repository root
 * @param {Record<string, string | undefined>} [env] - the environment (default: this process's)
 * @returns {{ fresh: true } | { fresh: false, reason: string }}
 */
export function cliToRun(root, env = process.env) {
  return env.VIB_FROM_SOURCE === '1' ? { fresh: false, reason: 'VIB_FROM_SOURCE=1' } : builtCliState(root);
}

/** @param {string} dir */
function safeList(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** @param {string} dir */
function readManifest(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  if (process.argv[2] === '--stamp') console.log(`built-cli: recorded the build in ${relative(root, writeStamp(root))}`);
  else {
    const state = cliToRun(root);
    console.log(state.fresh ? 'pnpm vib runs the compiled CLI' : `pnpm vib runs the sources through tsx: ${state.reason}`);
    process.exitCode = state.fresh ? 0 : 1;
  }
}
