import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError } from '@vib/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/parse-experiment-config.js';
import { buildVibModel } from '../model/build-vib-model.js';
import { loadVibModel, saveVibModel } from '../model/save-load.js';
import { testRegistry, toyDataset } from '../testing/fixtures.js';
import { fileSystemIO } from './file-system-io.js';
import { checkedHttpIO } from './http-io.js';

const registry = testRegistry();
let root = '';
let good: { json: Record<string, unknown>; weights: Uint8Array };
let n = 0;

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'vib-hostile-'));
  const config = parseExperimentConfig({ dataset: { name: 'toy' }, encoder: { hidden: [4] }, latentDim: 2, epochs: 1, seed: 1 }, registry);
  const vm = buildVibModel(config, registry, toyDataset(4, 4));
  await saveVibModel(vm, fileSystemIO(join(root, 'good')));
  good = {
    json: JSON.parse(await readFile(join(root, 'good', 'model.json'), 'utf8')) as Record<string, unknown>,
    weights: new Uint8Array(await readFile(join(root, 'good', 'weights.bin'))),
  };
  // a file of exactly the right size just outside every model folder: loading it would "work"
  await writeFile(join(root, 'secret.bin'), good.weights);
});
afterAll(async () => rm(root, { recursive: true, force: true }));

/** A model folder `root/m<i>/model` with model.json replaced by `json` and weights.bin by `weights`. */
async function folder(json: unknown, weights: Uint8Array | null = good.weights): Promise<string> {
  const dir = join(root, `m${n++}`, 'model');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.json'), typeof json === 'string' ? json : JSON.stringify(json));
  if (weights) await writeFile(join(dir, 'weights.bin'), weights);
  return dir;
}

const withPaths = (paths: unknown[]) => ({ ...good.json, weightsManifest: [{ ...(good.json['weightsManifest'] as object[])[0], paths }] });
const entries = () => (good.json['weightsManifest'] as { weights: { name: string; shape: number[]; dtype: string }[] }[])[0]!.weights;
const withEntries = (weights: unknown[]) => ({ ...good.json, weightsManifest: [{ paths: ['weights.bin'], weights }] });

async function refusal(dir: string): Promise<{ rule: unknown; message: string }> {
  const err = await loadVibModel(fileSystemIO(dir), { registry }).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CheckpointError);
  const e = err as CheckpointError;
  expect(e.message.split('\n')).toHaveLength(1);
  return { rule: e.details['rule'], message: e.message };
}

describe('model folders are a trust boundary (fileSystemIO + loadVibModel)', () => {
  it('loads the untouched folder', async () => {
    const vm = await loadVibModel(fileSystemIO(join(root, 'good')), { registry });
    expect(vm.model.getWeights().length).toBe(entries().length);
  });

  it('refuses a model.json that is not UTF-8 text as a damaged file, not as a missing one', async () => {
    const dir = join(root, 'binary-json');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'model.json'), Uint8Array.from({ length: 256 }, (_, i) => (i * 131 + 200) % 256));
    const r = await refusal(dir);
    expect(r.rule).toBe('json');
    expect(r.message).toBe(`${join(dir, 'model.json')}: not UTF-8 text, so not a model.json: the model file is corrupted or another kind of file`);
  });

  it.each([
    ['../../secret.bin (right size, outside)', ['../../secret.bin'], 'path-inside-folder'],
    ['an absolute path', ['/dev/zero'], 'path-inside-folder'],
    ['../../../../dev/zero', ['../../../../dev/zero'], 'path-inside-folder'],
    ['a file:// URL', ['file:///dev/zero'], 'path-inside-folder'],
    ['a backslash path', ['..\\..\\secret.bin'], 'path-inside-folder'],
    ['weights.bin listed 30,000 times', Array.from({ length: 30000 }, () => 'weights.bin'), 'duplicate-path'],
    ['weights.bin and ./weights.bin', ['weights.bin', './weights.bin'], 'duplicate-path'],
    ['a non-string path', [42], 'path-type'],
  ])('refuses a manifest path: %s', async (_name, paths, rule) => {
    const r = await refusal(await folder(withPaths(paths)));
    expect(r.rule).toBe(rule);
  });

  it('refuses a symlink that escapes the folder, to a file or to /dev/zero', async () => {
    for (const target of [join(root, 'secret.bin'), '/dev/zero']) {
      const dir = await folder(good.json, null);
      await symlink(target, join(dir, 'weights.bin'));
      const r = await refusal(dir);
      expect(r.rule).toBe('path-inside-folder');
      expect(r.message).toContain('outside the model folder');
    }
  });

  it('refuses a FIFO inside the folder without blocking on it', async () => {
    const dir = await folder(good.json, null);
    execFileSync('mkfifo', [join(dir, 'weights.bin')]);
    expect((await refusal(dir)).rule).toBe('regular-file');
  });

  it('refuses weights longer or shorter than declared, naming both sizes', async () => {
    const longer = await refusal(await folder(good.json, Uint8Array.from([...good.weights, 0, 0, 0, 0])));
    expect(longer.rule).toBe('size');
    expect(longer.message).toContain(`${good.weights.length + 4} bytes, but model.json declares ${good.weights.length}`);
    const shorter = await refusal(await folder(good.json, good.weights.subarray(0, 8)));
    expect(shorter.message).toMatch(/8 bytes, but model\.json declares \d+ for it \(truncated\)/);
  });

  it.each([
    ['[]', '[]', 'object'],
    ['null', 'null', 'object'],
    ['a number', '3', 'object'],
    ['not JSON', '{"modelTopology":', 'json'],
    ['no topology', '{"weightsManifest":[]}', 'topology'],
    ['a manifest that is not a list', () => JSON.stringify({ ...good.json, weightsManifest: {} }), 'manifest'],
  ])('refuses a model.json holding %s', async (_name, text, rule) => {
    expect((await refusal(await folder(typeof text === 'string' ? text : text()))).rule).toBe(rule);
  });

  it('refuses entries: a huge declared shape, an unknown dtype, a duplicate name, a negative dimension', async () => {
    const [first, ...rest] = entries();
    const cases: [unknown[], string][] = [
      [[{ ...first, shape: [1e6, 1e6] }, ...rest], 'size-limit'],
      [[{ ...first, dtype: 'string' }, ...rest], 'dtype'],
      [[first, first, ...rest], 'duplicate-weight'],
      [[{ ...first, shape: [-1, 4] }, ...rest], 'shape'],
    ];
    for (const [weights, rule] of cases) expect((await refusal(await folder(withEntries(weights)))).rule).toBe(rule);
  });

  it('refuses declared shapes that do not fit the layers (same byte count)', async () => {
    const [first, ...rest] = entries();
    const swapped = { ...first!, shape: [...first!.shape].reverse() };
    const r = await refusal(await folder(withEntries([swapped, ...rest])));
    expect(r.rule).toBe('topology');
  });

  it('bounds the declared bytes by maxBytes (overridable)', async () => {
    const err = await loadVibModel(fileSystemIO(join(root, 'good'), { maxBytes: 16 }), { registry }).catch((e: unknown) => e);
    expect((err as CheckpointError).details['rule']).toBe('size-limit');
  });
});

describe('checkedHttpIO (the browser path)', () => {
  const serve = (files: Record<string, Uint8Array | string>) =>
    (async (url: string) => {
      const body = files[new URL(url).pathname];
      if (body === undefined) return new Response('no', { status: 404 });
      return new Response(body as BodyInit);
    }) as unknown as typeof fetch;

  it('loads a good model and refuses an escaping path, a longer file and a truncated one', async () => {
    const ok = checkedHttpIO('https://h.test/m/model.json', { fetch: serve({ '/m/model.json': JSON.stringify(good.json), '/m/weights.bin': good.weights }) });
    expect((await loadVibModel(ok, { registry })).model.getWeights().length).toBe(entries().length);
    const cases: [Record<string, Uint8Array | string>, string][] = [
      [{ '/m/model.json': JSON.stringify(withPaths(['../secret.bin'])), '/secret.bin': good.weights }, 'path-inside-folder'],
      [{ '/m/model.json': JSON.stringify(withPaths(['//evil.test/w.bin'])) }, 'path-inside-folder'],
      [{ '/m/model.json': JSON.stringify(good.json), '/m/weights.bin': Uint8Array.from([...good.weights, 1]) }, 'size'],
      [{ '/m/model.json': JSON.stringify(good.json), '/m/weights.bin': good.weights.subarray(1) }, 'size'],
      [{ '/m/model.json': 'null' }, 'object'],
    ];
    for (const [files, rule] of cases) {
      const err = await loadVibModel(checkedHttpIO('https://h.test/m/model.json', { fetch: serve(files) }), { registry }).catch((e: unknown) => e);
      expect((err as CheckpointError).details['rule']).toBe(rule);
    }
  });
  it('joins weights streamed in 7-byte chunks that are views into a larger buffer, exactly as one body', async () => {
    // each chunk is a window at an offset into a bigger buffer, as streams hand them out
    const pool = new Uint8Array(good.weights.length + 64).fill(0xff);
    pool.set(good.weights, 32);
    const stream = () => new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < good.weights.length; i += 7) c.enqueue(new Uint8Array(pool.buffer, 32 + i, Math.min(7, good.weights.length - i)));
        c.close();
      },
    });
    const chunked = (async (url: string) => (new URL(url).pathname === '/m/model.json' ? new Response(JSON.stringify(good.json)) : new Response(stream()))) as unknown as typeof fetch;
    const whole = await loadVibModel(checkedHttpIO('https://h.test/m/model.json', { fetch: serve({ '/m/model.json': JSON.stringify(good.json), '/m/weights.bin': good.weights }) }), { registry });
    const parts = await loadVibModel(checkedHttpIO('https://h.test/m/model.json', { fetch: chunked }), { registry });
    const values = (vm: typeof whole) => vm.model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(values(parts)).toEqual(values(whole));
  });
});

describe('checkedBrowserFiles (picked files in a browser)', () => {
  const blob = (name: string, bytes: Uint8Array | string) => Object.assign(new Blob([bytes as BlobPart]), { name });
  it('loads picked files and refuses a path, a duplicate, a missing file and a size mismatch before reading weights', async () => {
    const { checkedBrowserFiles } = await import('./browser-files-io.js');
    const ok = await loadVibModel(checkedBrowserFiles([blob('model.json', JSON.stringify(good.json)), blob('weights.bin', good.weights)]), { registry });
    expect(ok.model.getWeights().length).toBe(entries().length);
    const cases: [Blob[], string][] = [
      [[blob('model.json', JSON.stringify(withPaths(['../secret.bin']))), blob('secret.bin', good.weights)], 'path-inside-folder'],
      [[blob('model.json', JSON.stringify(withPaths(Array.from({ length: 30000 }, () => 'weights.bin')))), blob('weights.bin', good.weights)], 'duplicate-path'],
      [[blob('model.json', JSON.stringify(good.json))], 'missing'],
      [[blob('model.json', JSON.stringify(good.json)), blob('weights.bin', Uint8Array.from([...good.weights, 0]))], 'size'],
      [[blob('model.json', '[]'), blob('weights.bin', good.weights)], 'object'],
    ];
    for (const [files, rule] of cases) {
      const err = await loadVibModel(checkedBrowserFiles(files as never), { registry }).catch((e: unknown) => e);
      expect((err as CheckpointError).details['rule']).toBe(rule);
    }
  });
});
