import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '@vib/core';
import { checkModelJson, MAX_MODEL_JSON_BYTES, MAX_MODEL_WEIGHT_BYTES } from './check-model-json.js';

/** The part of a browser `File` this loader uses (so that Node tests can pass `Blob`s with names). */
export interface NamedBlob {
  /** The file's name, e.g. `weights.bin`. */
  readonly name: string;
  /** Its size in bytes. */
  readonly size: number;
  /** Its bytes. */
  arrayBuffer(): Promise<ArrayBuffer>;
}

function refuse(file: string, rule: string, message: string): never {
  throw new CheckpointError(`${file}: ${message}`, { details: { file, rule } });
}

/**
 * A TensorFlow.js IOHandler for files a user picked in a browser (model.json and its weight files), with
 * the checks of `fileSystemIO`: model.json is bounded and validated by {@link checkModelJson}; every
 * weights path must be a plain file name among the picked files (a browser has no folders: a `/` or
 * `..` is refused), listed once; each group's files must have exactly the declared size, checked on
 * `File.size` before a byte is read.
 * @param files - the picked files, model.json among them
 * @param options - `maxBytes`, the bound on declared weight bytes (default {@link MAX_MODEL_WEIGHT_BYTES})
 * @returns a handler for `loadVibModel`
 * @throws {@link CheckpointError} (from `load`) naming the file and the rule it breaks
 * @example
 * ```ts
 * const vm = await loadVibModel(checkedBrowserFiles([...input.files]), { registry });
 * ```
 */
export function checkedBrowserFiles(files: readonly NamedBlob[], options: { maxBytes?: number } = {}): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const json = files.find((f) => f.name.endsWith('.json'));
      if (json === undefined) refuse('(picked files)', 'missing', `no .json among ${files.map((f) => f.name).join(', ')}: pick model.json and its .bin files together`);
      if (json.size > MAX_MODEL_JSON_BYTES) refuse(json.name, 'size-limit', `${json.size} bytes, more than the ${MAX_MODEL_JSON_BYTES}-byte limit for this file: it is not a model file`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder().decode(await json.arrayBuffer()));
      } catch (e) {
        refuse(json.name, 'json', `not valid JSON (${(e as Error).message}): the model file is corrupted`);
      }
      const checked = checkModelJson(json.name, parsed, options.maxBytes ?? MAX_MODEL_WEIGHT_BYTES);
      const parts: ArrayBuffer[] = [];
      for (const group of checked.groups) {
        const picked = group.paths.map((p) => {
          if (p.includes('/')) refuse(p, 'path-inside-folder', 'is not a plain file name: a model loaded from picked files may only name files picked with it');
          const f = files.find((c) => c.name === p);
          if (f === undefined) refuse(p, 'missing', `was not picked: pick model.json together with ${group.paths.join(', ')}`);
          return f;
        });
        const size = picked.reduce((a, f) => a + f.size, 0);
        if (size !== group.bytes) {
          refuse(group.paths.join(' + '), 'size', `${size} bytes, but ${json.name} declares ${group.bytes} (${size > group.bytes ? 'longer' : 'truncated'}): the weights do not belong to this model.json`);
        }
        for (const f of picked) parts.push(await f.arrayBuffer());
      }
      const specs = checked.json.weightsManifest.flatMap((g) => g.weights);
      return tf.io.getModelArtifactsForJSON(checked.json, async () => [specs, tf.io.concatenateArrayBuffers(parts)]);
    },
  };
}
