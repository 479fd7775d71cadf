import { readFile, stat } from 'node:fs/promises';
import type { SerializedTensor, TrainCheckpoint } from '@vib/tasks';
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

/** One tensor's values as 4-byte little-endian numbers at byte `at` of `out` (4-byte aligned). */
function writeValues(out: Uint8Array, at: number, t: SerializedTensor): void {
  if (LITTLE_ENDIAN) {
    const view = t.dtype === 'int32' ? new Int32Array(out.buffer, out.byteOffset + at, t.values.length) : new Float32Array(out.buffer, out.byteOffset + at, t.values.length);
    view.set(t.values);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset + at, 4 * t.values.length);
  t.values.forEach((v, i) => (t.dtype === 'int32' ? view.setInt32(4 * i, v, true) : view.setFloat32(4 * i, v, true)));
}

/** One tensor's values from the file's tail: through a typed array where aligned (files since the header padding), else a DataView. */
function readValues(tail: DataView, r: TensorRef): number[] {
  const v = new Array<number>(r.length);
  const at = tail.byteOffset + 4 * r.offset;
  if (LITTLE_ENDIAN && at % 4 === 0) {
    const typed = r.dtype === 'int32' ? new Int32Array(tail.buffer, at, r.length) : new Float32Array(tail.buffer, at, r.length);
    for (let i = 0; i < r.length; i++) v[i] = typed[i] as number;
  } else {
    for (let i = 0; i < r.length; i++) v[i] = r.dtype === 'int32' ? tail.getInt32(4 * (r.offset + i), true) : tail.getFloat32(4 * (r.offset + i), true);
  }
  return v;
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
  // The header is padded with spaces (still the same JSON) so that the values start 4-byte aligned and can be
  // written through a typed array, which is many times faster than a DataView call per value.
  const unpadded = new TextEncoder().encode(JSON.stringify(header));
  const json = new Uint8Array(unpadded.length + ((4 - (unpadded.length % 4)) % 4)).fill(0x20);
  json.set(unpadded);
  const out = new Uint8Array(12 + json.length + 4 * count);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  let at = 12 + json.length;
  for (const t of all) {
    writeValues(out, at, t);
    at += 4 * t.values.length;
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
      return { name: r.name, shape: r.shape, dtype: r.dtype, values: readValues(tail, r) };
    });
  };
  const { cli, ...rest } = header;
  const checkpoint = { ...rest, weights: values(rest['weights']), optimizer: values(rest['optimizer']), ema: rest['ema'] === null ? null : values(rest['ema']) } as unknown as TrainCheckpoint;
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
function withSubset(cp: TrainCheckpoint, subset: { maxTrain?: number; maxTest?: number }): TrainCheckpoint {
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
export async function readCheckpointFile(dir: string, shown: string): Promise<{ checkpoint: TrainCheckpoint; extras: CliCheckpointExtras }> {
  const info = await stat(dir).catch(() => null);
  if (info === null) throw new CliError(`--resume ${shown}: no such folder: pass the folder of an interrupted 'vib train' run (its --out)`, { details: { out: shown } });
  if (!info.isDirectory()) throw new CliError(`--resume ${shown}: not a folder: pass the folder of an interrupted 'vib train' run (its --out)`, { details: { out: shown } });
  const file = `${dir}/${CHECKPOINT_FILE}`;
  const bytes = await readFile(file).catch(() => null);
  if (bytes === null) throw new CliError(`--resume ${shown}: no ${CHECKPOINT_FILE} in it: the run finished, or stopped before its first checkpoint; start a new run`, { details: { out: shown } });
  return decodeCheckpoint(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
}
