import { readFile, stat } from 'node:fs/promises';
import type { SerializedTensor, TensorValues, TrainCheckpoint, TypedTensorValues } from '@vib/tasks';
import { CliError } from '../util/cli-error.js';

/** The checkpoint's file name inside a run folder. */
export const CHECKPOINT_FILE = 'checkpoint.vib';

const MAGIC = 'VIBCKPT\u0001';

/**
 * What the CLI keeps beside the library checkpoint: `--no-plots`, so that a resumed run draws what the run it
 * continues would have drawn. (Checkpoints written before the config had a `subset` keep `--max-train`/`--max-test`
 * here too; reading one moves them into its config.)
 */
export interface CliCheckpointExtras {
  readonly plots?: boolean;
}

interface TensorRef {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32';
  readonly offset: number;
  readonly length: number;
}

/** Whether this machine stores numbers little-endian, as the file does. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * One tensor's values as 4-byte little-endian numbers: on a little-endian machine, typed values as they are (a view,
 * no copy); otherwise a converted copy.
 */
function valueBytes(t: SerializedTensor<TensorValues>): Uint8Array {
  const { values } = t;
  if (LITTLE_ENDIAN && !Array.isArray(values) && values instanceof Int32Array === (t.dtype === 'int32')) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (LITTLE_ENDIAN) {
    const copy = t.dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
    return new Uint8Array(copy.buffer);
  }
  const out = new Uint8Array(4 * values.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (t.dtype === 'int32') view.setInt32(4 * i, v, true);
    else view.setFloat32(4 * i, v, true);
  }
  return out;
}

/**
 * One tensor's values from the file's tail: a view of the file's bytes where they are aligned (files since the
 * header padding) on a little-endian machine, else a copy read through a DataView.
 */
function readValues(tail: DataView, r: TensorRef): TypedTensorValues {
  const at = tail.byteOffset + 4 * r.offset;
  if (LITTLE_ENDIAN && at % 4 === 0) return r.dtype === 'int32' ? new Int32Array(tail.buffer, at, r.length) : new Float32Array(tail.buffer, at, r.length);
  const v = r.dtype === 'int32' ? new Int32Array(r.length) : new Float32Array(r.length);
  for (let i = 0; i < r.length; i++) v[i] = r.dtype === 'int32' ? tail.getInt32(4 * (r.offset + i), true) : tail.getFloat32(4 * (r.offset + i), true);
  return v;
}

/**
 * A checkpoint file as the pieces that make it, in order: the magic `VIBCKPT\x01`, a 4-byte little-endian header
 * length and a JSON header (the checkpoint with each tensor's values replaced by an offset into the tail), then each
 * tensor's 4-byte values (float32 or int32) as written by the training run, NaN included, so nothing is rounded. On a
 * little-endian machine typed values are not copied: their pieces are views of them, so a checkpoint of 10 MB of
 * weights is written without 10 MB more of file in memory.
 * @param cp - the checkpoint, with plain or (as the CLI takes it) typed values
 * @param extras - the CLI's data flags
 * @returns the file's pieces, to be written one after the other
 */
export function checkpointPieces(cp: TrainCheckpoint<TensorValues>, extras: CliCheckpointExtras): Uint8Array[] {
  let count = 0;
  const ref = (t: SerializedTensor<TensorValues>): TensorRef => {
    const r = { name: t.name, shape: t.shape, dtype: t.dtype, offset: count, length: t.values.length };
    count += t.values.length;
    return r;
  };
  const all = [...cp.weights, ...cp.optimizer, ...(cp.ema ?? [])];
  const header = { ...cp, weights: cp.weights.map(ref), optimizer: cp.optimizer.map(ref), ema: cp.ema?.map(ref) ?? null, cli: extras };
  // The header is padded with spaces (still the same JSON) so that the values start 4-byte aligned: a reader then
  // takes them as typed arrays of the file's own bytes.
  const unpadded = new TextEncoder().encode(JSON.stringify(header));
  const head = new Uint8Array(12 + unpadded.length + ((4 - (unpadded.length % 4)) % 4)).fill(0x20);
  head.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(head.buffer).setUint32(8, head.length - 12, true);
  head.set(unpadded, 12);
  return [head, ...all.map(valueBytes)];
}

/**
 * Decode the file {@link checkpointPieces} makes, checking its structure (the library checks the values).
 * @param bytes - the file
 * @param file - its path, for messages
 * @returns the checkpoint and the CLI extras
 * @throws {@link CliError} naming the file when it is not a checkpoint or is truncated
 */
export function decodeCheckpoint(bytes: Uint8Array, file: string): { checkpoint: TrainCheckpoint<TypedTensorValues>; extras: CliCheckpointExtras } {
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
  const values = (refs: unknown): SerializedTensor<TypedTensorValues>[] => {
    if (!Array.isArray(refs)) return bad('a tensor list is missing');
    return (refs as TensorRef[]).map((r) => {
      if (typeof r !== 'object' || r === null || typeof r.name !== 'string') bad('a tensor entry has no name');
      if (r.dtype !== 'float32' && r.dtype !== 'int32') bad(`tensor ${r.name} has dtype ${JSON.stringify(r.dtype) ?? 'none'}, not float32 or int32`);
      if (!Array.isArray(r.shape) || !r.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) bad(`tensor ${r.name} has no shape of whole sizes`);
      if (!Number.isSafeInteger(r.offset) || !Number.isSafeInteger(r.length) || r.offset < 0 || r.length < 0 || 4 * (r.offset + r.length) > tail.byteLength) {
        bad(`tensor ${r.name} lies outside the file (truncated)`);
      }
      return { name: r.name, shape: r.shape, dtype: r.dtype, values: readValues(tail, r) };
    });
  };
  const { cli, ...rest } = header;
  const checkpoint = { ...rest, weights: values(rest['weights']), optimizer: values(rest['optimizer']), ema: rest['ema'] === null ? null : values(rest['ema']) } as unknown as TrainCheckpoint<TypedTensorValues>;
  const { extras, subset } = checkedExtras(cli, bad);
  return { checkpoint: withSubset(checkpoint, subset), extras };
}

/**
 * A checkpoint of a run started before the config had a `subset`, with the subset its header kept as CLI flags
 * moved into its config: resuming it then loads the same data, and the resumed run's config records it.
 * @param cp - the checkpoint as read
 * @param subset - the flags' counts (empty for a checkpoint without them)
 * @returns the checkpoint, its config holding the subset
 */
function withSubset<C extends TrainCheckpoint<TensorValues>>(cp: C, subset: { maxTrain?: number; maxTest?: number }): C {
  const config = cp.config as unknown;
  if (Object.keys(subset).length === 0 || typeof config !== 'object' || config === null || 'subset' in config) return cp;
  return { ...cp, config: { ...(config as TrainCheckpoint['config']), subset } };
}

/**
 * The CLI's flags kept in a checkpoint header, checked: they come back from a file.
 * @param cli - the header's `cli` field (absent in checkpoints of runs without such flags)
 * @param bad - throws the checkpoint's damage error with a reason
 * @returns the extras, and the counts of the flags `maxTrain`/`maxTest` that older checkpoints keep there
 */
function checkedExtras(cli: unknown, bad: (why: string) => never): { extras: CliCheckpointExtras; subset: { maxTrain?: number; maxTest?: number } } {
  if (cli === undefined || cli === null) return { extras: {}, subset: {} };
  if (typeof cli !== 'object' || Array.isArray(cli)) return bad('its flags (cli) are not an object');
  const c = cli as Record<string, unknown>;
  const subset: { maxTrain?: number; maxTest?: number } = {};
  for (const k of ['maxTrain', 'maxTest'] as const) {
    const v = c[k];
    if (v === undefined) continue;
    // the flag's text as it was given, which the run parsed as a count
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 1) bad(`its flag ${k} is not a count of examples`);
    subset[k] = n;
  }
  if (c['plots'] !== undefined && typeof c['plots'] !== 'boolean') bad('its flag plots is not true or false');
  return { extras: typeof c['plots'] === 'boolean' ? { plots: c['plots'] } : {}, subset };
}

/**
 * Read a run folder's checkpoint.
 * @param dir - the run folder
 * @param shown - the folder as the user wrote it
 * @returns the checkpoint and the CLI extras
 * @throws {@link CliError} when the folder does not exist, holds no checkpoint, or it is damaged
 */
export async function readCheckpointFile(dir: string, shown: string): Promise<{ checkpoint: TrainCheckpoint<TypedTensorValues>; extras: CliCheckpointExtras }> {
  const info = await stat(dir).catch(() => null);
  if (info === null) throw new CliError(`--resume ${shown}: no such folder: pass the folder of an interrupted 'vib train' run (its --out)`, { details: { out: shown } });
  if (!info.isDirectory()) throw new CliError(`--resume ${shown}: not a folder: pass the folder of an interrupted 'vib train' run (its --out)`, { details: { out: shown } });
  const file = `${dir}/${CHECKPOINT_FILE}`;
  const bytes = await readFile(file).catch(() => null);
  if (bytes === null) throw new CliError(`--resume ${shown}: no ${CHECKPOINT_FILE} in it: the run finished, or stopped before its first checkpoint; start a new run`, { details: { out: shown } });
  return decodeCheckpoint(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
}
