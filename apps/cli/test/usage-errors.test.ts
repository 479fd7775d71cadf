import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunStore } from '@vib/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorLines, vib } from './helpers.js';

// Exit code 2 and one `vib: error: <flag> <value>: <what to do>` line for every bad flag value and every pair of
// flags of which one would be dropped; each case fails before any training starts.
let root = '';
const Q = ['--backend', 'cpu', '--epochs', '1', '--max-train', '200', '--max-test', '100', '--threads', '2', '--quiet'];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vib-usage-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

const cases: [string, () => string[], RegExp][] = [
  ['train --activation foo', () => ['train', ...Q, '--activation', 'foo'], /^--activation foo is unknown: choose from relu, tanh, elu, sigmoid/],
  ['train --prior foo', () => ['train', ...Q, '--prior', 'foo'], /^--prior foo: unknown prior "foo": registered priors are standard-normal/],
  ['train --task foo', () => ['train', ...Q, '--task', 'foo'], /^--task foo: unknown task "foo": registered tasks are classification, reconstruction/],
  ['train --backend foo', () => ['train', ...Q.slice(2), '--backend', 'foo'], /^--backend foo: unknown backend "foo": registered backends are .*cpu/],
  ['train --tag foo', () => ['train', ...Q, '--tag', 'foo'], /^--tag foo: expected name=value/],
  ['train --epochs 1e20', () => ['train', ...Q, '--epochs', '99999999999999999999'], /^--epochs 99999999999999999999 is too big: it must be at most 9007199254740991/],
  ['train --seed 1e30', () => ['train', ...Q, '--seed', '1e30'], /^--seed 1e30 is out of range: it must be an integer from 0 to 9007199254740991/],
  ['train --latent-dim 1e7', () => ['train', ...Q, '--latent-dim', '10000000'], /^--latent-dim 10000000 is too big: it must be at most 4096/],
  ['train --out ""', () => ['train', ...Q, '--out', ''], /^--out "" is empty: pass the folder to write/],
  ['train --deterministic --beta', () => ['train', ...Q, '--deterministic', '--beta', '0.5'], /^--deterministic and --beta 0\.5 conflict/],
  ['train --deterministic --prior', () => ['train', ...Q, '--deterministic', '--prior', 'laplace'], /^--deterministic and --prior laplace conflict/],
  ['train --print-config --max-train 0', () => ['train', ...Q, '--print-config', '--max-train', '0'], /^--max-train 0 is out of range/],
  ['train --print-config --max-train -3', () => ['train', ...Q, '--print-config', '--max-train', '-3'], /^--max-train -3 is out of range/],
  ['train --print-config --max-test 0', () => ['train', ...Q, '--print-config', '--max-test', '0'], /^--max-test 0 is out of range/],
  ['train --print-config --threads 0', () => ['train', ...Q, '--print-config', '--threads', '0'], /^--threads 0 is out of range/],
  ['infoplane --splits foo', () => ['infoplane', ...Q, '--splits', 'foo'], /^--splits foo is unknown: choose from all, train, test/],
  ['infoplane --activation foo', () => ['infoplane', ...Q, '--activation', 'tanh,foo'], /^--activation foo is unknown/],
  ['infoplane --estimator ""', () => ['infoplane', ...Q, '--estimator', ''], /^--estimator "" is empty/],
  ['infoplane --estimator ,', () => ['infoplane', ...Q, '--estimator', ','], /^--estimator "," names no estimator: choose from binning, kde-upper, kde-lower/],
  ['infoplane --estimator nope', () => ['infoplane', ...Q, '--estimator', 'nope'], /^--estimator nope: unknown estimator "nope"/],
  ['infoplane --seed --seeds', () => ['infoplane', ...Q, '--seed', '1', '--seeds', '0,1'], /^--seed 1 and --seeds 0,1 both set the seed/],
  ['interpolate --steps 1', () => ['interpolate', '--model', join(root, 'none'), '--steps', '1'], /^--steps 1 is out of range: it must be an integer from 2 to 100/],
  ['interpolate --steps 5000', () => ['interpolate', '--model', join(root, 'none'), '--steps', '5000'], /^--steps 5000 is too big: it must be at most 100/],
  ['eval --samples 1e9', () => ['eval', '--model', join(root, 'none'), '--samples', '1e9', '--max-test', '2'], /^--samples 1e9 is too big: it must be at most 10000/],
  ['eval --out', () => ['eval', '--model', join(root, 'none'), '--out', join(root, 'eval-out')], /^unknown option '--out'/],
  ['serve --port abc', () => ['serve', '--port', 'abc'], /^--port abc: expected a port number from 0 to 65535/],
  ['runs ls --status bogus', () => ['runs', 'ls', '--status', 'bogus'], /argument 'bogus' is invalid\. Allowed choices are running, completed, failed, interrupted/],
  ['sweep --betas --beta', () => ['sweep', ...Q, '--betas', '1e-3', '--beta', '0.1'], /^--beta 0\.1 and --betas 1e-3 both set β/],
  ['sweep --grid twice on one key', () => ['sweep', ...Q, '--betas', '1e-3', '--grid', 'latentDim=4', '--grid', 'latentDim=8'], /^--grid latentDim=4 and --grid latentDim=8 both set latentDim: give one axis with every value, e.g. --grid latentDim=4,8/],
  ['sweep --queue http://x', () => ['sweep', ...Q, '--betas', '1e-3', '--queue', 'http://x'], /^--queue http:\/\/x: the scheme must be redis:\/\/ or rediss:\/\//],
  ['sweep --queue with --jobs', () => ['sweep', ...Q, '--betas', '1e-3', '--queue', 'redis://127.0.0.1:1', '--jobs', '2'], /^--queue redis:\/\/127\.0\.0\.1:1 and --jobs 2 conflict/],
  ['sweep --max-train 0', () => ['sweep', ...Q.slice(0, 4), '--max-train', '0', '--quiet', '--betas', '1e-3'], /^--max-train 0 is out of range/],
  ['sweep --backend nope', () => ['sweep', '--backend', 'nope', '--quiet', '--betas', '1e-3'], /^--backend nope: unknown backend "nope"/],
  ['sweep --beta-range 1e-3:1:1', () => ['sweep', ...Q, '--beta-range', '1e-3:1:1'], /^--beta-range 1 is out of range: .*e\.g\. --beta-range 1e-4:1:5$/],
  ['train --data mnsit', () => ['train', ...Q, '--data', 'mnsit'], /^--data mnsit: unknown dataset "mnsit" \(did you mean "mnist"\?\): registered datasets are tishby-12bit, idx, fashion-mnist, csv, mnist; pass one of them, a folder of IDX files or a \.csv file/],
  ['train --data missing.csv', () => ['train', ...Q, '--data', join(root, 'missing.csv')], /^--data .*missing\.csv: no such file or folder: pass a \.csv file, a folder of IDX files, or a registered dataset/],
  ['train --plugin nope-pkg', () => ['train', ...Q, '--plugin', 'nope-vib-pkg'], /^--plugin nope-vib-pkg: cannot load the module \(Cannot find package 'nope-vib-pkg'.*\); pass an installed package name or a path/],
  ['train --config missing.json', () => ['train', ...Q, '--config', join(root, 'missing.json')], /^--config .*missing\.json: cannot read the file \(ENOENT\): check the path$/],
  ['eval --samples 0', () => ['eval', '--model', join(root, 'none'), '--samples', '0'], /^--samples 0 is out of range/],
  ['eval --data mnsit', () => ['eval', '--model', join(root, 'none'), '--data', 'mnsit'], /^--data mnsit: unknown dataset "mnsit"/],
  ['sweep --betas 1e-3,abc', () => ['sweep', ...Q, '--betas', '1e-3,abc'], /^--betas .*abc/],
  ['infoplane --bins 0', () => ['infoplane', ...Q, '--bins', '0'], /^--bins 0 is out of range/],
  ['infoplane --jobs 65', () => ['infoplane', ...Q, '--jobs', '65'], /^--jobs 65 is too big: it must be at most 64 \(each process runs one estimate at a time\)/],
  ['infoplane --jobs -1', () => ['infoplane', ...Q, '--jobs', '-1'], /^--jobs -1 is out of range: it must be an integer from 0 to 64/],
  // a grid value the config schema refuses: the point, the schema's words, exit 2 (it was exit 1, as a failed run)
  ['sweep --grid latentDim=8,0', () => ['sweep', ...Q, '--betas', '1e-3', '--grid', 'latentDim=8,0'], /^the sweep point beta=0\.001 latentDim=0 is not a valid config: .*latentDim.*Change that --grid value/],
  ['sweep --grid encoder.activation=nope', () => ['sweep', ...Q, '--betas', '1e-3', '--grid', 'encoder.activation=nope'], /^the sweep point beta=0\.001 encoder\.activation="nope" is not a valid config: .*activation/],
  ['sweep --queue with --threads', () => ['sweep', ...Q, '--betas', '1e-3', '--queue', 'redis://127.0.0.1:1'], /^--threads 2 does nothing with --queue: each `vib worker` sets its points' threads \(give it --threads 2\)$/],
  ['sweep --jobs 100000', () => ['sweep', ...Q, '--betas', '1e-3', '--jobs', '100000'], /^--jobs 100000 is too big: it must be at most 256 \(each process trains one point/],
  ['worker --concurrency 5000', () => ['worker', '--queue', 'redis://127.0.0.1:1', '--concurrency', '5000'], /^--concurrency 5000 is too big: it must be at most 256/],
  ['worker --threads 0', () => ['worker', '--queue', 'redis://127.0.0.1:1', '--threads', '0'], /^--threads 0 is out of range/],
  ['train --threads 100000', () => ['train', ...Q, '--print-config', '--threads', '100000'], /^--threads 100000 is too big: it must be at most 256 \(threads of the heavy kernels\)/],
  ['robustness --attack fgsm --steps 5', () => ['robustness', '--model', join(root, 'none'), '--attack', 'fgsm', '--steps', '5'], /^--steps 5: the fgsm attack does not take it \(Unrecognized key: "steps"\): leave --steps out, or pick an iterative attack such as pgd$/],
  ['robustness --steps 1e6', () => ['robustness', '--model', join(root, 'none'), '--steps', '1000000'], /^--steps 1000000 is too big: it must be at most 1000/],
];

describe('usage errors exit 2 with one line and nothing written', () => {
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await vib(...args());
      const lines = errorLines(r.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]!.replace(/^vib: error: /, '')).toMatch(message);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(await readdir(root)).toEqual([]);
    });
  }
});

describe('a usage error is no run: the store gets no row, and none is created', () => {
  const refusals: [string, () => string[]][] = [
    ['train --epochs 0', () => ['train', ...Q, '--epochs', '0']],
    ['eval --samples 0', () => ['eval', '--model', join(root, 'none'), '--samples', '0']],
    ['sweep --betas 1e-3,abc', () => ['sweep', ...Q, '--betas', '1e-3,abc']],
    ['infoplane --bins 0', () => ['infoplane', ...Q, '--bins', '0']],
  ];
  for (const [name, args] of refusals) {
    it(name, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'vib-usage-store-'));
      const saved = process.env['VIB_STORE'];
      try {
        // $VIB_STORE naming a file that does not exist yet: it is not created
        process.env['VIB_STORE'] = join(dir, 'new', 'runs.sqlite');
        expect((await vib(...args())).code).toBe(2);
        expect(await readdir(dir)).toEqual([]);
        // an existing store: no row is added
        const file = join(dir, 'runs.sqlite');
        RunStore.open(file).close();
        expect((await vib(...args(), '--store', file)).code).toBe(2);
        const store = RunStore.open(file, { readonly: true });
        expect(store.list()).toEqual([]);
        store.close();
      } finally {
        process.env['VIB_STORE'] = saved;
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('a --model that names nothing', () => {
  it('is a usage error (exit 2) saying what --model takes', async () => {
    const missing = join(tmpdir(), `vib-no-model-${process.pid}`, 'model');
    const r = await vib('eval', '--model', missing, '--backend', 'cpu');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^vib: error: --model ${missing.replace(/[/.-]/g, '\\$&')}: no such directory: pass the folder a 'vib train' run wrote`));
  });
});

describe('a commander error points at the help of the command it is about', () => {
  it.each([
    [['eval', '--model', 'm', '--bogus'], "unknown option '--bogus' (see vib eval --help)"],
    [['runs', 'ls', '--bogus'], "unknown option '--bogus' (see vib runs ls --help)"],
    [['train', '--epoch', '1'], "unknown option '--epoch' (did you mean --epochs?) (see vib train --help)"],
    [['eval'], "required option '--model <dir>' not specified (see vib eval --help)"],
    [['trian'], "unknown command 'trian' (did you mean train?) (see vib --help)"],
  ])('%j', async (args, message) => {
    const r = await vib(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`vib: error: ${message}\n`);
  });
});

describe('messages about files say what is wrong with them', () => {
  it('--resume of a folder that does not exist says so (exit 1)', async () => {
    const missing = join(root, 'never', 'there');
    const r = await vib('train', '--resume', missing, '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`vib: error: --resume ${missing}: no such folder: pass the folder of an interrupted 'vib train' run (its --out)\n`);
  });

  it('a config holding null says null', async () => {
    const dir = join(tmpdir(), `vib-usage-config-${process.pid}`);
    await mkdir(dir, { recursive: true });
    const f = join(dir, 'null.json');
    await writeFile(f, 'null');
    const r = await vib('train', '--config', f, '--print-config');
    await rm(dir, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/must hold a JSON object, got null: write/);
  });

  it('a model.json of random bytes is "not UTF-8 text", not "save a model there first"', async () => {
    const dir = join(tmpdir(), `vib-usage-model-${process.pid}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'model.json'), Uint8Array.from({ length: 256 }, (_, i) => (i * 131 + 200) % 256));
    const r = await vib('eval', '--model', dir, '--backend', 'cpu');
    await rm(dir, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`vib: error: ${join(dir, 'model.json')}: not UTF-8 text, so not a model.json: the model file is corrupted or another kind of file\n`);
  });
});

describe('eval, robustness and uncertainty bound S by the memory its sampled codes take', () => {
  it('refuses --samples 10000 for a K = 128 model on 500 test inputs (6.4e8 values), and accepts what fits', async () => {
    const model = join(tmpdir(), `vib-usage-k64-${process.pid}`);
    try {
      const t = await vib('train', '--backend', 'cpu', '--hidden', '8', '--latent-dim', '128', '--max-train', '200', '--max-test', '50', '--epochs', '1', '--quiet', '--no-plots', '--out', model);
      expect(t.code).toBe(0);
      const r = await vib('eval', '--model', model, '--backend', 'cpu', '--samples', '10000', '--max-test', '500');
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('vib: error: --samples 10000 is too big for this model: 10000 samples × 500 examples per batch × width 128 = 6.40e+8 values at once, more than 268435456 (1 GiB of float32): lower --samples (at most 4194 here) or --max-test\n');
      // found only once the model is loaded, inside the recorded run: still no run, and no store created for it
      const store = join(model, 'never', 'runs.sqlite');
      expect((await vib('eval', '--model', model, '--backend', 'cpu', '--samples', '10000', '--max-test', '500', '--store', store)).code).toBe(2);
      expect(await readdir(model)).not.toContain('never');
      const ok = await vib('eval', '--model', model, '--backend', 'cpu', '--samples', '10000', '--max-test', '4', '--json');
      expect(ok.code).toBe(0);
      expect((JSON.parse(ok.stdout) as { samples: number }).samples).toBe(10000);
      // robustness attacks batches of 250, uncertainty scores batches of 500: each is checked for its own batch
      const rob = await vib('robustness', '--model', model, '--backend', 'cpu', '--samples', '10000', '--max-test', '500', '--eps', '0.1', '--out', join(model, 'rob'));
      expect([rob.code, rob.stderr]).toEqual([2, 'vib: error: --samples 10000 is too big for this model: 10000 samples × 250 examples per batch × width 128 = 3.20e+8 values at once, more than 268435456 (1 GiB of float32): lower --samples (at most 8388 here) or --max-test\n']);
      const unc = await vib('uncertainty', '--model', model, '--backend', 'cpu', '--ood', 'mnist', '--samples', '10000', '--max-test', '500', '--out', join(model, 'unc'));
      expect([unc.code, unc.stderr]).toEqual([2, 'vib: error: --samples 10000 is too big for this model: 10000 samples × 500 examples per batch × width 128 = 6.40e+8 values at once, more than 268435456 (1 GiB of float32): lower --samples (at most 4194 here) or --max-test\n']);
      expect(await readdir(model)).not.toContain('rob');
      expect(await readdir(model)).not.toContain('unc');
    } finally {
      await rm(model, { recursive: true, force: true });
    }
  });
});
