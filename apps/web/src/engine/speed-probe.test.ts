import { describe, expect, it } from 'vitest';
import { describeTimings, fastest } from './speed-probe.js';

describe('speed probe choice', () => {
  it('picks the smallest measured time, skipping backends that did not start', () => {
    const t = [{ name: 'webgpu', ms: null, reason: 'no adapter' }, { name: 'webgl', ms: 230 }, { name: 'wasm', ms: 41 }];
    expect(fastest(t)).toBe('wasm');
    expect(describeTimings(t)).toBe('webgpu unavailable, webgl 230 ms, wasm 41 ms');
  });
  it('returns null when nothing ran', () => {
    expect(fastest([{ name: 'webgl', ms: null }])).toBeNull();
  });
});
