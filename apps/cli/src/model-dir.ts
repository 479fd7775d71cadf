import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { VibError, type Registry } from '@vib/core';
import { loadVibModel, type VibModel } from '@vib/tasks';
import { fileSystemIO } from '@vib/tasks/node';
import { openStoreToRead } from './runs/open-runs-store.js';
import type { StoreFlags } from './store/store-flags.js';
import { CliError, usageError } from './util/cli-error.js';

/**
 * The folder a `--model` value names: the value itself when it is a directory, else (when it looks like a
 * run id) the recorded run's model folder from the run store.
 * @param value - the --model value
 * @param storeFlags - `--store`, to resolve a run id
 * @returns a directory path
 * @throws {@link CliError} when it is neither a directory nor a run with a saved model (exit code 2 when it does not
 *   look like a run id either, or names no run in the store)
 */
export async function resolveModelRef(value: string, storeFlags: StoreFlags = {}): Promise<string> {
  const info = await stat(value).catch(() => null);
  if (info?.isDirectory()) return value;
  if (!/^[0-9a-f]{4,12}$/.test(value)) throw usageError(`--model ${value}: no such directory: pass the folder a 'vib train' run wrote (or its model/ folder), or a run id from 'vib runs ls'`);
  // looking a run up never creates a store, nor writes into a file that is not one
  const store = openStoreToRead(storeFlags);
  try {
    let run: ReturnType<typeof store.get>;
    try {
      run = store.get(value);
    } catch (e) {
      // an id the store does not hold is a bad --model value, as a path that names nothing is
      if (VibError.isInstance(e) && e.code === 'E_NO_SUCH_RUN') throw usageError(`--model ${value}: ${e.message}`, { cause: e });
      throw e;
    }
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
 */
export async function loadModelDir(value: string, registry: Registry, storeFlags: StoreFlags = {}): Promise<VibModel> {
  const dir = await resolveModelRef(value, storeFlags);
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new CliError(`--model ${value}: the run's model folder ${dir} is gone: it was moved or deleted`);
  const nested = join(dir, 'model');
  const hasNested = await stat(join(nested, 'model.json')).then(() => true, () => false);
  try {
    return await loadVibModel(fileSystemIO(hasNested ? nested : dir), { registry });
  } catch (e) {
    // a model trained with a plugin's prior, task or controller names it in its file: the plugin is not loaded here
    if (VibError.isInstance(e) && e.code === 'E_NO_SUCH_PLUGIN') {
      const { kind, name } = e.details as { kind?: string; name?: string };
      throw usageError(`--model ${value}: the model was trained with the ${kind} "${name}", which no built-in or --plugin module registers here (${e.message}): pass the --plugin that registers it, as when it was trained`, {
        cause: e,
        details: { flag: '--model', value, kind, name },
      });
    }
    throw e;
  }
}
