import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx } from '@vib/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorLines, pngSize, svgSize, vib } from './helpers.js';

let root: string;
const small = ['--backend', 'cpu', '--hidden', '64', '--latent-dim', '8', '--max-train', '1000', '--max-test', '300', '--quiet'];
const SPLIT_SIZES = [1000, 300];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vib-cli-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('vib train / eval', () => {
  let trainJson: Record<string, unknown>;
  const out = () => join(root, 'train');

  it('trains on the embedded digits and writes metrics, model and plots', async () => {
    const r = await vib('train', ...small, '--epochs', '2', '--seed', '1', '--out', out(), '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    trainJson = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const key of ['backend', 'dataset', 'epochs', 'seconds', 'accuracy', 'rateBits', 'izyBits', 'beta']) expect(trainJson).toHaveProperty(key);
    expect(trainJson['backend']).toBe('cpu');
    expect(trainJson['epochs']).toBe(2);
    expect(trainJson['beta']).toBe(1e-3);
    // chance is 10%; 1,000 digits and 2 epochs reach ~80%, so 50% leaves a wide margin
    expect(trainJson['accuracy']).toBeGreaterThan(0.5);
    const metrics = JSON.parse(await readFile(join(out(), 'metrics.json'), 'utf8')) as { history: Record<string, unknown>[] };
    expect(metrics.history).toHaveLength(2);
    for (const epoch of metrics.history) {
      for (const k of ['loss', 'testLoss', 'rateBits', 'izyBits', 'testAccuracy']) expect(Number.isFinite(epoch[k])).toBe(true);
      expect(epoch['rateBits'] as number).toBeGreaterThan(0);
    }
    expect(metrics.history[1]!['loss'] as number).toBeLessThan(metrics.history[0]!['loss'] as number);
    // the summary names each figure's split: the test rate and both I(Z;Y) bounds, beside their older names
    const last = metrics.history[1]!;
    expect(trainJson['testRateBits']).toBe(trainJson['rateBits']);
    expect(trainJson['testRateBits']).not.toBe(last['rateBits']);
    expect(trainJson['trainIzyBits']).toBe(last['izyBits']);
    expect(trainJson['testIzyBits']).toBe(trainJson['izyTestBits']);
    expect(typeof trainJson['testIzyBits']).toBe('number');
    for (const plot of ['curves', 'information', 'kl-per-dim']) {
      const svg = await svgSize(join(out(), `${plot}.svg`));
      const png = await pngSize(join(out(), `${plot}.png`));
      expect(png.width).toBe(Math.round(svg.width * 2));
      expect(png.height).toBe(Math.round(svg.height * 2));
    }
    expect(await readdir(join(out(), 'model'))).toEqual(['model.json', 'weights.bin']);
    expect((await readdir(root)).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('eval of the saved model reproduces the mean-code accuracy train reported', async () => {
    const r = await vib('eval', '--model', out(), '--backend', 'cpu', '--max-test', '300', '--samples', '4', '--json');
    expect(r.code).toBe(0);
    const ev = JSON.parse(r.stdout) as Record<string, number>;
    expect(ev['n']).toBe(300);
    expect(ev['accuracy']).toBe(trainJson['accuracy']);
    expect(ev['samples']).toBe(4);
    expect(ev['accuracySampled']).toBeGreaterThan(0.4);
  });

  it("eval draws the run's codes by default: the same sampled figures as the summary and the last epoch", async () => {
    const metrics = JSON.parse(await readFile(join(out(), 'metrics.json'), 'utf8')) as { history: Record<string, unknown>[] };
    const last = metrics.history[metrics.history.length - 1]!;
    expect(trainJson['evalSeed']).toBe(1);
    expect(trainJson['accuracySampled']).toBe(last['testSampledAccuracy']);
    const r = await vib('eval', '--model', out(), '--backend', 'cpu', '--max-test', '300', '--json');
    const ev = JSON.parse(r.stdout) as Record<string, number>;
    expect(ev['seed']).toBe(1);
    expect(ev['accuracySampled']).toBe(trainJson['accuracySampled']);
    const text = await vib('eval', '--model', out(), '--backend', 'cpu', '--max-test', '300', '--seed', '2');
    expect(text.stdout).toMatch(/; codes drawn with seed 2\n$/);
    expect((await vib('eval', '--model', out(), '--backend', 'cpu', '--max-test', '300')).stdout).toMatch(/; codes drawn with seed 1 \(the run's\)\n$/);
  });

  it('config.json keeps --max-train/--max-test as its subset: training from it sees the same examples', async () => {
    const saved = JSON.parse(await readFile(join(out(), 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(saved['subset']).toEqual({ maxTrain: 1000, maxTest: 300 });
    const again = await vib('train', '--config', join(out(), 'config.json'), '--backend', 'cpu', '--epochs', '1', '--quiet', '--json', '--no-plots', '--out', join(root, 'from-config'));
    expect(again.stderr).toBe('');
    const summary = JSON.parse(again.stdout) as Record<string, unknown>;
    expect([summary['trainExamples'], summary['testExamples']]).toEqual(SPLIT_SIZES);
  });

  it('refuses to overwrite an existing run directory', async () => {
    const r = await vib('train', ...small, '--epochs', '1', '--out', out());
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/already exists/);
  });
});

describe('vib sweep / interpolate / backends', () => {
  it('sweeps β and writes CSV, JSON and the IB-curve plot; larger β gives a lower rate', async () => {
    const out = join(root, 'sweep');
    const r = await vib('sweep', ...small, '--max-train', '500', '--epochs', '1', '--betas', '1e-3,1', '--out', out);
    expect(r.code).toBe(0);
    // each point's line says the split of every figure, the mean code, and that the bound's CE is from one sampled code
    expect(r.stdout.split('\n').filter((l) => l.startsWith('beta='))).toEqual([
      expect.stringMatching(/^beta=0\.00100: test accuracy \d+\.\d\d% \(mean code\), test rate \d+\.\d\d bits, test I\(Z;Y\) ≥ -?\d+\.\d{3} bits \(CE of one sampled code per input\)$/),
      expect.stringMatching(/^beta=1: test accuracy /),
    ]);
    const csv = (await readFile(join(out, 'sweep.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(3);
    const rows = csv.slice(1).map((l) => l.split(','));
    const rate = (row: string[]) => Number(row[csv[0]!.split(',').indexOf('rateBits')]);
    expect(rate(rows[1]!)).toBeLessThan(rate(rows[0]!));
    // each point's test figures are means over the --max-test examples, and the CSV says so
    expect(rows.map((row) => row[csv[0]!.split(',').indexOf('testExamples')])).toEqual(['300', '300']);
    const svg = await svgSize(join(out, 'ib-curve.svg'));
    expect(await pngSize(join(out, 'ib-curve.png'))).toEqual({ width: Math.round(svg.width * 2), height: Math.round(svg.height * 2) });
  });

  it('interpolates a reconstruction model into a 3-row PNG grid', async () => {
    const model = join(root, 'vae');
    const t = await vib('train', '--preset', 'vae', '--backend', 'cpu', '--hidden', '64', '--epochs', '1', '--max-train', '300', '--max-test', '20', '--quiet', '--no-plots', '--out', model);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/test reconstruction \d+\.\d+ nats/);
    const r = await vib('interpolate', '--model', model, '--backend', 'cpu', '--steps', '5', '--out', join(root, 'interp'), '--json');
    expect(r.code).toBe(0);
    // 5 columns and 3 rows of 28×28 images drawn at 2×, 2-pixel gaps
    expect(await pngSize(join(root, 'interp', 'interpolation.png'))).toEqual({ width: 5 * 58 + 2, height: 3 * 58 + 2 });
    const bad = await vib('interpolate', '--model', join(root, 'train'), '--backend', 'cpu');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/is a classification model: interpolation needs a reconstruction model/);
  });

  it('lists backends: cpu and wasm load in Node, browser backends do not', async () => {
    const r = await vib('backends', '--json');
    expect(r.code).toBe(0);
    const { backends } = JSON.parse(r.stdout) as { backends: { name: string; available: boolean; reason: string }[] };
    const by = new Map(backends.map((b) => [b.name, b]));
    expect(by.get('cpu')?.available).toBe(true);
    expect(by.get('webgl')?.available).toBe(false);
    expect(by.get('webgl')?.reason).toMatch(/browser/);
  });
});

describe('vib train progress on stderr', () => {
  it('labels every figure with its split; the bar shows the epoch\'s running training means, ending at the epoch line\'s', async () => {
    const out = join(root, 'progress');
    const args = small.filter((a) => a !== '--quiet');
    const r = await vib('train', ...args, '--epochs', '2', '--seed', '1', '--out', out);
    expect(r.code).toBe(0);
    const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')) as { summary: { rateBits: number; testExamples: number; trainExamples: number }; history: { loss: number; trainAccuracy: number; rateBits: number; testAccuracy: number; testRateBits: number; izyBits: number }[] };
    const lines = r.stderr.split('\n');
    metrics.history.forEach((m, i) => {
      const e = i + 1;
      const bars = lines.filter((l) => l.startsWith(`epoch ${e}/2 [`));
      expect(bars.length).toBeGreaterThan(1);
      // the last batch's running means are the epoch's training figures
      expect(bars.at(-1)).toMatch(new RegExp(`\\] train so far: loss ${m.loss.toFixed(4)}, acc ${m.trainAccuracy.toFixed(3)}, rate ${m.rateBits.toFixed(2)} bits \\| ETA `));
      const line = lines.find((l) => l.startsWith(`epoch ${e}/2 train:`))?.replace(/\(\d+\.\ds\)$/, '(seconds)');
      expect(line).toBe(
        `epoch ${e}/2 train: loss ${m.loss.toFixed(4)}, acc ${m.trainAccuracy.toFixed(4)}, rate ${m.rateBits.toFixed(2)} bits, I(Z;Y) ≥ ${m.izyBits.toFixed(3)} bits` +
          ` | test: acc ${m.testAccuracy.toFixed(4)} (mean code), rate ${m.testRateBits.toFixed(2)} bits | β=0.00100 (seconds)`,
      );
    });
    // the summary says how many test examples its test figures are means over, as metrics.json does
    expect([metrics.summary.trainExamples, metrics.summary.testExamples]).toEqual(SPLIT_SIZES);
    expect(r.stdout).toMatch(new RegExp(`; test rate ${metrics.summary.rateBits.toFixed(2)} bits; ${SPLIT_SIZES[1]} test examples; 2 epochs in `));
    expect(r.stderr).not.toMatch(/note: the test split holds only/);
  });

  it('says when the test split is too small to measure on: a 4-row CSV holds out 1 example', async () => {
    const csv = join(root, 'four.csv');
    await writeFile(csv, 'a,b,label\n1,2,0\n2,3,1\n3,1,0\n0,1,1\n');
    const r = await vib('train', '--backend', 'cpu', '--data', csv, '--epochs', '1', '--no-plots', '--out', join(root, 'four'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/; 1 test example; 1 epoch in /);
    expect(r.stderr).not.toMatch(/vib: error/);
    expect(r.stderr).toMatch(/vib: note: the test split holds only 1 example: an accuracy on it is 0% or 100%, and every test figure is a mean over that one\. Hold out more: /);
    const metrics = JSON.parse(await readFile(join(root, 'four', 'metrics.json'), 'utf8')) as { summary: { trainExamples: number; testExamples: number } };
    expect(metrics.summary).toMatchObject({ trainExamples: 3, testExamples: 1 });
  });

  it('says "1 epoch", not "1 epochs", in the summary line', async () => {
    const r = await vib('train', '--backend', 'cpu', '--hidden', '8', '--latent-dim', '2', '--max-train', '200', '--max-test', '50', '--epochs', '1', '--quiet', '--no-plots', '--out', join(root, 'one-epoch'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/; 1 epoch in \d+\.\ds on cpu\n/);
  });
});

describe('vib train --plugin', () => {
  it('loads a third-party prior from its own package and trains with it', async () => {
    const plugin = join(import.meta.dirname, '../../../docs/examples/vib-prior-student-t/src/index.ts');
    const out = join(root, 'plugin-run');
    const r = await vib('train', ...small, '--epochs', '2', '--seed', '1', '--json', '--out', out, '--plugin', plugin, '--prior', 'student-t');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Number(summary.accuracy)).toBeGreaterThan(0.5);
    expect(Number(summary.rateBits)).toBeGreaterThan(0);
    const config = JSON.parse(await readFile(join(out, 'config.json'), 'utf8')) as { prior: { name: string } };
    expect(config.prior.name).toBe('student-t');
  });

  it('trains the regression example package (task, prior with its kl rule, dataset) through --plugin', async () => {
    const example = join(import.meta.dirname, '../../../docs/examples/vib-regression-example');
    const config = join(root, 'regression.json');
    await writeFile(config, JSON.stringify({
      dataset: { name: 'csv-regression', config: { path: join(example, 'data/synthetic.csv'), target: 'y' } },
      task: 'regression',
      prior: 'scaled-normal',
      encoder: { hidden: [16], activation: 'tanh' },
      latentDim: 2,
      beta: 1e-3,
      epochs: 3,
      batchSize: 32,
      optimizer: { learningRate: 0.01 },
      evalSamples: 2,
    }));
    const out = join(root, 'regression-run');
    const r = await vib('train', '--backend', 'cpu', '--quiet', '--json', '--config', config, '--out', out, '--plugin', join(example, 'src/index.ts'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { rateExact: boolean; headline: string; accuracy: unknown; izyTestBits: unknown };
    expect(summary.rateExact).toBe(true); // the plugin's closed-form KL, not a Monte Carlo estimate
    expect(summary.headline).toMatch(/^MSE \d+\.\d{4} \(mean code\), \d+\.\d{4} \(2 samples\)$/);
    expect(summary.accuracy).toBeNull();
    expect(summary.izyTestBits).toBeNull();
    const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')) as { history: { rateExact: boolean; testTaskMetrics?: { mse?: number } }[] };
    expect(metrics.history.map((m) => m.rateExact)).toEqual([true, true, true]);
    // the task's own metric is in every epoch's record
    expect(metrics.history.every((m) => typeof m.testTaskMetrics?.mse === 'number')).toBe(true);
    // the model names the plugin's task and prior: without --plugin, eval says to pass it
    const bare = await vib('eval', '--backend', 'cpu', '--model', out);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^vib: error: --model .*regression-run: the model was trained with the (task "regression"|prior "scaled-normal"), which no built-in or --plugin module registers here \(unknown .*\): pass the --plugin that registers it, as when it was trained/m);
  });

  it('without --plugin the same prior name is refused, naming the registered ones', async () => {
    const r = await vib('train', ...small, '--epochs', '1', '--out', join(root, 'no-plugin'), '--prior', 'student-t');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown prior "student-t": registered priors are standard-normal/);
  });
});

describe('bad input: one clear line on stderr, non-zero exit, no stack trace', () => {
  let idxDir: (name: string, mutate: (files: Record<string, Uint8Array>) => void) => Promise<string>;
  beforeAll(() => {
    idxDir = async (name, mutate) => {
      const dir = join(root, name);
      await mkdir(dir);
      const files: Record<string, Uint8Array> = {
        'train-images-idx3-ubyte': encodeIdx([4, 28, 28], new Uint8Array(4 * 784)),
        'train-labels-idx1-ubyte': encodeIdx([4], Uint8Array.of(0, 1, 0, 1)),
        't10k-images-idx3-ubyte': encodeIdx([2, 28, 28], new Uint8Array(2 * 784)),
        't10k-labels-idx1-ubyte': encodeIdx([2], Uint8Array.of(0, 1)),
      };
      mutate(files);
      for (const [f, bytes] of Object.entries(files)) await writeFile(join(dir, `${f}.gz`), gzipSync(bytes));
      return dir;
    };
  });

  const cases: [string, () => Promise<string[]>, RegExp][] = [
    ['non-existent path', async () => ['--data', join(tmpdir(), 'no-such-dir-vib')], /--data .*no-such-dir-vib: no such file or folder/],
    ['truncated IDX', async () => ['--data', await idxDir('trunc', (f) => (f['train-images-idx3-ubyte'] = f['train-images-idx3-ubyte']!.subarray(0, 1000)))], /train-images-idx3-ubyte\.gz: header says \[4, 28, 28\].*truncated/],
    ['wrong magic number', async () => ['--data', await idxDir('magic', (f) => (f['t10k-labels-idx1-ubyte'] = encodeIdx([2, 28, 28], new Uint8Array(2 * 784))))], /t10k-labels-idx1-ubyte\.gz: magic number 0x00000803 is not 0x00000801/],
    ['unknown prior', async () => ['--prior', 'gaussian-blob'], /unknown prior "gaussian-blob": registered priors are standard-normal/],
    ['unknown task', async () => ['--task', 'regression'], /unknown task "regression"/],
    ['unknown dataset', async () => ['--data', 'cifar-10'], /--data cifar-10: unknown dataset "cifar-10": registered datasets are tishby-12bit, idx, fashion-mnist, csv, mnist/],
    ['β < 0', async () => ['--beta', '-0.5'], /--beta -0\.5 is out of range: it must be a number ≥ 0/],
    ['malformed config JSON', async () => {
      const f = join(root, 'bad.json');
      await writeFile(f, '{ "dataset": { "name": "mnist" }, ');
      return ['--config', f];
    }, /--config .*bad\.json is not valid JSON/],
    ['unknown dataset in a config', async () => {
      const f = join(root, 'unknown-ds.json');
      await writeFile(f, JSON.stringify({ dataset: { name: 'imagenet' } }));
      return ['--config', f];
    }, /unknown dataset "imagenet": registered datasets are tishby-12bit, idx, fashion-mnist, csv, mnist/],
    ['CSV with a non-numeric cell', async () => {
      const f = join(root, 'bad.csv');
      await writeFile(f, ['x1,x2,label', '0.1,0.2,0', '0.3,abc,1', '0.5,0.6,0'].join('\n'));
      return ['--data', f];
    }, /bad\.csv line 3, column 'x2': 'abc' is not a number/],
    ['unknown flag', async () => ['--bogus'], /unknown option '--bogus'/],
    ['--plugin that cannot be loaded', async () => ['--plugin', './no-such-vib-plugin.mjs'], /--plugin \.\/no-such-vib-plugin\.mjs: cannot load the module .*pass an installed package name or a path/],
    ['--plugin that registers nothing', async () => {
      const f = join(root, 'not-a-plugin.mjs');
      await writeFile(f, 'export const answer = 42;\n');
      return ['--plugin', f];
    }, /--plugin .*not-a-plugin\.mjs: the module exports no register function \(found: answer\)/],
  ];

  for (const [name, args, message] of cases) {
    it(name, async () => {
      const out = join(root, `fail-${name.replace(/\W+/g, '-')}`);
      const r = await vib('train', '--backend', 'cpu', '--epochs', '1', '--quiet', '--out', out, ...(await args()));
      expect(r.code).not.toBe(0);
      const lines = errorLines(r.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^vib: error: /);
      expect(lines[0]).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      // a failed run leaves nothing behind
      expect((await readdir(root)).filter((f) => f.startsWith('fail-') || f.includes('partial'))).toEqual([]);
    });
  }

  it('--verbose adds the stack trace', async () => {
    const r = await vib('train', '--backend', 'cpu', '--beta', '-1', '--verbose');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^vib: error: --beta -1/);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});
