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

  it('says what to pass when the registry is missing (it failed reading "get" of undefined)', () => {
    for (const none of [undefined, null, {}]) {
      expect(() => parseExperimentConfig({ dataset: { name: 'toy' } }, none as never)).toThrow(ConfigError);
      expect(() => parseExperimentConfig({ dataset: { name: 'toy' } }, none as never)).toThrow(
        "parseExperimentConfig needs the plugin registry that resolves the config's names: pass createDefaultRegistry() from @vib/kit, or your own",
      );
    }
  });

  it('names the field path and the value of a bad plugin config', () => {
    const bad = { dataset: { name: 'toy' }, controller: { name: 'fixed', config: { beta: -1 } } };
    expect(() => parseExperimentConfig(bad, registry)).toThrow(ConfigError);
    expect(() => parseExperimentConfig(bad, registry)).toThrow(/controller\.config\.beta: .*got -1/);
    expect(() => parseExperimentConfig({ dataset: { name: 'toy' }, epochs: 0 }, registry)).toThrow(/epochs: .*got 0/);
  });

  it('bounds the sizes that allocate: K and every hidden width, in a config file as on the command line', () => {
    const parse = (extra: object) => () => parseExperimentConfig({ dataset: { name: 'toy' }, ...extra }, registry);
    expect(parse({ latentDim: 10_000_000 })).toThrow(/latentDim: .*4096.*got 10000000/);
    expect(parse({ encoder: { hidden: [64, 100_000] } })).toThrow(/encoder\.hidden\.1: .*8192.*got 100000/);
    expect(parse({ latentDim: 4096, encoder: { hidden: [8192] } })().latentDim).toBe(4096);
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

  it('is strict at every level: each unknown key is named with where it is and the nearest valid key', () => {
    const repro = { dataset: 'toy', betta: 0.5, encoder: { hiden: [32] }, optimizer: { learningrate: 0.5 } };
    let message = '';
    try {
      parseExperimentConfig(repro, registry);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as ConfigError).message;
    }
    expect(message).toContain('unknown key "betta" at the top level: did you mean "beta"?');
    expect(message).toContain('unknown key "hiden" in "encoder": did you mean "hidden"?');
    expect(message).toContain('unknown key "learningrate" in "optimizer": did you mean "learningRate"?');
    expect(() => parseExperimentConfig({ dataset: 'toy', prior: { name: 'laplace', confg: {} } }, registry)).toThrow(
      /unknown key "confg" in "prior": did you mean "config"\?/,
    );
    expect(() => parseExperimentConfig({ dataset: 'toy', zzzzzz: 1 }, registry)).toThrow(/unknown key "zzzzzz" at the top level: valid keys are dataset, /);
    expect(() => parseExperimentConfig({ dataset: 'toy', task: { name: 'reconstruction', config: { hiden: [4] } } }, registry)).toThrow(
      /unknown key "hiden" in "task\.config": did you mean "hidden"\?/,
    );
  });

  it('accepts the string shorthand for plugin references', () => {
    const c = parseExperimentConfig({ dataset: 'toy', prior: 'laplace', controller: 'hinge', task: 'classification' }, registry);
    expect(c.prior).toEqual({ name: 'laplace', config: parseExperimentConfig({ dataset: 'toy', prior: { name: 'laplace' } }, registry).prior.config });
    expect(c.dataset).toEqual({ name: 'toy', config: { n: 200 } });
    expect(c.controller.name).toBe('hinge');
  });
});
