import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngSize, svgSize, vib } from './helpers.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vib-ip-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('vib infoplane', () => {
  it('records every layer on train and test for tanh and relu, with estimates inside [0, log2 n]', async () => {
    const out = join(root, 'ip');
    const r = await vib('infoplane', '--backend', 'cpu', '--epochs', '3', '--max-points', '200', '--activation', 'tanh,relu', '--out', out, '--quiet', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(await readFile(join(out, 'infoplane.json'), 'utf8')) as {
      records: { activation: string; split: string; layer: string; epoch: number; estimator: string; ixtBits: number; ityBits: number }[];
    };
    // 2 activations × 3 epochs × 2 splits × 5 layers (4 hidden + mean code) × 2 estimators
    expect(json.records).toHaveLength(2 * 3 * 2 * 5 * 2);
    const cap = Math.log2(200);
    for (const p of json.records) {
      // binning: I(X;T) = H(T) ≤ log2 n; I(T;Y) ≤ H(Y) ≤ 1 bit for the balanced binary task (tiny slack for rounding)
      expect(p.ixtBits).toBeLessThanOrEqual(cap + 1e-9);
      expect(p.ityBits).toBeLessThanOrEqual(1 + 1e-6);
      if (p.estimator.startsWith('binning')) {
        expect(p.ixtBits).toBeGreaterThanOrEqual(0);
        expect(p.ityBits).toBeGreaterThanOrEqual(-1e-9);
        expect(p.ityBits).toBeLessThanOrEqual(p.ixtBits + 1e-9);
      }
    }
    const svg = await svgSize(join(out, 'infoplane.svg'));
    expect(await pngSize(join(out, 'infoplane.png'))).toEqual({ width: Math.round(svg.width * 2), height: Math.round(svg.height * 2) });
  });

  it('refuses an unknown activation with one line', async () => {
    const r = await vib('infoplane', '--backend', 'cpu', '--activation', 'tanh,swish');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toBe('vib: error: --activation swish is unknown: choose from relu, tanh, elu, sigmoid\n');
  });
});
