import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Registry } from '@vib/core';
import { loadVibModel, type VibModel } from '@vib/tasks';
import { fileSystemIO } from '@vib/tasks/node';
import { openCliStore, type StoreFlags } from './store/store-flags.js';
import { CliError } from './util/cli-error.js';

/**
 * The folder a `--model` value names: the value itself when it is a directory, else (when it looks like a
 * run id) the recorded run's model folder from the run store.
 * @param value - the --model value
 * @param storeFlags - `--store`, to resolve a run id
 * @returns a directory path
 * @throws {@link CliError} when it is neither a directory nor a run with a saved model
 */
export async function resolveModelRef(value: string, storeFlags: StoreFlags = {}): Promise<string> {
  const info = await stat(value).catch(() => null);
  if (info?.isDirectory()) return value;
  if (!/^[0-9a-f]{4,12}$/.test(value)) throw new CliError(`--model ${value}: no such directory: pass the folder a 'vib train' run wrote (or its model/ folder), or a run id from 'vib runs ls'`);
  const store = openCliStore(storeFlags);
  try {
    const run = store.get(value);
    const path = run.artifacts['model'] ?? run.artifacts['dir'];
    if (path === undefined) throw new CliError(`--model ${value}: run ${run.id} (${run.command}, ${run.status}) saved no model: pass the run id of a completed 'vib train'`);
    return path;
  } finally {
    store.close();
  }
}

/**
 * Load a saved model from a model directory, a run directory holding `model/`, or a recorded run's id.
 * @param value - the --model value
 * @param registry - resolves the plugins named in the model's metadata
 * @param storeFlags - `--store`, to resolve a run id
 * @returns the model
 * @throws {@link CliError} when the directory does not exist
 * @throws {@link CheckpointError} when it holds no readable model
 * @throws {@link CliError} when its model.json is not text (random bytes)
 */
export async function loadModelDir(value: string, registry: Registry, storeFlags: StoreFlags = {}): Promise<VibModel> {
  const dir = await resolveModelRef(value, storeFlags);
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new CliError(`--model ${value}: the run's model folder ${dir} is gone: it was moved or deleted`);
  const nested = join(dir, 'model');
  const hasNested = await stat(join(nested, 'model.json')).then(() => true, () => false);
  const folder = hasNested ? nested : dir;
  try {
    return await loadVibModel(fileSystemIO(folder), { registry });
  } catch (e) {
    throw (await notTextModelJson(folder, e)) ?? e;
  }
}

/**
 * The library says "no readable model.json ... save a model there first" both when the file is missing and when its
 * bytes are not UTF-8 text; the second is a file that is there but is not a model, so say that instead.
 * @param folder - the model folder
 * @param error - what loading threw
 * @returns the clearer error, or null when the file is missing or the error is another one
 */
async function notTextModelJson(folder: string, error: unknown): Promise<CliError | null> {
  const cause = (error as { cause?: { code?: string } } | null)?.cause;
  if (!(error instanceof Error) || !/^no readable /.test(error.message) || cause?.code !== 'ERR_ENCODING_INVALID_ENCODED_DATA') return null;
  const file = join(folder, 'model.json');
  return new CliError(`${file}: not valid JSON (its bytes are not UTF-8 text), so not a model: pass the folder a 'vib train' run wrote, or copy its model.json again`, { cause: error, details: { file } });
}
