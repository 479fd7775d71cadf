import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registry } from '@vib/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRawConfig, readJsonConfig, type ExperimentFlags } from './experiment-options.js';
import { createCliRegistry } from './registry.js';

let registry: Registry;
let dir = '';
beforeAll(async () => {
  registry = await createCliRegistry();
  dir = await mkdtemp(join(tmpdir(), 'vib-options-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** The usage error buildRawConfig rejects with: exit code and message. */
async function refused(flags: ExperimentFlags): Promise<{ exitCode: unknown; message: string }> {
  const e = await buildRawConfig(flags, registry).then(() => null, (err: unknown) => err);
  if (e === null) throw new Error(`accepted ${JSON.stringify(flags)}`);
  return { exitCode: (e as { details?: Record<string, unknown> }).details?.['exitCode'], message: (e as Error).message };
}

describe('buildRawConfig: a bad flag value is a usage error (exit code 2), found before the config schema', () => {
  it('names, listing the known ones: --activation, --prior, --task', async () => {
    expect(await refused({ activation: 'foo' })).toEqual({ exitCode: 2, message: '--activation foo is unknown: choose from relu, tanh, elu, sigmoid' });
    const prior = await refused({ prior: 'foo' });
    expect(prior.exitCode).toBe(2);
    expect(prior.message).toMatch(/^--prior foo: unknown prior "foo": registered priors are standard-normal, .*laplace/);
    const task = await refused({ task: 'foo' });
    expect(task.exitCode).toBe(2);
    expect(task.message).toMatch(/^--task foo: unknown task "foo": registered tasks are classification, reconstruction/);
  });

  it('numbers the schema would call "Too big", and sizes that would not fit in memory', async () => {
    expect((await refused({ epochs: '99999999999999999999' })).exitCode).toBe(2);
    expect((await refused({ seed: '1e30' })).exitCode).toBe(2);
    expect(await refused({ latentDim: '10000000' })).toEqual({ exitCode: 2, message: '--latent-dim 10000000 is too big: it must be at most 4096 (the bottleneck holds hidden × 2K weights), e.g. --latent-dim 2' });
    expect((await refused({ hidden: '64,100000' })).message).toMatch(/^--hidden 100000 is too big: it must be at most 8192/);
    const ok = await buildRawConfig({ latentDim: '4096', hidden: '8192', seed: '9007199254740991' }, registry);
    expect([ok['latentDim'], ok['encoder'], ok['seed']]).toEqual([4096, expect.objectContaining({ hidden: [8192] }), Number.MAX_SAFE_INTEGER]);
  });

  it('refuses --beta and --prior beside --deterministic, which would ignore them', async () => {
    expect(await refused({ deterministic: true, beta: '0.5' })).toEqual({
      exitCode: 2,
      message: '--deterministic and --beta 0.5 conflict: the deterministic baseline has no rate term, so β has no effect; leave out --beta, or --deterministic to train a VIB',
    });
    expect((await refused({ deterministic: true, prior: 'laplace' })).message).toMatch(/^--deterministic and --prior laplace conflict/);
    expect((await buildRawConfig({ deterministic: true, latentDim: '8' }, registry))['model']).toBe('deterministic');
  });
});

describe('readJsonConfig', () => {
  it('names what a non-object config holds: null, an array, a number', async () => {
    for (const [text, got] of [['null', 'null'], ['[1]', 'an array'], ['3', 'a number']] as const) {
      const f = join(dir, `config-${got.replace(/\W/g, '')}.json`);
      await writeFile(f, text);
      await expect(readJsonConfig(f)).rejects.toThrow(`--config ${f} must hold a JSON object, got ${got}: write`);
    }
  });
});
