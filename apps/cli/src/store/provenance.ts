import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The packages whose versions a run records. */
const PACKAGES = ['@vib/core', '@vib/priors', '@vib/layers', '@vib/tasks', '@vib/data', '@vib/backends', '@vib/store', '@tensorflow/tfjs'] as const;

/**
 * The git revision of the repository holding `cwd`, with `-dirty` when it has uncommitted changes;
 * null outside a repository or without git.
 * @param cwd - the folder (default the working directory)
 * @returns e.g. `d9ce8a0f…-dirty`, or null
 */
export function gitRevision(cwd: string = process.cwd()): string | null {
  try {
    const opts = { cwd, encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'], timeout: 3000 };
    const rev = execFileSync('git', ['rev-parse', 'HEAD'], opts).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], opts).trim().length > 0;
    return dirty ? `${rev}-dirty` : rev;
  } catch {
    return null;
  }
}

let cached: Record<string, string> | null = null;

/**
 * Versions of the vib packages, TensorFlow.js and Node in this process.
 * @returns name → version
 */
export function packageVersions(): Record<string, string> {
  if (cached) return cached;
  const out: Record<string, string> = { node: process.versions.node };
  for (const name of PACKAGES) {
    try {
      const file = require.resolve(`${name}/package.json`);
      out[name] = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    } catch {
      // not installed here: leave it out
    }
  }
  cached = out;
  return out;
}
