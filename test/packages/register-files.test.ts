// Each @vib package that contributes plugins registers them from one file in the same place: src/register.ts
// (as tfjs-backend-cpu lists its kernels in one file), re-exported by the package's barrel.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const expected: Record<string, string> = {
  core: 'registerCore',
  priors: 'registerPriors',
  layers: 'registerControllers',
  tasks: 'registerTasks',
  data: 'registerDatasets',
  backends: 'registerBackends',
};

describe('plugin registration files', () => {
  for (const [pkg, fn] of Object.entries(expected)) {
    it(`@vib/${pkg} registers its plugins from src/register.ts (${fn}), exported by its index`, async () => {
      const register = await readFile(join(repo, 'packages', pkg, 'src', 'register.ts'), 'utf8');
      expect(register).toMatch(new RegExp(`export function ${fn}\\(registry: Registry\\)`));
      const index = await readFile(join(repo, 'packages', pkg, 'src', 'index.ts'), 'utf8');
      expect(index).toMatch(new RegExp(`export \\{[^}]*\\b${fn}\\b[^}]*\\} from '\\./register\\.js'`));
    });
  }

  it('no other file of a library package defines a register function that takes a registry', async () => {
    const { execFileSync } = await import('node:child_process');
    const hits = execFileSync('git', ['grep', '-lE', '^export function register[A-Z][A-Za-z]*\\(registry: Registry\\)', '--', 'packages/*/src/*.ts', 'packages/*/src/**/*.ts'], { cwd: repo, encoding: 'utf8' })
      .trim().split('\n').filter((f) => !f.endsWith('.test.ts'));
    const allowed = new Set([
      ...Object.keys(expected).map((p) => `packages/${p}/src/register.ts`),
      // the parts core's registerCore composes, and the opt-in embedded digits (@vib/data/mnist)
      'packages/core/src/estimators/plugins/register-estimators.ts',
      'packages/core/src/attacks/register-attacks.ts',
      'packages/data/src/mnist/register-mnist.ts',
    ]);
    expect(hits.filter((f) => !allowed.has(f))).toEqual([]);
  });
});
