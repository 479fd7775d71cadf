import { ConfigError } from '@vib/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, parseParams } from './params.js';

describe('parseParams', () => {
  it('returns the defaults for an empty query', () => {
    expect(parseParams('')).toEqual(DEFAULT_PARAMS);
  });
  it('reads every setting', () => {
    const p = parseParams('?backend=cpu&dataset=tishby-12bit&train=300&test=100&epochs=4&beta=0.01&prior=uniform&k=3&autostart=1');
    expect(p).toEqual({ backend: 'cpu', dataset: 'tishby-12bit', train: 300, test: 100, epochs: 4, beta: 0.01, prior: 'uniform', k: 3, autostart: true });
  });
  it('names the parameter and value it rejects', () => {
    expect(() => parseParams('?backend=cuda')).toThrow(ConfigError);
    expect(() => parseParams('?backend=cuda')).toThrow(/backend=cuda is not one of auto, webgpu, webgl, wasm, cpu/);
    expect(() => parseParams('?train=12.5')).toThrow(/train=12.5 must be an integer in \[16, 8000\]/);
    expect(() => parseParams('?beta=-1')).toThrow(/beta=-1/);
    expect(() => parseParams('?lr=1')).toThrow(/unknown URL parameter "lr"/);
  });
  it('leaves tfjsflags to TensorFlow.js', () => {
    expect(parseParams('?tfjsflags=WEBGL_PACK:false&k=3').k).toBe(3);
  });
});
