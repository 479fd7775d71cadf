import { BackendError, createRegistry } from '@vib/core';
import { describe, expect, it } from 'vitest';
import type { BackendPlugin, Environment } from '../backend-plugin.js';
import { tensorflowBackend, tensorflowGpuBackend } from '../plugins/library-backends.js';
import { describeBackends, formatBackendTable } from './describe-backends.js';
import { registerBackends } from '../register.js';
import { selectBackend } from './select-backend.js';

/** A fake backend that records setup calls. */
function fake(name: string, priority: number, opts: { available?: boolean; fails?: boolean; environments?: Environment[] } = {}) {
  const calls: string[] = [];
  const plugin: BackendPlugin = {
    name,
    description: `fake ${name}`,
    priority,
    environments: opts.environments ?? ['node', 'browser'],
    isAvailable: async () => ({ available: opts.available ?? true, reason: opts.available === false ? `${name} is absent` : `${name} is here` }),
    setup: async () => {
      calls.push(name);
      if (opts.fails) throw new Error(`${name} exploded`);
      return { name, tier: 'stock', reason: `${name} set up`, threads: 3 };
    },
  };
  return { plugin, calls };
}

function registryOf(...plugins: BackendPlugin[]) {
  const registry = createRegistry();
  for (const p of plugins) registry.register('backend', p);
  return registry;
}

describe('selectBackend', () => {
  it('picks by priority, skipping unavailable and failing backends, and says why', async () => {
    const gpu = fake('gpu', 100, { available: false });
    const broken = fake('broken', 50, { fails: true });
    const slow = fake('slow', 10);
    const used = await selectBackend(registryOf(slow.plugin, gpu.plugin, broken.plugin), { environment: 'node' });
    expect(used.name).toBe('slow');
    expect(used.threads).toBe(3);
    expect(used.skipped.map((s) => s.name)).toEqual(['gpu', 'broken']);
    expect(used.skipped[0]?.reason).toBe('gpu is absent');
    expect(used.skipped[1]?.reason).toMatch(/setup failed: broken exploded/);
    expect(used.reason).toMatch(/slow set up; skipped gpu \(gpu is absent\), broken/);
    expect(gpu.calls).toEqual([]); // unavailable backends are never set up
  });

  it('tries the preferred backend first, then falls back by priority', async () => {
    const a = fake('a', 100);
    const b = fake('b', 10, { fails: true });
    const used = await selectBackend(registryOf(a.plugin, b.plugin), { preferred: 'b', environment: 'node' });
    expect([...b.calls, ...a.calls]).toEqual(['b', 'a']);
    expect(used.name).toBe('a');
  });

  it('skips backends of another environment', async () => {
    const web = fake('web', 100, { environments: ['browser'] });
    const any = fake('any', 1);
    const used = await selectBackend(registryOf(web.plugin, any.plugin), { environment: 'node' });
    expect(used.name).toBe('any');
    expect(used.skipped[0]?.reason).toMatch(/browser only, not node/);
  });

  it('throws BackendError listing every reason when nothing works, and for unknown or strict misses', async () => {
    const x = fake('x', 5, { available: false });
    await expect(selectBackend(registryOf(x.plugin), { environment: 'node' })).rejects.toThrow(/no backend could be set up for node: x: x is absent/);
    await expect(selectBackend(registryOf(x.plugin), { preferred: 'nope' })).rejects.toThrow(/unknown backend "nope": choose one of x/);
    const y = fake('y', 1);
    const err = await selectBackend(registryOf(x.plugin, y.plugin), { preferred: 'x', strict: true }).catch((e: unknown) => e);
    expect(BackendError.isInstance(err)).toBe(true);
    expect(y.calls).toEqual([]);
  });
});

describe('built-in backends', () => {
  it('registers six backends in priority order', () => {
    const registry = createRegistry();
    registerBackends(registry);
    expect(registry.names('backend')).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'webgl', 'wasm', 'cpu']);
  });

  it('reports an absent @tensorflow/tfjs-node-gpu with a clear reason instead of crashing', async () => {
    const a = await tensorflowGpuBackend.isAvailable();
    expect(a.available).toBe(false);
    expect(a.reason).toMatch(/@tensorflow\/tfjs-node-gpu is not installed: it needs internet at install to download libtensorflow/);
    await expect(tensorflowGpuBackend.setup()).rejects.toThrow(/backend "tensorflow-gpu" is unavailable/);
    expect((await tensorflowBackend.isAvailable()).reason).toMatch(/@tensorflow\/tfjs-node is not installed/);
  });

  it('describes every backend, highest priority first, without activating any', async () => {
    const registry = createRegistry();
    registerBackends(registry);
    const rows = await describeBackends(registry, 'node');
    expect(rows.map((r) => r.name)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'webgl', 'wasm', 'cpu']);
    expect(rows.find((r) => r.name === 'cpu')?.available).toBe(true);
    expect(rows.find((r) => r.name === 'wasm')?.available).toBe(true);
    expect(rows.find((r) => r.name === 'webgl')?.reason).toMatch(/browser only/);
    expect(formatBackendTable(rows).split('\n')).toHaveLength(6);
  });
});
