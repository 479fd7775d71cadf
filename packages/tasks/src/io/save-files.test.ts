import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '@vib/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { fileSystemIO } from './file-system-io.js';

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, open: vi.fn(actual.open) };
});

const root = mkdtempSync(join(tmpdir(), 'vib-save-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const artifacts = (values: number[]): tf.io.ModelArtifacts => ({
  modelTopology: { class_name: 'Demo', values: values.length },
  weightSpecs: [{ name: 'w', shape: [values.length], dtype: 'float32' }],
  weightData: new Float32Array(values).buffer,
});
const files = (dir: string): string[] => readdirSync(dir).sort();
/** fileSystemIO(dir).save, which tfjs's IOHandler type leaves optional. */
const save = (dir: string, a: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
  const io = fileSystemIO(dir);
  if (io.save === undefined) throw new Error('fileSystemIO has no save');
  return io.save(a);
};

describe('fileSystemIO saves each file whole or not at all', () => {
  it('a save that fails while writing the weights leaves the model saved before it as it was, and no temporary files', async () => {
    const dir = join(root, 'model');
    await save(dir, artifacts([1, 2, 3, 4]));
    const [json, bin] = [readFileSync(join(dir, 'model.json')), readFileSync(join(dir, 'weights.bin'))];
    expect(Array.from(new Float32Array(bin.buffer, bin.byteOffset, 4))).toEqual([1, 2, 3, 4]);
    // the disk fills half-way through the new weights
    const actual = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises');
    vi.mocked(fsp.open).mockImplementationOnce(async (path, flags) => {
      const handle = await actual.open(path, flags);
      return {
        writeFile: async (data: Uint8Array) => {
          await handle.writeFile(data.subarray(0, data.length / 2));
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      } as never;
    });
    const err = await save(dir, artifacts([5, 6, 7, 8, 9, 10])).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as Error).message).toMatch(/^cannot write .*weights\.bin \(no space left on the device\): the file there, if any, is left as it was$/);
    expect(files(dir)).toEqual(['model.json', 'weights.bin']);
    expect(readFileSync(join(dir, 'model.json')).equals(json)).toBe(true);
    expect(readFileSync(join(dir, 'weights.bin')).equals(bin)).toBe(true);
    // and the next save replaces both
    await save(dir, artifacts([5, 6, 7, 8, 9, 10]));
    expect(readFileSync(join(dir, 'weights.bin')).length).toBe(24);
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).modelTopology).toEqual({ class_name: 'Demo', values: 6 });
    expect(files(dir)).toEqual(['model.json', 'weights.bin']);
  });

  it('creates missing folders, and names a file in the way', async () => {
    await save(join(root, 'a', 'b', 'c'), artifacts([1]));
    expect(files(join(root, 'a', 'b', 'c'))).toEqual(['model.json', 'weights.bin']);
    writeFileSync(join(root, 'plain'), 'x');
    await expect(save(join(root, 'plain', 'm'), artifacts([1]))).rejects.toThrow(/cannot save a model in ".*plain\/m": .*plain is a file, not a folder; choose another folder/);
  });

  it.skipIf(!existsSync('/proc/self'))('refuses a folder under /proc at once (Node’s recursive mkdir spins there for ever)', async () => {
    await expect(save('/proc/vib-no-such/model', artifacts([1]))).rejects.toThrow(/cannot save a model in "\/proc\/vib-no-such\/model": cannot create \/proc\/vib-no-such \(/);
  }, 10_000);
});
