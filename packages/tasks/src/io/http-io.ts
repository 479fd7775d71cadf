import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '@vib/core';
import { checkModelJson, MAX_MODEL_JSON_BYTES, MAX_MODEL_WEIGHT_BYTES } from './check-model-json.js';

/** Options of {@link checkedHttpIO}. */
export interface CheckedHttpIOOptions {
  /** Most weight bytes the model may declare; default {@link MAX_MODEL_WEIGHT_BYTES}. */
  readonly maxBytes?: number;
  /** The fetch to use (default `globalThis.fetch`). */
  readonly fetch?: typeof fetch;
}

function refuse(file: string, rule: string, message: string): never {
  throw new CheckpointError(`${file}: ${message}`, { details: { file, rule } });
}

/** A chunk as an ArrayBuffer holding exactly its bytes (a stream may hand out views into a larger buffer). */
function exactBuffer(chunk: Uint8Array): ArrayBuffer {
  const whole = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && chunk.buffer instanceof ArrayBuffer;
  return whole ? (chunk.buffer as ArrayBuffer) : (chunk.slice().buffer as ArrayBuffer);
}

/**
 * Read a response body as its chunks, refusing it as soon as it passes `limit` bytes or differs from
 * `expected`; the caller joins the chunks once (tfjs's `concatenateArrayBuffers`), so no more than `limit`
 * bytes are ever held.
 */
async function boundedBody(res: Response, shown: string, limit: number, expected?: number): Promise<{ chunks: ArrayBuffer[]; bytes: number }> {
  const declared = res.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) refuse(shown, 'size-limit', `the server announces ${declared} bytes, more than the ${limit} allowed: refusing to download it`);
  if (declared !== null && expected !== undefined && Number(declared) !== expected && res.headers.get('content-encoding') === null) {
    refuse(shown, 'size', `${declared} bytes, but model.json declares ${expected}: the weights do not belong to this model.json`);
  }
  const reader = res.body?.getReader();
  const chunks: ArrayBuffer[] = [];
  let bytes = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > limit) {
        await reader.cancel();
        refuse(shown, expected !== undefined ? 'size' : 'size-limit', `more than the ${limit} bytes ${expected !== undefined ? 'model.json declares' : 'allowed'}: refusing the rest`);
      }
      chunks.push(exactBuffer(value));
    }
  }
  if (expected !== undefined && bytes !== expected) refuse(shown, 'size', `${bytes} bytes, but model.json declares ${expected} (truncated): the weights do not belong to this model.json`);
  return { chunks, bytes };
}

/**
 * A TensorFlow.js IOHandler that loads a model over HTTP(S) (browsers, Node 18+) with the checks of
 * `fileSystemIO`: model.json is validated by {@link checkModelJson}; every weights path must resolve to the
 * same origin and under model.json's directory; each group of weights files must hold exactly the bytes
 * its entries declare, and downloads stop as soon as a response passes that size.
 * @param url - the model.json URL
 * @param options - `maxBytes`, `fetch`
 * @returns a handler for `loadVibModel`
 * @throws {@link CheckpointError} (from `load`) naming the URL and the rule it breaks
 * @example
 * ```ts
 * const vm = await loadVibModel(checkedHttpIO('https://example.org/vib/model.json'), { registry });
 * ```
 */
export function checkedHttpIO(url: string, options: CheckedHttpIOOptions = {}): tf.io.IOHandler {
  const doFetch = options.fetch ?? globalThis.fetch;
  const maxBytes = options.maxBytes ?? MAX_MODEL_WEIGHT_BYTES;
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const base = new URL(url, typeof location === 'undefined' ? undefined : location.href);
      const get = async (u: URL): Promise<Response> => {
        const res = await doFetch(u.href);
        if (!res.ok) refuse(u.href, 'missing', `HTTP ${res.status}: check the URL`);
        return res;
      };
      const text = new TextDecoder().decode(tf.io.concatenateArrayBuffers((await boundedBody(await get(base), base.href, MAX_MODEL_JSON_BYTES)).chunks));
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        refuse(base.href, 'json', `not valid JSON (${(e as Error).message}): the model file is corrupted`);
      }
      const checked = checkModelJson(base.href, parsed, maxBytes);
      const folder = new URL('./', base);
      const buffers: ArrayBuffer[] = [];
      for (const group of checked.groups) {
        let left = group.bytes;
        for (const [i, p] of group.paths.entries()) {
          const u = new URL(p, folder);
          if (u.origin !== folder.origin || !u.pathname.startsWith(folder.pathname)) refuse(u.href, 'path-inside-folder', `outside ${folder.href}: refusing to fetch it`);
          const last = i === group.paths.length - 1;
          const body = await boundedBody(await get(u), u.href, left, last ? left : undefined);
          left -= body.bytes;
          for (const c of body.chunks) buffers.push(c);
        }
      }
      const specs = checked.json.weightsManifest.flatMap((g) => g.weights);
      return tf.io.getModelArtifactsForJSON(checked.json, async () => [specs, tf.io.concatenateArrayBuffers(buffers)]);
    },
  };
}
