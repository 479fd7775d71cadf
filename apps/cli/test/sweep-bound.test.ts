import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mnistDataset } from '@vib/data/mnist';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vib } from './helpers.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vib-sweep-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

/** H(Y) in bits from label counts, written out here so the test does not reuse the code under test. */
function entropyBits(labels: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) counts.set(labels[i]!, (counts.get(labels[i]!) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) h -= (c / labels.length) * Math.log2(c / labels.length);
  return h;
}

describe('vib sweep: the IB curve is measured on the test set', () => {
  it('izyTestBits = H(Y_test) − test CE (one sampled z), in bits, and differs from the training bound', async () => {
    const out = join(root, 'sweep');
    const args = ['--backend', 'cpu', '--hidden', '64', '--latent-dim', '8', '--max-train', '500', '--max-test', '300', '--epochs', '1', '--quiet'];
    const r = await vib('sweep', ...args, '--betas', '1e-3,0.1', '--out', out, '--json');
    expect(r.code).toBe(0);
    const { runs } = JSON.parse(await readFile(join(out, 'sweep.json'), 'utf8')) as {
      runs: { beta: number; izyTestBits: number; izyBits: number; testCrossEntropyNats: number; testLabelEntropyBits: number; rateBits: number }[];
    };
    const data = await mnistDataset.load({}, { maxTest: 300 });
    const hy = entropyBits(data.test.y);
    // 300 MNIST test digits: close to log2 10 ≈ 3.32 bits, never above it
    expect(hy).toBeGreaterThan(3.2);
    expect(hy).toBeLessThanOrEqual(Math.log2(10));
    for (const run of runs) {
      expect(run.testLabelEntropyBits).toBeCloseTo(hy, 9);
      expect(run.izyTestBits).toBeCloseTo(hy - run.testCrossEntropyNats / Math.LN2, 9);
      expect(run.izyTestBits).toBeLessThanOrEqual(hy);
      // the training bound (500 training digits, their own H(Y) and training CE) is a different number
      expect(Math.abs(run.izyTestBits - run.izyBits)).toBeGreaterThan(1e-6);
    }
    const csv = (await readFile(join(out, 'sweep.csv'), 'utf8')).trim().split('\n');
    const header = csv[0]!.split(',');
    const col = header.indexOf('izyTestBits');
    expect(col).toBeGreaterThanOrEqual(0);
    csv.slice(1).forEach((line, i) => expect(Number(line.split(',')[col])).toBeCloseTo(runs[i]!.izyTestBits, 9));
    // the plot labels the axes with the bound directions and the split
    const svg = await readFile(join(out, 'ib-curve.svg'), 'utf8');
    expect(svg).toContain('I(Z;Y) ≥ H(Y_test) − test CE (bits)');
    expect(svg).toContain('IB curve (test set)');
  });
});
