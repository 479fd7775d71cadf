import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunStore } from '@vib/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, usageError } from '../util/cli-error.js';
import { recordRun } from './run-recorder.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vib-recorder-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const refuse = (error: Error) => async (): Promise<never> => {
  throw error;
};

/** The runs in a store, opened read-only. */
function runs(file: string): { command: string; status: string }[] {
  const store = RunStore.open(file, { readonly: true });
  try {
    return store.list().map((r) => ({ command: r.command, status: r.status }));
  } finally {
    store.close();
  }
}

describe('recordRun: a usage error is no run', () => {
  it('leaves no row in an existing store', async () => {
    const file = join(dir, 'existing.sqlite');
    RunStore.open(file).close();
    await expect(recordRun({ store: file }, 'eval', ['eval'], refuse(usageError('--samples 0 is out of range')))).rejects.toThrow('--samples 0 is out of range');
    expect(runs(file)).toEqual([]);
  });

  it('creates no store file, and no folder for it, when there was none', async () => {
    const file = join(dir, 'new', 'deeper', 'runs.sqlite');
    await expect(recordRun({ store: file }, 'eval', ['eval'], refuse(usageError('--samples 0 is out of range')))).rejects.toThrow();
    expect(existsSync(join(dir, 'new'))).toBe(false);
    expect(await readdir(dir)).not.toContain('new');
  });

  it('still records any other failure as failed', async () => {
    const file = join(dir, 'failed.sqlite');
    await expect(recordRun({ store: file }, 'eval', ['eval'], refuse(new CliError('--model m: no such directory')))).rejects.toThrow();
    expect(runs(file)).toEqual([{ command: 'eval', status: 'failed' }]);
  });
});
