import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Registry } from '@vib/core';
import { loadVibModel, type VibModel } from '@vib/tasks';
import { fileSystemIO } from '@vib/tasks/node';
import { CliError } from './util/cli-error.js';

/**
 * Load a saved model from a model directory, or from a run directory holding `model/`.
 * @param dir - the --model value
 * @param registry - resolves the plugins named in the model's metadata
 * @returns the model
 * @throws {@link CliError} when the directory does not exist
 * @throws {@link CheckpointError} when it holds no readable model
 */
export async function loadModelDir(dir: string, registry: Registry): Promise<VibModel> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new CliError(`--model ${dir}: no such directory: pass the folder a 'vib train' run wrote (or its model/ folder)`);
  const nested = join(dir, 'model');
  const hasNested = await stat(join(nested, 'model.json')).then(() => true, () => false);
  return loadVibModel(fileSystemIO(hasNested ? nested : dir), { registry });
}
