import type * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '@vib/core/errors';

/**
 * The most bytes of weights a model folder may declare (1 GiB), so that a hostile model.json cannot make a
 * loader allocate without bound. Pass `maxBytes` to {@link checkModelJson} or `fileSystemIO` to change it.
 */
export const MAX_MODEL_WEIGHT_BYTES = 1024 * 1024 * 1024;

/** The most bytes a model.json file may have (64 MiB) before it is parsed. */
export const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

/** One weights file a checked manifest names, with the bytes its group declares. */
export interface CheckedWeightGroup {
  /** Relative paths of the group's shards, in order (tfjs concatenates them). */
  readonly paths: readonly string[];
  /** Bytes the group's weight entries declare: the shards' sizes must add up to this. */
  readonly bytes: number;
}

/** What {@link checkModelJson} returns. */
export interface CheckedModelJson {
  /** The parsed model.json, now known to be an object with a well-formed weights manifest. */
  readonly json: tf.io.ModelJSON;
  /** The manifest's groups with their declared byte counts. */
  readonly groups: readonly CheckedWeightGroup[];
  /** Sum of `groups[].bytes`. */
  readonly totalBytes: number;
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

function refuse(file: string, rule: string, message: string): never {
  throw new CheckpointError(`${file}: ${message}`, { details: { file, rule } });
}

/**
 * Check that a weights path is a plain relative path: not empty, not absolute, no `..` segment, no URL
 * scheme, no backslash, no NUL. (A symlink escape is checked where the file system is: in `fileSystemIO`.)
 * @param file - model.json's name, for the message
 * @param p - the path as the manifest writes it
 * @throws {@link CheckpointError} naming the path and the rule it breaks
 */
export function checkWeightPath(file: string, p: unknown): asserts p is string {
  if (typeof p !== 'string' || p.length === 0) refuse(file, 'path-type', `weights path ${JSON.stringify(p)} is not a non-empty string: the model file is corrupted`);
  const why =
    p.includes('\0') ? 'contains a NUL byte'
    : p.includes('\\') ? 'contains a backslash'
    : p.startsWith('/') || /^[A-Za-z]:/.test(p) ? 'is absolute'
    : /^[A-Za-z][A-Za-z0-9+.-]*:/.test(p) ? 'has a URL scheme'
    : p.split('/').some((s) => s === '..') ? "has a '..' segment"
    : null;
  if (why !== null) refuse(file, 'path-inside-folder', `weights path ${JSON.stringify(p)} ${why}: a model may only read files inside its own folder; refusing to load it`);
}

function entryBytes(file: string, w: unknown, seen: Set<string>): number {
  const e = w as Partial<tf.io.WeightsManifestEntry> | null;
  if (typeof e !== 'object' || e === null || typeof e.name !== 'string') refuse(file, 'entry', `a weights entry ${JSON.stringify(w)?.slice(0, 80)} has no name: the model file is corrupted`);
  if (seen.has(e.name)) refuse(file, 'duplicate-weight', `weight ${JSON.stringify(e.name)} is listed twice: the model file is corrupted or hostile`);
  seen.add(e.name);
  const shape = e.shape as unknown;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    refuse(file, 'shape', `weight ${JSON.stringify(e.name)} has shape ${JSON.stringify(shape)}, not a list of integers ≥ 0`);
  }
  const dtype = e.quantization?.dtype ?? e.dtype;
  const size = typeof dtype === 'string' ? BYTES_PER_ELEMENT[dtype] : undefined;
  if (size === undefined || (e.dtype !== undefined && !['float32', 'int32', 'bool'].includes(e.dtype))) {
    refuse(file, 'dtype', `weight ${JSON.stringify(e.name)} has dtype ${JSON.stringify(e.dtype)}${e.quantization ? ` (quantized as ${JSON.stringify(dtype)})` : ''}: only float32, int32 and bool (quantized uint8, uint16, float16) are loaded`);
  }
  return (shape as number[]).reduce((a, b) => a * b, 1) * size;
}

/**
 * Validate a parsed model.json before any weights byte is read: an object with `modelTopology` and a
 * `weightsManifest` whose paths are plain relative paths inside the folder, listed once each; whose entries
 * have unique names, integer shapes and known dtypes; and whose declared bytes stay within `maxBytes`.
 * @param file - model.json's name or URL, for messages
 * @param json - what `JSON.parse` returned
 * @param maxBytes - the bound on declared weight bytes (default {@link MAX_MODEL_WEIGHT_BYTES})
 * @returns the model JSON and the bytes each group of weight files must hold
 * @throws {@link CheckpointError} naming the file and the rule broken (details `{ file, rule }`)
 * @example
 * ```ts
 * const { totalBytes } = checkModelJson('model.json', JSON.parse(text));
 * ```
 */
export function checkModelJson(file: string, json: unknown, maxBytes: number = MAX_MODEL_WEIGHT_BYTES): CheckedModelJson {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    refuse(file, 'object', `holds ${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json}, not a model object: pass the model.json a 'vib train' run wrote`);
  }
  const m = json as Partial<tf.io.ModelJSON>;
  if (typeof m.modelTopology !== 'object' || m.modelTopology === null) refuse(file, 'topology', 'has no modelTopology: pass the model.json a \'vib train\' run wrote');
  const manifest = (m.weightsManifest ?? []) as unknown;
  if (!Array.isArray(manifest)) refuse(file, 'manifest', 'weightsManifest is not a list: the model file is corrupted');
  const paths = new Set<string>();
  const names = new Set<string>();
  const groups: CheckedWeightGroup[] = [];
  let totalBytes = 0;
  for (const g of manifest as unknown[]) {
    const group = g as Partial<tf.io.WeightsManifestConfig[number]> | null;
    if (typeof group !== 'object' || group === null || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      refuse(file, 'manifest', 'a weightsManifest group lacks paths or weights lists: the model file is corrupted');
    }
    for (const p of group.paths) {
      checkWeightPath(file, p);
      const key = p.split('/').filter((s) => s !== '' && s !== '.').join('/');
      if (paths.has(key)) refuse(file, 'duplicate-path', `weights path ${JSON.stringify(p)} is listed more than once: the model file is corrupted or hostile`);
      paths.add(key);
    }
    let bytes = 0;
    for (const w of group.weights) {
      bytes += entryBytes(file, w, names);
      if (totalBytes + bytes > maxBytes) {
        refuse(file, 'size-limit', `the weights declare more than ${maxBytes} bytes, the limit: raise maxBytes if this model is trusted and that large`);
      }
    }
    if (group.paths.length === 0 && bytes > 0) refuse(file, 'manifest', 'a weightsManifest group has weights but no files: the model file is corrupted');
    totalBytes += bytes;
    groups.push({ paths: group.paths as string[], bytes });
  }
  return { json: m as tf.io.ModelJSON, groups, totalBytes };
}
