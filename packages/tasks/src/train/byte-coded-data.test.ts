import * as tf from '@tensorflow/tfjs';
import { byteCodedSplit, type Dataset, type DataSplit } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/parse-experiment-config.js';
import { gatherBatch } from '../evaluate/split-batches.js';
import { testRegistry, toyDataset } from '../testing/fixtures.js';
import { dataFingerprint } from './data-fingerprint.js';
import { train } from './train.js';

const registry = testRegistry();
const PIXELS = Float32Array.from({ length: 256 }, (_, b) => b / 255);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The toy dataset with its inputs rounded to bytes: once byte-coded, once as the plain float32 twin. */
function twins(): { coded: Dataset; plain: Dataset } {
  const toy = toyDataset(60, 24);
  const codes = (s: DataSplit) => Uint8Array.from(s.x, (v) => Math.round(v * 255));
  const coded = (s: DataSplit) => byteCodedSplit(codes(s), PIXELS, s.y, s.n);
  const plain = (s: DataSplit) => ({ x: Float32Array.from(codes(s), (b) => b / 255), y: s.y, n: s.n });
  return {
    coded: { ...toy, train: coded(toy.train), test: coded(toy.test) },
    plain: { ...toy, train: plain(toy.train), test: plain(toy.test) },
  };
}

const config = () =>
  parseExperimentConfig(
    { dataset: { name: 'toy' }, encoder: { hidden: [8] }, latentDim: 2, epochs: 2, batchSize: 16, seed: 5, evalSamples: 3, optimizer: { learningRate: 0.01 }, beta: 0.01 },
    registry,
  );

describe('a byte-coded dataset (the IDX and embedded-digit loaders make them)', () => {
  it('trains and evaluates to the same bits as its float32 twin without building x, and fingerprints the same', async () => {
    const { coded, plain } = twins();
    expect(dataFingerprint(coded)).toEqual(dataFingerprint(plain));
    const a = await train({ config: config(), registry, dataset: coded });
    const b = await train({ config: config(), registry, dataset: plain });
    const weights = (r: typeof a) => r.model.model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(weights(a)).toEqual(weights(b));
    const timeless = (r: typeof a) => r.history.map(({ seconds: _s, ...m }) => m);
    expect(timeless(a)).toEqual(timeless(b));
    // checks, batches, the evaluation's batches and the fingerprint all read the codes
    expect(coded.train.coded).toBeDefined();
    expect(coded.test.coded).toBeDefined();
  });

  it('gatherBatch gives the twin\'s batch', async () => {
    const { coded, plain } = twins();
    const order = [5, 59, 0, 31];
    const a = gatherBatch(coded.train, [6], order);
    const b = gatherBatch(plain.train, [6], order);
    expect(await a.x.data()).toEqual(await b.x.data());
    expect(await a.y.data()).toEqual(await b.y.data());
    tf.dispose([a.x, a.y, b.x, b.y]);
  });
});
