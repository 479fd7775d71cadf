import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '@vib/core';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/**
 * A TensorFlow.js IOHandler that saves to and loads from a directory. Node only: it is exported from
 * `@vib/tasks/node`, never from the browser-safe main entry `@vib/tasks`. Writes
 * `model.json` (topology, weights manifest, and the user-defined metadata where `saveVibModel`
 * keeps the experiment config and controller state) and `weights.bin`.
 * @param dir - the directory (created when saving); a `file://` prefix is accepted
 * @returns the handler, for `saveVibModel` / `loadVibModel` / `model.save`
 * @throws {@link CheckpointError} (from `load`) when the directory holds no readable model
 * @example
 * ```ts
 * await saveVibModel(vm, fileSystemIO('runs/mnist'));
 * const again = await loadVibModel(fileSystemIO('runs/mnist'), { registry });
 * ```
 */
export function fileSystemIO(dir: string): tf.io.IOHandler {
  const root = dir.startsWith('file://') ? dir.slice('file://'.length) : dir;
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      await mkdir(root, { recursive: true });
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
      await writeFile(join(root, MODEL_JSON), JSON.stringify(modelJSON));
      await writeFile(join(root, WEIGHTS_BIN), new Uint8Array(weights));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      let modelJSON: tf.io.ModelJSON;
      try {
        modelJSON = JSON.parse(await readFile(join(root, MODEL_JSON), 'utf8')) as tf.io.ModelJSON;
      } catch (cause) {
        throw new CheckpointError(`no readable ${MODEL_JSON} in "${root}": save a model there first, or check the path`, {
          cause,
          details: { path: root },
        });
      }
      return tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const buf = await readFile(join(root, p));
            buffers.push(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
          }
        }
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}
