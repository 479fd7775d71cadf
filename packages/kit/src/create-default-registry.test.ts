import { createRegistry, NoSuchPluginError } from '@vib/core';
import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from './create-default-registry.js';

describe('createDefaultRegistry', () => {
  it('composes every package\'s plugins', () => {
    const r = createDefaultRegistry();
    expect(r.names('prior')).toEqual(
      expect.arrayContaining(['standard-normal', 'learnable-normal', 'uniform', 'laplace', 'mixture-of-gaussians']),
    );
    expect(r.names('controller')).toEqual(
      expect.arrayContaining(['fixed', 'hinge', 'capacity', 'dual-ascent', 'free-bits']),
    );
    expect(r.names('task')).toEqual(expect.arrayContaining(['classification', 'reconstruction']));
    expect(r.names('dataset')).toEqual(expect.arrayContaining(['tishby-12bit', 'idx', 'csv']));
    // the embedded digits (41 MB) are opt-in, from @vib/data/mnist
    expect(r.names('dataset')).not.toContain('mnist');
    expect(r.names('estimator')).toEqual(expect.arrayContaining(['binning', 'infonce']));
    expect(r.names('attack')).toEqual(['fgsm', 'pgd', 'pgd-l2']);
    expect(r.names('backend')).toEqual(expect.arrayContaining(['cpu', 'wasm']));
  });

  it('returns independent instances', () => {
    const a = createDefaultRegistry();
    const b = createDefaultRegistry();
    a.register('prior', { ...a.get('prior', 'standard-normal'), name: 'extra' });
    expect(b.has('prior', 'extra')).toBe(false);
    expect(createRegistry().has('prior', 'standard-normal')).toBe(false);
  });

  it('a third-party name that was never registered fails with the list of priors', () => {
    expect(() => createDefaultRegistry().get('prior', 'student-t')).toThrow(NoSuchPluginError);
    expect(() => createDefaultRegistry().get('prior', 'student-t')).toThrow(/standard-normal/);
  });
});
