import type { EpochMetrics } from '@vib/tasks';
import { describe, expect, it } from 'vitest';
import { epochLine } from './epoch-line.js';
import { ProgressBar } from './progress.js';

const metrics = (extra: Partial<EpochMetrics> = {}): EpochMetrics => ({
  epoch: 3, loss: 0.21041, taskLoss: 0.15, trainAccuracy: 0.94213, testAccuracy: 0.948, testSampledAccuracy: 0.947,
  testLoss: 0.18, reconstructionNats: null, rateNats: 42.4, rateBits: 61.2049, rateExact: true, izyNats: 2.13, izyBits: 3.0712,
  testRateBits: 60.8512, testIzyBits: 2.9, beta: 0.001, controllerState: { beta: 0.001 }, klPerDimNats: null, learningRate: 1e-3,
  seconds: 0.93, ...extra,
});

describe('epochLine', () => {
  it('puts each figure under the split it was measured on', () => {
    expect(epochLine(metrics(), 8)).toBe(
      'epoch 3/8 train: loss 0.2104, acc 0.9421, rate 61.20 bits, I(Z;Y) ≥ 3.071 bits | test: acc 0.9480 (mean code), rate 60.85 bits | β=0.00100 (0.9s)',
    );
  });

  it('gives a reconstruction run its test −log q(y|z) in nats (not "loss": the training loss adds β·KL) and no accuracy or I(Z;Y), and marks an estimated rate', () => {
    const line = epochLine(metrics({ trainAccuracy: null, testAccuracy: null, testSampledAccuracy: null, izyBits: null, izyNats: null, testLoss: 131.356, rateExact: false }), 8);
    expect(line).toBe(
      'epoch 3/8 train: loss 0.2104, rate 61.20 bits (Monte Carlo estimate, not a bound) | test: −log q(y|z) 131.36 nats (mean code), rate 60.85 bits (Monte Carlo estimate, not a bound) | β=0.00100 (0.9s)',
    );
  });

  it("adds a task's own metrics under their split (a regression task's mse), accuracy once", () => {
    const line = epochLine(
      metrics({ trainAccuracy: null, testAccuracy: null, izyBits: null, testLoss: 1.25, trainTaskMetrics: { mse: 0.31234 }, testTaskMetrics: { mse: 0.28 } }),
      8,
    );
    expect(line).toBe('epoch 3/8 train: loss 0.2104, mse 0.3123, rate 61.20 bits | test: −log q(y|z) 1.25 nats (mean code), mse 0.2800 (mean code), rate 60.85 bits | β=0.00100 (0.9s)');
    expect(epochLine(metrics({ trainTaskMetrics: { accuracy: 0.94213 }, testTaskMetrics: { accuracy: 0.948 } }), 8)).toBe(epochLine(metrics(), 8));
  });
});

describe('ProgressBar', () => {
  const lines = (stats: Parameters<ProgressBar['batch']>[2]) => {
    const out: string[] = [];
    const bar = new ProgressBar({ write: (t: string) => out.push(t) }, 2, 4);
    for (let b = 0; b < 4; b++) bar.batch(0, b, stats);
    return out;
  };

  it('labels its figures as the epoch’s running training means, one plain line a quarter epoch off a terminal', () => {
    const out = lines({ loss: 0.61234, accuracy: 0.7571, rateBits: 6.153, rateExact: true });
    expect(out).toHaveLength(4);
    expect(out[3]).toMatch(/^epoch 1\/2 \[#{20}\] train so far: loss 0\.6123, acc 0\.757, rate 6\.15 bits \| ETA \d+s\n$/);
  });

  it("starts each line with the run's label, so a sweep's points can be told apart", () => {
    const out: string[] = [];
    const bar = new ProgressBar({ write: (t: string) => out.push(t) }, 2, 4, false, '[beta=0.001]');
    bar.batch(0, 3, { loss: 0.5 });
    expect(out[0]).toMatch(/^\[beta=0\.001\] epoch 1\/2 \[#{20}\] train so far: loss 0\.5000/);
  });

  it('leaves accuracy out where the task has none, and marks an estimated rate', () => {
    expect(lines({ loss: 131.2, rateBits: 25.45, rateExact: false })[0]).toMatch(/train so far: loss 131\.2000, rate 25\.45 bits \(Monte Carlo estimate\) \| ETA/);
  });
});
