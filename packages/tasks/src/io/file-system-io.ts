import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '@vib/core';
import { checkModelJson, MAX_MODEL_JSON_BYTES, MAX_MODEL_WEIGHT_BYTES } from './check-model-json.js';
import { openModelFile, readBoundedModelFile, readOpenedModelFile, type OpenedModelFile } from './read-model-file.js';
import { makeFolder, writeFileAtomic } from './save-files.js';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/** Options of {@link fileSystemIO}. */
export interface FileSystemIOOptions {
  /** Most weight bytes a loaded model may declare; default {@link MAX_MODEL_WEIGHT_BYTES} (1 GiB). */
  readonly maxBytes?: number;
}

/**
 * A TensorFlow.js IOHandler that saves to and loads from a directory. Node only: it is exported from
 * `@vib/tasks/node`, never from the browser-safe main entry `@vib/tasks`. Writes
 * `model.json` (topology, weights manifest, and the user-defined metadata where `saveVibModel`
 * keeps the experiment config and controller state) and `weights.bin`, each to a temporary file renamed over the old
 * one, so a failed or interrupted save leaves each file as it was or complete (weights first); missing folders are
 * created one level at a time.
 *
 * Loading treats the folder as untrusted: model.json is checked by {@link checkModelJson} before a
 * weights byte is read; every weights file must resolve (symlinks followed) inside the folder and be a
 * regular file whose size is what the manifest declares; only then is it read, exactly that many bytes.
 * @param dir - the directory (created when saving); a `file://` prefix is accepted
 * @param options - `maxBytes`, the bound on declared weight bytes
 * @returns the handler, for `saveVibModel` / `loadVibModel` / `model.save`
 * @throws {@link CheckpointError} (from `load`) when the directory holds no readable model, or a file
 *   breaks a rule (details `{ file, rule }`); (from `save`) when the folder cannot be made or a file written
 * @example
 * ```ts
 * await saveVibModel(vm, fileSystemIO('runs/mnist'));
 * const again = await loadVibModel(fileSystemIO('runs/mnist'), { registry });
 * ```
 */
export function fileSystemIO(dir: string, options: FileSystemIOOptions = {}): tf.io.IOHandler {
  const root = dir.startsWith('file://') ? dir.slice('file://'.length) : dir;
  const maxBytes = options.maxBytes ?? MAX_MODEL_WEIGHT_BYTES;
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      await makeFolder(root);
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const manifest: tf.io.WeightsManifestConfig = [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }];
      const modelJSON: Record<string, unknown> = {
        modelTopology: artifacts.modelTopology,
        weightsManifest: manifest,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
      };
      if (artifacts.userDefinedMetadata !== undefined) modelJSON.userDefinedMetadata = artifacts.userDefinedMetadata;
      if (artifacts.trainingConfig !== undefined) modelJSON.trainingConfig = artifacts.trainingConfig;
      // each file whole or not at all; the weights first, so a model.json is never newer than the weights beside it
      await writeFileAtomic(join(root, WEIGHTS_BIN), new Uint8Array(weights));
      await writeFileAtomic(join(root, MODEL_JSON), JSON.stringify(modelJSON));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const fs = await import('node:fs/promises');
      const path = await import('node:path');
      let realRoot: string;
      try {
        realRoot = await fs.realpath(root);
      } catch (cause) {
        throw new CheckpointError(`no readable ${MODEL_JSON} in "${root}" (the folder does not exist): save a model there first, or check the path`, { cause, details: { path: root } });
      }
      const jsonFile = path.join(root, MODEL_JSON);
      let bytes: Uint8Array;
      try {
        bytes = await readBoundedModelFile(realRoot, MODEL_JSON, jsonFile, MAX_MODEL_JSON_BYTES);
      } catch (cause) {
        if (cause instanceof CheckpointError && cause.details['rule'] !== 'missing') throw cause;
        throw new CheckpointError(`no readable ${MODEL_JSON} in "${root}": save a model there first, or check the path`, { cause, details: { path: root } });
      }
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch (cause) {
        throw new CheckpointError(`${jsonFile}: not UTF-8 text, so not a model.json: the model file is corrupted or another kind of file`, { cause, details: { file: jsonFile, rule: 'json' } });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (cause) {
        throw new CheckpointError(`${jsonFile}: not valid JSON (${(cause as Error).message}): the model file is corrupted`, { cause, details: { file: jsonFile, rule: 'json' } });
      }
      const checked = checkModelJson(jsonFile, parsed, maxBytes);
      const buffers: ArrayBuffer[] = [];
      for (const group of checked.groups) {
        const opened: OpenedModelFile[] = [];
        try {
          for (const p of group.paths) opened.push(await openModelFile(realRoot, p, path.join(root, p)));
        } catch (e) {
          await Promise.all(opened.map((f) => f.handle.close()));
          throw e;
        }
        const size = opened.reduce((a, f) => a + f.size, 0);
        if (size !== group.bytes) {
          await Promise.all(opened.map((f) => f.handle.close()));
          const shown = opened.map((f) => f.shown).join(' + ');
          throw new CheckpointError(
            `${shown}: ${size} bytes, but ${MODEL_JSON} declares ${group.bytes} for ${group.paths.length === 1 ? 'it' : 'them'} (${size > group.bytes ? 'longer' : 'truncated'}): the weights do not belong to this model.json; copy the folder again`,
            { details: { file: shown, rule: 'size', bytes: size, declared: group.bytes } },
          );
        }
        for (const f of opened) {
          const buf = await readOpenedModelFile(f);
          buffers.push(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
        }
      }
      const specs = checked.json.weightsManifest.flatMap((g) => g.weights);
      return tf.io.getModelArtifactsForJSON(checked.json, async () => [specs, tf.io.concatenateArrayBuffers(buffers)]);
    },
  };
}
