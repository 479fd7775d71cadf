import { ConfigError, NoSuchPluginError } from '@vib/core';
import { describe, expect, it } from 'vitest';
import { testRegistry } from '../testing/fixtures.js';
import { parseExperimentConfig } from './parse-experiment-config.js';

const registry = testRegistry();

describe('parseExperimentConfig', () => {
  it('fills defaults and folds beta into a fixed controller', () => {
    const c = parseExperimentConfig({ dataset: { name: 'toy' }, beta: 0.01, latentDim: 4 }, registry);
    expect(c.controller).toEqual({ name: 'fixed', config: { beta: 0.01 } });
    expect(c.prior.name).toBe('standard-normal');
    expect(c.dataset.config).toEqual({ n: 200 });
    expect(c.optimizer.learningRate).toBe(1e-3);
  });

  it('names the field path and the value of a bad plugin config', () => {
    const bad = { dataset: { name: 'toy' }, controller: { name: 'fixed', config: { beta: -1 } } };
    expect(() => parseExperimentConfig(bad, registry)).toThrow(ConfigError);
    expect(() => parseExperimentConfig(bad, registry)).toThrow(/controller\.config\.beta: .*got -1/);
    expect(() => parseExperimentConfig({ dataset: { name: 'toy' }, epochs: 0 }, registry)).toThrow(/epochs: .*got 0/);
  });

  it('lists the registered names for an unknown plugin', () => {
    const run = () => parseExperimentConfig({ dataset: { name: 'toy' }, prior: { name: 'cauchy' } }, registry);
    expect(run).toThrow(NoSuchPluginError);
    expect(run).toThrow(/standard-normal.*uniform/);
  });

  it('rejects beta with a controller, and a prior that does not pair with the posterior', () => {
    expect(() =>
      parseExperimentConfig({ dataset: { name: 'toy' }, beta: 1, controller: { name: 'fixed' } }, registry),
    ).toThrow(/either "beta".*or "controller"/);
    expect(() => parseExperimentConfig({ dataset: { name: 'toy' }, prior: { name: 'uniform' } }, registry)).toThrow(
      /posterior: prior "uniform" does not pair/,
    );
  });
});
