import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '@vib/kit';
import { REPRODUCTION_NAMES } from '../src/reproduce/names.js';
import { REPRODUCTIONS } from '../src/reproduce/reproductions.js';
import { vib } from './helpers.js';

let root: string;
const tiny = ['--backend', 'cpu', '--hidden', '32', '--latent-dim', '4', '--max-train', '400', '--max-test', '120', '--epochs', '1', '--quiet', '--no-plots'];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vib-science-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('baselines, robustness and uncertainty from the CLI', () => {
  it('the alemi presets follow the paper: Adam β1 = 0.5, softplus(ρ − 5) scale, EMA 0.999, 12 samples; alemi-fashion on Fashion-MNIST', () => {
    for (const name of ['alemi-mnist', 'alemi-2d', 'alemi-fashion']) {
      const c = PRESETS[name]!.config as { scale: string; evalSamples: number; optimizer: { beta1: number; ema: { decay: number } } };
      expect([name, c.scale, c.optimizer.beta1, c.optimizer.ema.decay, c.evalSamples]).toEqual([name, 'softplus', 0.5, 0.999, 12]);
    }
    expect((PRESETS['alemi-fashion']!.config['dataset'] as { name: string }).name).toBe('fashion-mnist');
  });

  it('--deterministic and --adam-* reach the saved config; robustness and uncertainty compare it with a VIB model', async () => {
    const det = join(root, 'det');
    const stoch = join(root, 'vib');
    const a = await vib('train', ...tiny, '--deterministic', '--adam-beta1', '0.5', '--adam-epsilon', '1e-8', '--out', det, '--json');
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).rateBits).toBe(0);
    const config = JSON.parse(await readFile(join(det, 'config.json'), 'utf8')) as { model: string; optimizer: Record<string, number> };
    expect(config.model).toBe('deterministic');
    expect(config.optimizer).toMatchObject({ beta1: 0.5, epsilon: 1e-8 });
    expect((await vib('train', ...tiny, '--out', stoch)).code).toBe(0);

    const evalDet = JSON.parse((await vib('eval', '--model', det, '--backend', 'cpu', '--max-test', '120', '--json')).stdout) as { accuracy: number };
    const rob = await vib('robustness', '--model', det, '--model', stoch, '--eps', '0,0.2', '--max-test', '120', '--backend', 'cpu', '--quiet', '--out', join(root, 'rob'), '--json');
    expect(rob.code).toBe(0);
    const record = JSON.parse(await readFile(join(root, 'rob', 'robustness.json'), 'utf8')) as {
      through: string; revision: string | null; models: { model: string; result: { points: { epsilon: number; accuracyMean: number; successMean: number }[] } }[];
    };
    expect(record.through).toBe('mean');
    expect(record.models.map((m) => m.model)).toEqual(['deterministic', 'vib']);
    const [clean, attacked] = record.models[0]!.result.points;
    // ε = 0 is the clean accuracy that eval reports; FGSM at 0.2 hurts a 1-epoch MLP
    expect(clean!.accuracyMean).toBeCloseTo(evalDet.accuracy, 10);
    expect(clean!.successMean).toBe(0);
    expect(attacked!.accuracyMean).toBeLessThan(clean!.accuracyMean);
    expect(await readdir(join(root, 'rob'))).toEqual(expect.arrayContaining(['robustness.png', 'robustness.svg']));
    const margin = await vib('robustness', '--model', det, '--eps', '0,0.2', '--objective', 'margin', '--max-test', '120', '--backend', 'cpu', '--quiet', '--no-plots', '--out', join(root, 'rob-margin'));
    expect(margin.code).toBe(0);
    // the line says the split, both predictives, and how many of the inputs had no gradient to follow
    expect(margin.stdout).toMatch(/: test accuracy, mean code \/ 12 samples, under fgsm \(logit margin, gradient through the mean code\): ε=0: [\d.]+% \/ [\d.]+%; ε=0\.2: [\d.]+% \/ [\d.]+%; input gradient exactly 0 for 0 of 120 inputs \(0\.0%\)\n/);
    const mr = JSON.parse(await readFile(join(root, 'rob-margin', 'robustness.json'), 'utf8')) as { objective: string; models: { result: { zeroGradient: number; points: { accuracyMean: number }[] } }[] };
    // the margin's gradient is e_j − e_y through log-softmax: never exactly 0, and ε = 0 is still the clean accuracy
    expect(mr.objective).toBe('margin');
    expect(mr.models[0]!.result.zeroGradient).toBe(0);
    expect(mr.models[0]!.result.points[0]!.accuracyMean).toBe(clean!.accuracyMean);
    const badObjective = await vib('robustness', '--model', det, '--objective', 'hinge', '--backend', 'cpu');
    expect(badObjective.code).not.toBe(0);
    expect(badObjective.stderr).toMatch(/--objective.*hinge.*nll, margin/s);

    const unc = await vib('uncertainty', '--model', stoch, '--ood', 'tishby-12bit', '--backend', 'cpu', '--quiet', '--out', join(root, 'unc-bad'));
    expect(unc.code).not.toBe(0);
    expect(unc.stderr).toMatch(/--ood tishby-12bit: inputs .* do not fit/);
    const rd = join(root, 'unc');
    const u = await vib('uncertainty', '--model', det, '--ood', 'mnist', '--data', 'mnist', '--max-test', '100', '--backend', 'cpu', '--quiet', '--no-plots', '--out', rd, '--json');
    expect(u.code).toBe(0);
    const ur = JSON.parse(u.stdout) as { detection: Record<string, { auroc: number }>; calibration: { ece: number }; inDistribution: Record<string, unknown> };
    // the accuracy is the sampled predictive's, and the record says so and names the split
    expect(ur.inDistribution).toMatchObject({ split: 'test', n: 100 });
    expect(ur.inDistribution['accuracySampled']).toBe(ur.inDistribution['accuracy']);
    // the same data on both sides: the deterministic model's rate is 0 for all (AUROC exactly 0.5), and its
    // entropy separates nothing (the two sets are the same inputs, so AUROC is exactly 0.5 too)
    expect(ur.detection['rate']!.auroc).toBe(0.5);
    expect(ur.detection['entropy']!.auroc).toBe(0.5);
    expect(ur.calibration.ece).toBeGreaterThanOrEqual(0);
  });

  it('vib reproduce alemi-table1 --quick --seeds 0,1 writes a record: configs, seeds, revision, per-seed metrics, mean ± sd, a paired t-test, published figures', async () => {
    expect(Object.keys(REPRODUCTIONS)).toEqual([...REPRODUCTION_NAMES]);
    const out = join(root, 'repro');
    const r = await vib('reproduce', 'alemi-table1', '--quick', '--seeds', '0,1', '--backend', 'cpu', '--quiet', '--out', out);
    expect(r.code).toBe(0);
    const rec = JSON.parse(await readFile(join(out, 'record.json'), 'utf8')) as {
      seeds: number[]; configs: Record<string, { model: string; seed: number; subset?: unknown }>; backend: string; revision: string | null; machine: string;
      perSeed: { seed: number; metrics: Record<string, number> }[]; summary: Record<string, { mean: number; sd: number; n: number }>;
      comparison: { p: number; meanDiff: number; a: string; b: string }; published: { metric: string | null; value: number | null }[];
    };
    expect(rec.seeds).toEqual([0, 1]);
    expect(rec.configs['vib']!.model).toBe('vib');
    expect(rec.configs['deterministic']!.model).toBe('deterministic');
    // --quick trains on a subset, and each config says which: the first 600 training and 200 test examples
    for (const role of ['vib', 'deterministic']) expect(rec.configs[role]!.subset, role).toEqual({ maxTrain: 600, maxTest: 200 });
    expect(rec.backend).toBe('cpu');
    expect(rec.perSeed.map((s) => s.seed)).toEqual([0, 1]);
    const vals = rec.perSeed.map((s) => s.metrics['vibError']!);
    expect(rec.summary['vibError']!.mean).toBeCloseTo((vals[0]! + vals[1]!) / 2, 12);
    expect(rec.summary['vibError']!.sd).toBeCloseTo(Math.abs(vals[0]! - vals[1]!) / Math.SQRT2, 12);
    const diffs = rec.perSeed.map((s) => s.metrics['vibError']! - s.metrics['deterministicError']!);
    expect([rec.comparison.a, rec.comparison.b]).toEqual(['vibError', 'deterministicError']);
    expect(rec.comparison.meanDiff).toBeCloseTo((diffs[0]! + diffs[1]!) / 2, 12);
    expect(rec.comparison.p).toBeGreaterThanOrEqual(0);
    expect(rec.comparison.p).toBeLessThanOrEqual(1);
    expect(rec.published.find((p) => p.metric === 'deterministicError')?.value).toBe(0.0138);
    expect(await readdir(out)).toEqual(expect.arrayContaining(['published-vs-measured.png', 'record.json']));
    const bad = await vib('reproduce', 'alemi-table9', '--quick');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown reproduction "alemi-table9": choose one of alemi-table1/);
  });

  it('vib reproduce alemi-robustness --quick attacks both models on −log q and on the logit margin, and records the zero-gradient share', async () => {
    const out = join(root, 'repro-rob');
    const r = await vib('reproduce', 'alemi-robustness', '--quick', '--backend', 'cpu', '--quiet', '--no-plots', '--out', out);
    expect(r.code).toBe(0);
    const rec = JSON.parse(await readFile(join(out, 'record.json'), 'utf8')) as { perSeed: { metrics: Record<string, number> }[] };
    const m = rec.perSeed[0]!.metrics;
    for (const label of ['deterministic', 'beta=0.01']) {
      for (const suffix of ['', ':margin']) {
        const acc = (eps: number) => m[`accuracy@eps=${eps}:${label}${suffix}`]!;
        // ε = 0 is the clean accuracy whatever the objective; a radius of 0.3 (pixels in [0, 1]) lowers it
        expect(acc(0)).toBe(m[`accuracy@eps=0:${label}`]);
        expect(acc(0.3)).toBeLessThan(acc(0));
        expect(m[`zeroGradient:${label}${suffix}`]).toBeGreaterThanOrEqual(0);
        expect(m[`zeroGradient:${label}${suffix}`]).toBeLessThanOrEqual(1);
      }
      expect(m[`zeroGradient:${label}:margin`]).toBe(0);
    }
  });
});
