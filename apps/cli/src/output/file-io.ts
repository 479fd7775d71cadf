import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '@vib/core';

/**
 * Collect the TensorFlow.js model artifacts (model.json + weights.bin) in memory, to write into a run dir.
 * @returns the handler and a getter for the files once saved
 */
export function memorySaveHandler(): { handler: tf.io.IOHandler; files: () => { 'model.json': string; 'weights.bin': Uint8Array } } {
  let files: { 'model.json': string; 'weights.bin': Uint8Array } | null = null;
  const handler = tf.io.withSaveHandler(async (artifacts) => {
    const weightData = artifacts.weightData;
    const buffers = weightData === undefined ? [] : Array.isArray(weightData) ? weightData : [weightData];
    const bin = new Uint8Array(tf.io.concatenateArrayBuffers(buffers));
    const json = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    };
    files = { 'model.json': JSON.stringify(json), 'weights.bin': bin };
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bin.byteLength } };
  });
  return {
    handler,
    files: () => {
      if (!files) throw new CheckpointError('the model was not saved: nothing reached the save handler');
      return files;
    },
  };
}

/**
 * A TensorFlow.js load handler reading `model.json` and its weight files from a directory (Node).
 * @param dir - the model directory
 * @returns the handler
 * @throws {@link CheckpointError} (when loading) naming the missing or malformed file
 */
export function directoryLoadHandler(dir: string): tf.io.IOHandler {
  return {
    async load() {
      const jsonPath = join(dir, 'model.json');
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(await readFile(jsonPath, 'utf8')) as tf.io.ModelJSON;
      } catch (e) {
        throw new CheckpointError(`${jsonPath}: cannot read a model (${(e as Error).message}): pass the model directory a 'vib train' run wrote`, { cause: e });
      }
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: ArrayBuffer[] = [];
      for (const group of json.weightsManifest ?? []) {
        specs.push(...group.weights);
        for (const p of group.paths) {
          const file = join(dir, p);
          const bytes = await readFile(file).catch((e: unknown) => {
            throw new CheckpointError(`${file}: missing weight file (${(e as Error).message}): the model directory is incomplete`, { cause: e });
          });
          buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
        }
      }
      const artifacts: tf.io.ModelArtifacts = {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: tf.io.concatenateArrayBuffers(buffers),
      };
      if (json.format !== undefined) artifacts.format = json.format;
      if (json.userDefinedMetadata) artifacts.userDefinedMetadata = json.userDefinedMetadata;
      return artifacts;
    },
  };
}
