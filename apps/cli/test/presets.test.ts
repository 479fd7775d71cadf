import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vib } from './helpers.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vib-presets-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('presets', () => {
  it('tishby-12bit with ReLU trains far above chance (He initialization; Glorot left it at 50%)', async () => {
    const out = join(root, 'relu');
    const r = await vib('train', '--preset', 'tishby-12bit', '--activation', 'relu', '--epochs', '40', '--backend', 'cpu', '--no-plots', '--quiet', '--out', out, '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { accuracy: number };
    // the majority class is 50.1% of the 819 test patterns (SE of an accuracy there ≤ 1.8 points); 40 epochs reach ~98%
    expect(s.accuracy).toBeGreaterThan(0.85);
  });

  it('alemi-2d draws the test codes with their 95% ellipses; --no-ema drops the weight average', async () => {
    const out = join(root, 'alemi-2d');
    const r = await vib('train', '--preset', 'alemi-2d', '--hidden', '64', '--no-ema', '--epochs', '1', '--max-train', '300', '--max-test', '100', '--backend', 'cpu', '--quiet', '--out', out);
    expect(r.code).toBe(0);
    expect(await readdir(out)).toEqual(expect.arrayContaining(['latent-codes.svg', 'latent-codes.png']));
    const config = JSON.parse(await readFile(join(out, 'config.json'), 'utf8')) as { latentDim: number; posterior: string; optimizer: Record<string, unknown> };
    expect(config.latentDim).toBe(2);
    expect(config.posterior).toBe('full-gaussian');
    expect(config.optimizer).not.toHaveProperty('ema');
    expect(config.optimizer['schedule']).toBeDefined();
    const svg = await readFile(join(out, 'latent-codes.svg'), 'utf8');
    expect(svg).toContain('95% ellipses of p(z|x) for the first 100');
  });

  it('plots never cut a legend label', async () => {
    const out = join(root, 'digits');
    const r = await vib('train', '--backend', 'cpu', '--hidden', '32', '--latent-dim', '4', '--epochs', '1', '--max-train', '300', '--max-test', '100', '--quiet', '--out', out);
    expect(r.code).toBe(0);
    for (const plot of ['curves', 'information', 'kl-per-dim']) {
      const svg = await readFile(join(out, `${plot}.svg`), 'utf8');
      expect(svg).not.toContain('…');
    }
    expect(await readFile(join(out, 'curves.svg'), 'utf8')).toContain('train −log q(y|z), sampled z (epoch mean)');
  });
});
