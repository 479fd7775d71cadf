import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry } from '@vib/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlugin } from './registry.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vib-plugin-load-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** The error loadPlugin rejects with: exit code and message. */
async function refused(spec: string): Promise<{ exitCode: unknown; message: string }> {
  const e = await loadPlugin(createRegistry(), spec).then(() => null, (err: unknown) => err);
  if (e === null) throw new Error(`loaded ${spec}`);
  return { exitCode: (e as { details?: Record<string, unknown> }).details?.['exitCode'], message: (e as Error).message };
}

describe('loadPlugin: a module that does not exist is a usage error (exit code 2)', () => {
  it('a package name or a path that names nothing', async () => {
    for (const spec of ['nope-vib-pkg', '@nope/vib-pkg/sub', './no-such-vib-plugin.mjs', join(dir, 'none.mjs')]) {
      const r = await refused(spec);
      expect(r.exitCode).toBe(2);
      expect(r.message).toMatch(new RegExp(`^--plugin ${spec.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot load the module \\(.*\\); pass an installed package name or a path`));
    }
  });

  it('a module that exists but fails to load is its own failure (exit code 1)', async () => {
    const f = join(dir, 'needs-missing-dep.mjs');
    await writeFile(f, "import 'nope-vib-dependency';\nexport function registerX() {}\n");
    const r = await refused(f);
    expect(r.exitCode).toBeUndefined();
    expect(r.message).toMatch(/cannot load the module \(Cannot find package 'nope-vib-dependency'/);
  });
});
