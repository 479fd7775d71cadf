import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

describe('the vib binary (main.ts)', () => {
  it('exits 2 (a usage error) with one error line and no stack for a bad flag value', () => {
    const r = spawnSync(process.execPath, ['--conditions=@vib/source', '--import', 'tsx', 'apps/cli/src/main.ts', 'train', '--beta', '-2'], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['vib: error: --beta -2 is out of range: it must be a number ≥ 0 (β weighs the rate term), e.g. --beta 1e-3']);
    expect(r.stdout).toBe('');
  });
  it('prints help with exit code 0', () => {
    const r = spawnSync(process.execPath, ['--conditions=@vib/source', '--import', 'tsx', 'apps/cli/src/main.ts', '--help'], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    for (const c of ['train', 'eval', 'sweep', 'infoplane', 'interpolate', 'backends']) expect(r.stdout).toContain(c);
  });
});
