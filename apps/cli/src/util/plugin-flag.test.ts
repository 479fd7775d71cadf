import { createRegistry } from '@vib/core';
import { describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../sweep/redis-url.js';
import { parseTags } from '../store/store-flags.js';
import { pluginFlag } from './plugin-flag.js';

/** The exit code a thrown error carries in its details. */
function exitCodeOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return (e as { details?: Record<string, unknown> }).details?.['exitCode'];
  }
  throw new Error('did not throw');
}

describe('values checked after a lookup are still usage errors (exit code 2)', () => {
  it('pluginFlag returns the plugin, or refuses an unknown name listing the registered ones', () => {
    const registry = createRegistry();
    registry.register('prior', { name: 'standard-normal' } as never);
    registry.register('prior', { name: 'laplace' } as never);
    expect(pluginFlag(registry, 'prior', '--prior', 'laplace').name).toBe('laplace');
    expect(() => pluginFlag(registry, 'prior', '--prior', 'foo')).toThrow(
      '--prior foo: unknown prior "foo": registered priors are standard-normal, laplace; pass one of them, or --plugin a module that registers "foo"',
    );
    expect(exitCodeOf(() => pluginFlag(registry, 'prior', '--prior', 'foo'))).toBe(2);
    expect(exitCodeOf(() => pluginFlag(registry, 'backend', '--backend', 'foo'))).toBe(2);
  });

  it('suggests the nearest registered name when one is close', () => {
    const registry = createRegistry();
    registry.register('prior', { name: 'standard-normal' } as never);
    registry.register('prior', { name: 'laplace' } as never);
    expect(() => pluginFlag(registry, 'prior', '--prior', 'laplce')).toThrow(
      '--prior laplce: unknown prior "laplce" (did you mean "laplace"?): registered priors are standard-normal, laplace; pass one of them, or --plugin a module that registers "laplce"',
    );
  });

  it('--tag without = and a malformed --queue URL', () => {
    expect(exitCodeOf(() => parseTags(['foo']))).toBe(2);
    for (const url of ['http://x', 'not a url', 'redis://h/x']) expect(exitCodeOf(() => parseRedisUrl(url))).toBe(2);
  });
});
