import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors/config-error.js';
import { DuplicatePluginError } from '../../errors/duplicate-plugin-error.js';
import { createRegistry } from '../../registry/registry.js';
import '../../plugins/kinds.js';
import { binningInformation } from '../binning.js';
import { kdeInformation } from '../kde.js';
import { dvLowerBound } from '../mine.js';
import { registerEstimators } from './register-estimators.js';
import { estimateInformation } from './estimate-information.js';
import { resolvePluginRef } from '../../config/resolve-plugin-ref.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const activations = { data: Float64Array.from([0, 0.1, 0.4, 0.5, 0.9, 1, -0.3, 0.2]), n: 4, d: 2 };
const labels = [0, 1, 0, 1];

describe('registerEstimators', () => {
  it('registers the seven estimators under kind "estimator", once', () => {
    const registry = createRegistry();
    registerEstimators(registry);
    expect(registry.names('estimator')).toEqual(['binning', 'kde-upper', 'kde-lower', 'infonce', 'nwj', 'js', 'mine']);
    expect(() => registerEstimators(registry)).toThrow(DuplicatePluginError);
  });

  it('activation plugins return what the functions compute, with defaults applied', () => {
    const registry = createRegistry();
    registerEstimators(registry);
    const binning = registry.get('estimator', 'binning');
    if (binning.input !== 'activations') throw new Error('binning should take activations');
    const r = binning.estimate({ activations, labels }, binning.configSchema.parse({}));
    const direct = binningInformation(activations, labels, { bins: 30 });
    expect(r.ixt?.nats).toBe(direct.ixt.nats);
    expect(r.ity?.bits).toBe(direct.ity.bits);
    for (const side of ['upper', 'lower'] as const) {
      const kde = registry.get('estimator', `kde-${side}`);
      if (kde.input !== 'activations') throw new Error('kde should take activations');
      const k = kde.estimate({ activations, labels }, { noiseVariance: 0.2 });
      expect(k.ixt?.nats).toBeCloseTo(kdeInformation(activations, labels, { noiseVariance: 0.2 })[side].ixt.nats, 12);
    }
  });

  it('score plugins report the bound in nats and bits; InfoNCE reports its log B ceiling', () => {
    const registry = createRegistry();
    registerEstimators(registry);
    const scores = tf.tensor2d([[2, 0, -1], [0.5, 1, 0], [0, -0.5, 3]]);
    const infonce = registry.get('estimator', 'infonce');
    const mine = registry.get('estimator', 'mine');
    if (infonce.input !== 'scores' || mine.input !== 'scores') throw new Error('critic bounds take scores');
    const nce = infonce.estimate(scores, {});
    expect(nce.extraNats?.['ceiling']).toBeCloseTo(Math.log(3), 12);
    expect(nce.mi!.nats).toBeLessThanOrEqual(Math.log(3));
    expect(nce.mi!.bits).toBeCloseTo(nce.mi!.nats / Math.LN2, 12);
    const dv = dvLowerBound(scores).dataSync()[0]!;
    expect(mine.estimate(scores, { emaDecay: 0.9 }).mi?.nats).toBeCloseTo(dv, 5);
    expect(mine.createObjective({ emaDecay: 0.9 }).loss(scores).dataSync()[0]).toBeCloseTo(-dv, 5);
    const nwj = registry.get('estimator', 'nwj');
    if (nwj.input !== 'scores') throw new Error('nwj takes scores');
    expect(nwj.createObjective({}).loss(scores).dataSync()[0]).toBeCloseTo(-nwj.estimate(scores, {}).mi!.nats, 5);
  });

  it('invalid configs throw ConfigError naming the field, at the entry (estimateInformation, resolvePluginRef)', () => {
    const registry = createRegistry();
    registerEstimators(registry);
    expect(() => estimateInformation(registry, 'binning', { activations, labels }, { bins: 0, range: 'data' })).toThrow(ConfigError);
    expect(() => estimateInformation(registry, 'binning', { activations, labels }, { bins: 4, range: 'elu' })).toThrow(/config\.range\b/);
    expect(() => resolvePluginRef(registry, 'estimator', { name: 'mine', config: { emaDecay: 1 } }, 'estimator')).toThrow(/estimator\.config\.emaDecay\b/);
  });
});
