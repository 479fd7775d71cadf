import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeIdx } from '@vib/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vib } from './helpers.js';

// Messages and exit codes of hostile or mistaken input, through the CLI as a user meets them.
let root = '';
let model = '';
const small = ['--backend', 'cpu', '--hidden', '8', '--latent-dim', '2', '--max-train', '200', '--max-test', '50', '--epochs', '1', '--quiet', '--no-plots'];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vib-trust-'));
  model = join(root, 'run');
  expect((await vib('train', ...small, '--out', model)).code).toBe(0);
});
afterAll(async () => rm(root, { recursive: true, force: true }));

const csv = async (name: string, header: string[], rows: number[][]) => {
  const p = join(root, name);
  await writeFile(p, `${header.join(',')}\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  return p;
};

describe('vib eval --data checks the data against the model', () => {
  it('refuses a 2-feature table for a 28×28 model, naming both shapes', async () => {
    const data = await csv('two.csv', ['a', 'b', 'label'], Array.from({ length: 20 }, (_, i) => [i / 20, 0.5, i % 2]));
    const r = await vib('eval', '--model', model, '--data', data, '--backend', 'cpu');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`vib: error: --data ${data} does not fit the model in ${model}: its inputs have shape [2] (2 values), the model takes [28, 28] (784); evaluate on data shaped like mnist\n`);
  });

  it('refuses labels 10..12 for a 10-class model, and inputs outside [0, 1] for a model trained on pixels / 255', async () => {
    const pixels = Array.from({ length: 784 }, (_, j) => `p${j}`);
    const labels = await csv('labels.csv', [...pixels, 'label'], Array.from({ length: 20 }, (_, i) => [...new Array<number>(784).fill(0.5), 10 + (i % 3)]));
    const r = await vib('eval', '--model', model, '--data', labels, '--backend', 'cpu');
    expect(r.stderr).toContain('its labels go up to 12 (13 classes), the model predicts 10 classes (0..9)');
    const raw = await csv('raw.csv', [...pixels, 'label'], Array.from({ length: 20 }, (_, i) => [...new Array<number>(784).fill(255), i % 10]));
    const r2 = await vib('eval', '--model', model, '--data', raw, '--backend', 'cpu');
    expect(r2.stderr).toContain('its inputs leave [0, 1] (CSV numbers as written), the model was trained on inputs in [0, 1] (uint8 pixels / 255)');
  });
});

describe('messages and exit codes', () => {
  it('a [] or null model.json is one line naming the file', async () => {
    for (const text of ['[]', 'null']) {
      const dir = join(root, `bad-${text}`);
      await mkdir(dir);
      await writeFile(join(dir, 'model.json'), text);
      const r = await vib('eval', '--model', dir, '--backend', 'cpu');
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`vib: error: ${join(dir, 'model.json')}: holds ${text === '[]' ? 'an array' : 'null'}, not a model object: pass the model.json a 'vib train' run wrote\n`);
    }
  });

  it('an empty IDX set names the file; a plugin whose register throws names the plugin; no partial folder is named', async () => {
    const d = join(root, 'empty-idx');
    await mkdir(d);
    for (const [f, dims] of [['train-images-idx3-ubyte', [0, 28, 28]], ['train-labels-idx1-ubyte', [0]], ['t10k-images-idx3-ubyte', [0, 28, 28]], ['t10k-labels-idx1-ubyte', [0]]] as const) {
      await writeFile(join(d, f), encodeIdx(dims, new Uint8Array(0)));
    }
    const r = await vib('train', ...small, '--data', d, '--out', join(root, 'never'));
    expect(r.stderr).toBe(`vib: error: ${join(d, 'train-images-idx3-ubyte')}: holds 0 images: the set is empty; put the MNIST-style files with data in this directory\n`);
    const plugin = join(root, 'throws.mjs');
    await writeFile(plugin, "export function registerBroken() { throw new Error('kaboom'); }\n");
    const p = await vib('train', ...small, '--plugin', plugin, '--out', join(root, 'never'));
    expect(p.stderr).toBe(`vib: error: --plugin ${plugin}: its registerBroken(registry) threw (kaboom): fix the plugin, or leave --plugin ${plugin} out\n`);
    expect(p.stderr).not.toContain('partial');
  });

  it('usage errors exit 2 with an integer example for count flags; --version and --print-config exit 0', async () => {
    const r = await vib('train', '--batch-size', '1e-3');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('vib: error: --batch-size 1e-3 is out of range: it must be an integer ≥ 1, e.g. --batch-size 100\n');
    expect((await vib('train', '--no-such-flag')).code).toBe(2);
    const v = await vib('--version');
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const c = await vib('train', '--print-config', '--epochs', '7', '--beta', '0.01');
    expect(c.code).toBe(0);
    const printed = JSON.parse(c.stdout) as { epochs: number; controller: { config: { beta: number } } };
    expect(printed.epochs).toBe(7);
    expect(printed.controller.config.beta).toBe(0.01);
  });
});
