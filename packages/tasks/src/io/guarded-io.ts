import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '@vib/core';
import { checkModelJson } from './check-model-json.js';

/**
 * Wrap an IOHandler (or a tfjs URL such as `indexeddb://...`) so that what its `load` returns is checked
 * before tfjs builds anything from it: the weight specs obey the rules of {@link checkModelJson} and the
 * weight data holds exactly the bytes the specs declare. Handlers that check their sources themselves
 * (`fileSystemIO`, `checkedHttpIO`) pass this check trivially.
 * @param io - the handler or URL
 * @returns a handler whose `load` refuses inconsistent artifacts
 * @throws {@link CheckpointError} (from `load`) naming the rule broken
 */
export function guardedIO(io: string | tf.io.IOHandler): tf.io.IOHandler {
  const inner = typeof io === 'string' ? tf.io.getLoadHandlers(io)[0] : io;
  const where = typeof io === 'string' ? io : 'model';
  if (inner?.load === undefined) {
    throw new CheckpointError(`${where}: no TensorFlow.js loader accepts this location: pass a model folder, an http(s) URL or indexeddb://name`, { details: { rule: 'location' } });
  }
  return {
    async load() {
      const artifacts = await inner.load!();
      const specs = artifacts.weightSpecs ?? [];
      const { totalBytes } = checkModelJson(where, { modelTopology: artifacts.modelTopology ?? {}, weightsManifest: [{ paths: ['weights.bin'], weights: specs }] });
      const data = artifacts.weightData === undefined ? 0 : tf.io.CompositeArrayBuffer.join(artifacts.weightData).byteLength;
      if (data !== totalBytes) {
        throw new CheckpointError(`${where}: the weights hold ${data} bytes but their specs declare ${totalBytes}: the model is corrupted`, {
          details: { file: where, rule: 'size', bytes: data, declared: totalBytes },
        });
      }
      return artifacts;
    },
  };
}
