import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateInformation } from '@vib/core';
import { createDefaultRegistry } from '@vib/kit';
import { planeInputs } from '../src/infoplane/plane-inputs.js';
import { pngSize, svgSize, vib } from './helpers.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vib-ip-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('vib infoplane', () => {
  it('records every layer on all inputs for tanh and relu and two seeds, averages each trajectory per epoch (mean, sample sd)', async () => {
    const out = join(root, 'ip');
    const r = await vib('infoplane', '--backend', 'cpu', '--epochs', '2', '--seeds', '0,1', '--max-points', '300', '--activation', 'tanh,relu', '--out', out, '--quiet', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    type Rec = { activation: string; split: string; layer: string; seed: number; epoch: number; estimator: string; ixtBits: number; ityBits: number };
    type Avg = Omit<Rec, 'seed'> & { ixtSdBits: number; itySdBits: number; seeds: number };
    const json = JSON.parse(await readFile(join(out, 'infoplane.json'), 'utf8')) as { seeds: number[]; points: number; records: Rec[]; averaged: Avg[]; ixtCeiling: { byEstimator: Record<string, number> }[] };
    expect(json.seeds).toEqual([0, 1]);
    expect(json.points).toBe(300);
    // 2 seeds × 2 activations × 2 epochs × 1 split (all) × 5 layers (4 hidden + mean code) × 2 estimators
    expect(json.records).toHaveLength(2 * 2 * 2 * 5 * 2);
    expect(new Set(json.records.map((p) => p.split))).toEqual(new Set(['all']));
    const cap = Math.log2(300);
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
    // each averaged point is the mean of its two seeds, with the sample sd |a − b| / √2
    expect(json.averaged).toHaveLength(json.records.length / 2);
    for (const a of json.averaged) {
      const pair = json.records.filter((p) => p.activation === a.activation && p.estimator === a.estimator && p.split === a.split && p.layer === a.layer && p.epoch === a.epoch);
      expect(pair.map((p) => p.seed).sort()).toEqual([0, 1]);
      const [p, q] = pair as [Rec, Rec];
      expect(a.seeds).toBe(2);
      expect(a.ixtBits).toBeCloseTo((p.ixtBits + q.ixtBits) / 2, 12);
      expect(a.ixtSdBits).toBeCloseTo(Math.abs(p.ixtBits - q.ixtBits) / Math.SQRT2, 12);
      expect(a.itySdBits).toBeCloseTo(Math.abs(p.ityBits - q.ityBits) / Math.SQRT2, 12);
    }
    // two seeds of one network are different runs: somewhere their estimates differ
    expect(json.averaged.some((a) => a.ixtSdBits > 0)).toBe(true);
    // the points at I(X;T)'s ceiling log2 300 are counted, in the file and in the command's output
    const atCap = json.records.filter((p) => p.ixtBits >= cap - 1e-6);
    expect(atCap.length).toBeGreaterThan(0);
    expect(json.ixtCeiling).toEqual([{ split: 'all', inputs: 300, bits: cap, atCeiling: atCap.length, points: json.records.length, byEstimator: expect.any(Object) }]);
    expect(Object.values(json.ixtCeiling[0]!.byEstimator).reduce((a, b) => a + b, 0)).toBe(atCap.length);
    expect((JSON.parse(r.stdout) as { ixtAtCeiling: number }).ixtAtCeiling).toBe(atCap.length);
    const svg = await svgSize(join(out, 'infoplane.svg'));
    expect(await pngSize(join(out, 'infoplane.png'))).toEqual({ width: Math.round(svg.width * 2), height: Math.round(svg.height * 2) });
  });

  it('measures on all 4,096 patterns: the binned I(X;T) ceiling is log2 4096 = 12 bits, reached by a layer with a distinct code per input', async () => {
    const registry = createDefaultRegistry();
    const plugin = registry.get('dataset', 'tishby-12bit');
    const data = await plugin.load(plugin.configSchema.parse({}), {});
    const all = planeInputs(data, 'all');
    expect(all.n).toBe(4096);
    expect(new Set(Array.from({ length: all.n }, (_, i) => all.x.subarray(12 * i, 12 * i + 12).join(''))).size).toBe(4096);
    const est = (activations: { data: Float32Array; n: number; d: number }) => estimateInformation(registry, 'binning', { activations, labels: all.y.subarray(0, activations.n), numClasses: 2 }, { bins: 30, range: 'data' });
    // T = X: every input has its own code, so H(T) = log2 4096 and I(T;Y) = H(Y)
    const identity = est({ data: all.x, n: all.n, d: 12 });
    expect(identity.ixt?.bits).toBeCloseTo(Math.log2(4096), 9);
    expect(identity.ixt?.bits).toBeCloseTo(12, 9);
    // one code for everything carries nothing
    const constant = est({ data: new Float32Array(all.n * 3).fill(0.5), n: all.n, d: 3 });
    expect(constant.ixt?.bits).toBeCloseTo(0, 12);
    // the train split alone (3,277 inputs) caps below 12 bits: why the plane is measured on all of them
    expect(estimateInformation(registry, 'binning', { activations: { data: data.train.x, n: data.train.n, d: 12 }, labels: data.train.y, numClasses: 2 }, { bins: 30, range: 'data' }).ixt?.bits).toBeCloseTo(Math.log2(3277), 9);
  });

  it('--estimator-config gives an estimator its own settings (a plugin\'s options), checked before any run', async () => {
    const out = join(root, 'own-settings');
    const r = await vib('infoplane', '--backend', 'cpu', '--epochs', '1', '--max-points', '200', '--activation', 'tanh', '--estimator', 'binning,kde-upper', '--estimator-config', '{"binning": {"bins": 2}}', '--out', out, '--quiet', '--json');
    expect(r.code).toBe(0);
    type Rec = { estimator: string; ixtBits: number; ityBits: number; extraNats?: Record<string, number> };
    const saved = JSON.parse(await readFile(join(out, 'infoplane.json'), 'utf8')) as { records: Rec[] };
    expect(new Set(saved.records.map((p) => p.estimator))).toEqual(new Set(['binning (bins=2)', 'kde-upper (noiseVariance=0.01)']));
    const binning = saved.records.filter((p) => p.estimator.startsWith('binning'));
    // two bins a unit: at most 2^width codes, far under log2 200 for the narrow layers
    expect(Math.min(...binning.map((p) => p.ixtBits))).toBeLessThan(Math.log2(200) - 1);
    // an estimator's extra figures are kept: H(T) and H(T|Y), whose difference is its I(T;Y); binning's I(X;T) is H(T)
    for (const p of saved.records) {
      expect((p.extraNats?.['hT'] ?? NaN) - (p.extraNats?.['hTGivenY'] ?? NaN)).toBeCloseTo(p.ityBits * Math.LN2, 6);
    }
    for (const p of binning) expect(p.extraNats?.['hT']).toBeCloseTo(p.ixtBits * Math.LN2, 9);
    const bad = async (value: string) => (await vib('infoplane', '--backend', 'cpu', '--estimator', 'binning', '--estimator-config', value)).stderr;
    expect(await bad('{binning')).toMatch(/^vib: error: --estimator-config is not JSON \(.+\): give an object of settings by estimator name/);
    expect(await bad('{"kde-upper": {}}')).toMatch(/^vib: error: --estimator-config names "kde-upper", which --estimator does not list \(binning\)/);
    expect(await bad('{"binning": {"bins": -1}}')).toMatch(/^vib: error: --estimator-config "binning": bins: .+ \(the estimator's schema\)/);
  });

  it('estimates in other processes (--jobs) to the same records as in its own, --plugin estimators too', async () => {
    const plugin = join(import.meta.dirname, 'fixtures/process-estimators.ts');
    const run = async (jobs: string, name: string, estimators: string) => {
      const out = join(root, name);
      const r = await vib('infoplane', '--backend', 'cpu', '--epochs', '2', '--max-points', '200', '--activation', 'tanh', '--estimator', estimators, '--plugin', plugin, '--jobs', jobs, '--out', out, '--quiet', '--json');
      return { ...r, out };
    };
    type Rec = { estimator: string; layer: string; epoch: number; ixtBits: number; extraNats?: Record<string, number> };
    const records = async (out: string) => (JSON.parse(await readFile(join(out, 'infoplane.json'), 'utf8')) as { records: Rec[] }).records;
    const [here, pooled] = [await run('0', 'pool-0', 'binning,kde-upper,which-process'), await run('2', 'pool-2', 'binning,kde-upper,which-process')];
    expect([here.code, pooled.code, here.stderr, pooled.stderr]).toEqual([0, 0, '', '']);
    const [a, b] = [await records(here.out), await records(pooled.out)];
    // 2 epochs × 5 layers × 3 estimators, in the same order, with the same figures to the bit
    expect(b).toHaveLength(30);
    const pid = (r: Rec) => r.extraNats?.['pid'];
    const without = (rs: Rec[]) => rs.map((r) => (r.estimator.startsWith('which-process') ? { ...r, extraNats: {} } : r));
    expect(without(b)).toEqual(without(a));
    // here every estimate ran in the test's process; pooled, in other processes (at most two of them)
    const pids = (rs: Rec[]) => new Set(rs.filter((r) => r.estimator.startsWith('which-process')).map(pid));
    expect(pids(a)).toEqual(new Set([process.pid]));
    expect(pids(b).has(process.pid)).toBe(false);
    expect(pids(b).size).toBeLessThanOrEqual(2);
    // an estimator that fails in a process fails the run with its own message, as it does here
    const [failHere, failPooled] = [await run('0', 'fail-0', 'binning,always-fails'), await run('2', 'fail-2', 'binning,always-fails')];
    const message = 'vib: error: estimator "always-fails" refuses 200 rows of 10 units: it is a test fixture\n';
    expect([failHere.code, failHere.stderr]).toEqual([1, message]);
    expect([failPooled.code, failPooled.stderr]).toEqual([1, message]);
  });

  it('refuses an unknown activation with one line', async () => {
    const r = await vib('infoplane', '--backend', 'cpu', '--activation', 'tanh,swish');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('vib: error: --activation swish is unknown: choose from relu, tanh, elu, sigmoid\n');
  });
});
