import { readFile } from 'node:fs/promises';
import type { SerializedTensor, TrainCheckpoint } from '@vib/tasks';
import { CliError } from '../util/cli-error.js';

/** The checkpoint's file name inside a run folder. */
export const CHECKPOINT_FILE = 'checkpoint.vib';

const MAGIC = 'VIBCKPT\u0001';

/** What the CLI keeps beside the library checkpoint: the data flags, so `--resume` loads the same data. */
export interface CliCheckpointExtras {
  readonly maxTrain?: string;
  readonly maxTest?: string;
  readonly plots?: boolean;
}

interface TensorRef {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32';
  readonly offset: number;
  readonly length: number;
}

/**
 * Encode a checkpoint as one file: the magic `VIBCKPT\x01`, a 4-byte little-endian header length, a JSON
 * header (the checkpoint with each tensor's values replaced by an offset into the tail) and the tensors'
 * 4-byte values (float32 or int32) as written by the training run, NaN included, so nothing is rounded.
 * @param cp - the checkpoint
 * @param extras - the CLI's data flags
 * @returns the file's bytes
 */
export function encodeCheckpoint(cp: TrainCheckpoint, extras: CliCheckpointExtras): Uint8Array {
  let count = 0;
  const ref = (t: SerializedTensor): TensorRef => {
    const r = { name: t.name, shape: t.shape, dtype: t.dtype, offset: count, length: t.values.length };
    count += t.values.length;
    return r;
  };
  const all = [...cp.weights, ...cp.optimizer, ...(cp.ema ?? [])];
  const header = { ...cp, weights: cp.weights.map(ref), optimizer: cp.optimizer.map(ref), ema: cp.ema?.map(ref) ?? null, cli: extras };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(12 + json.length + 4 * count);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  const view = new DataView(out.buffer, 12 + json.length);
  let at = 0;
  for (const t of all) {
    for (const v of t.values) {
      if (t.dtype === 'int32') view.setInt32(at, v, true);
      else view.setFloat32(at, v, true);
      at += 4;
    }
  }
  return out;
}

/**
 * Decode {@link encodeCheckpoint}'s file, checking its structure (the library checks the values).
 * @param bytes - the file
 * @param file - its path, for messages
 * @returns the checkpoint and the CLI extras
 * @throws {@link CliError} naming the file when it is not a checkpoint or is truncated
 */
export function decodeCheckpoint(bytes: Uint8Array, file: string): { checkpoint: TrainCheckpoint; extras: CliCheckpointExtras } {
  const bad = (why: string): never => {
    throw new CliError(`${file}: ${why}: the checkpoint is damaged; resume is not possible from it`, { details: { file } });
  };
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) bad('not a vib checkpoint (wrong magic)');
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  if (12 + jsonLength > bytes.length) bad('truncated header');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonLength))) as Record<string, unknown>;
  } catch {
    return bad('the header is not JSON');
  }
  const tail = new DataView(bytes.buffer, bytes.byteOffset + 12 + jsonLength, bytes.length - 12 - jsonLength);
  const values = (refs: unknown): SerializedTensor[] => {
    if (!Array.isArray(refs)) return bad('a tensor list is missing');
    return (refs as TensorRef[]).map((r) => {
      if (!Number.isSafeInteger(r.offset) || !Number.isSafeInteger(r.length) || r.offset < 0 || r.length < 0 || 4 * (r.offset + r.length) > tail.byteLength) {
        bad(`tensor ${String(r.name)} lies outside the file (truncated)`);
      }
      const v = new Array<number>(r.length);
      for (let i = 0; i < r.length; i++) v[i] = r.dtype === 'int32' ? tail.getInt32(4 * (r.offset + i), true) : tail.getFloat32(4 * (r.offset + i), true);
      return { name: r.name, shape: r.shape, dtype: r.dtype, values: v };
    });
  };
  const { cli, ...rest } = header;
  const checkpoint = { ...rest, weights: values(rest['weights']), optimizer: values(rest['optimizer']), ema: rest['ema'] === null ? null : values(rest['ema']) } as unknown as TrainCheckpoint;
  return { checkpoint, extras: (cli ?? {}) as CliCheckpointExtras };
}

/**
 * Read a run folder's checkpoint.
 * @param dir - the run folder
 * @param shown - the folder as the user wrote it
 * @returns the checkpoint and the CLI extras
 * @throws {@link CliError} when there is none or it is damaged
 */
export async function readCheckpointFile(dir: string, shown: string): Promise<{ checkpoint: TrainCheckpoint; extras: CliCheckpointExtras }> {
  const file = `${dir}/${CHECKPOINT_FILE}`;
  const bytes = await readFile(file).catch(() => null);
  if (bytes === null) throw new CliError(`--resume ${shown}: no ${CHECKPOINT_FILE} in it: the run finished, or stopped before its first checkpoint; start a new run`, { details: { out: shown } });
  return decodeCheckpoint(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
}
