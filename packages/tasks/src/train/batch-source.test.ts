import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { toyDataset } from '../testing/fixtures.js';
import { batchSource } from './batch-source.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('batchSource', () => {
  it('gives the same batches resident on the backend as copied from the arrays, with one upload per epoch', async () => {
    const { train } = toyDataset(23, 2, 5);
    const order = Int32Array.from([4, 17, 0, 22, 9, 3, 11, 8, 1, 20, 5, 14, 7, 2, 19, 6, 13, 10, 16, 21, 12, 15, 18]);
    const host = batchSource(train, [5], false);
    const device = batchSource(train, [5], true);
    expect([host.resident, device.resident]).toEqual([false, true]);
    host.beginEpoch(order);
    device.beginEpoch(order);
    const before = tf.memory().numTensors;
    for (const [start, end] of [[0, 10], [10, 20], [20, 23]] as const) {
      const a = host.batch(start, end);
      const b = device.batch(start, end);
      expect(b.x.shape).toEqual([end - start, 5]);
      expect(Array.from(await b.x.data())).toEqual(Array.from(await a.x.data()));
      expect(Array.from(await b.y.data())).toEqual(Array.from(order.subarray(start, end), (j) => train.y[j]));
      tf.dispose([a.x, a.y, b.x, b.y]);
    }
    expect(tf.memory().numTensors).toBe(before); // slices and gathers are freed with the batch
    device.dispose();
    expect(tf.memory().numTensors).toBe(before - 3); // the split's x and y, and the epoch's order
  });

  it('keeps the split on the device by default only on GPU backends', () => {
    const { train } = toyDataset(4, 2, 3);
    const s = batchSource(train, [3]);
    expect(s.resident).toBe(false); // cpu
    s.dispose();
  });
});
