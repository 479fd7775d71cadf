import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TensorValues, TrainCheckpoint, TypedTensorValues } from '@vib/tasks';
import { describe, expect, it } from 'vitest';
import { checkpointPieces, decodeCheckpoint, readCheckpointFile, type CliCheckpointExtras } from './checkpoint-file.js';

/** The file's bytes: {@link checkpointPieces} joined, as `writeFileAtomic` writes them one after the other. */
function encodeCheckpoint(cp: TrainCheckpoint<TensorValues>, extras: CliCheckpointExtras): Uint8Array {
  const pieces = checkpointPieces(cp, extras);
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  pieces.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

/** A checkpoint-shaped object (only the tensor lists matter to the file format), with float32 values as a run has. */
const checkpoint = (note: string): TrainCheckpoint =>
  ({
    format: 'vib-train-checkpoint',
    version: 2,
    note,
    weights: [
      { name: 'w0', shape: [2, 3], dtype: 'float32', values: [0.1, -0, Number.NaN, Infinity, -3.4e38, 1e-45].map(Math.fround) },
      { name: 'w1', shape: [1], dtype: 'float32', values: [Math.fround(1 / 3)] },
    ],
    optimizer: [{ name: 'iter', shape: [], dtype: 'int32', values: [-2147483648] }],
    ema: [{ name: 'ema/0', shape: [3], dtype: 'float32', values: [1, 2, 3] }],
  }) as unknown as TrainCheckpoint;

/** The old writer (before the header padding): one DataView call per value, wherever the header ends. */
function encodeUnpadded(cp: TrainCheckpoint): Uint8Array {
  const all = [...cp.weights, ...cp.optimizer, ...(cp.ema ?? [])];
  let count = 0;
  const ref = (t: (typeof all)[number]) => ({ name: t.name, shape: t.shape, dtype: t.dtype, offset: (count += t.values.length) - t.values.length, length: t.values.length });
  const header = { ...cp, weights: cp.weights.map(ref), optimizer: cp.optimizer.map(ref), ema: cp.ema?.map(ref) ?? null, cli: {} };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(12 + json.length + 4 * count);
  out.set(new TextEncoder().encode('VIBCKPT\u0001'));
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  const view = new DataView(out.buffer, 12 + json.length);
  let at = 0;
  for (const t of all) for (const v of t.values) (t.dtype === 'int32' ? view.setInt32(at, v, true) : view.setFloat32(at, v, true), (at += 4));
  return out;
}

const tensors = (cp: TrainCheckpoint<TensorValues>) => [...cp.weights, ...cp.optimizer, ...(cp.ema ?? [])].map((t) => [t.name, t.shape, t.dtype, Array.from(t.values)]);

/** The same checkpoint with typed values, as `trainer.checkpoint({ values: 'typed' })` gives it. */
const typed = (cp: TrainCheckpoint): TrainCheckpoint<TypedTensorValues> => {
  const each = (ts: TrainCheckpoint['weights']) => ts.map((t) => ({ ...t, values: t.dtype === 'int32' ? Int32Array.from(t.values) : Float32Array.from(t.values) }));
  return { ...cp, weights: each(cp.weights), optimizer: each(cp.optimizer), ema: cp.ema ? each(cp.ema) : null };
};

describe('checkpoint file', () => {
  // four header lengths, one for each remainder mod 4
  it.each(['', 'a', 'ab', 'abc'])('round-trips every value exactly, NaN and -0 included, and starts the values 4-byte aligned (note %j)', (note) => {
    const cp = checkpoint(note);
    const bytes = encodeCheckpoint(cp, { plots: false });
    const headerLength = new DataView(bytes.buffer).getUint32(8, true);
    expect((12 + headerLength) % 4).toBe(0);
    const back = decodeCheckpoint(bytes, 'x.vib');
    expect(tensors(back.checkpoint)).toEqual(tensors(cp));
    expect(Object.is(back.checkpoint.weights[0]?.values[1], -0)).toBe(true);
    expect(back.extras).toEqual({ plots: false });
    expect((back.checkpoint as unknown as { note: string }).note).toBe(note);
  });

  it.each(['', 'a', 'ab', 'abc'])('reads files written before the padding, whatever their alignment (note %j)', (note) => {
    const cp = checkpoint(note);
    const old = encodeUnpadded(cp);
    // also at an odd offset inside a larger buffer, as a pooled Buffer from readFile may be
    const shifted = new Uint8Array(old.length + 3);
    shifted.set(old, 3);
    for (const bytes of [old, shifted.subarray(3)]) expect(tensors(decodeCheckpoint(bytes, 'x.vib').checkpoint)).toEqual(tensors(cp));
  });

  it('keeps --no-plots, and refuses flags of the wrong type in the header as damage', () => {
    expect(decodeCheckpoint(encodeCheckpoint(checkpoint(''), { plots: false }), 'x.vib').extras).toEqual({ plots: false });
    const bad = (cli: unknown) => () => decodeCheckpoint(encodeCheckpoint(checkpoint(''), cli as never), 'run/checkpoint.vib');
    expect(bad({ plots: 'no' })).toThrow('run/checkpoint.vib: its flag plots is not true or false: the checkpoint is damaged');
    for (const v of [10, '0', '-3', '2.5', '', 'ten']) expect(bad({ maxTrain: v })).toThrow('its flag maxTrain is not a count of examples');
    expect(bad(['x'])).toThrow('its flags (cli) are not an object');
  });

  it("moves an older checkpoint's --max-train/--max-test into its config's subset, so a resume loads the same data", () => {
    const old = { ...checkpoint(''), config: { dataset: { name: 'mnist' }, seed: 3 } } as unknown as TrainCheckpoint;
    const back = decodeCheckpoint(encodeCheckpoint(old, { maxTrain: '300', maxTest: '1e2', plots: false } as never), 'x.vib');
    expect(back.checkpoint.config).toEqual({ dataset: { name: 'mnist' }, seed: 3, subset: { maxTrain: 300, maxTest: 100 } });
    expect(back.extras).toEqual({ plots: false });
    // a checkpoint whose config has a subset, and one without the flags, are read as they are
    const current = { ...checkpoint(''), config: { dataset: { name: 'mnist' }, subset: { maxTrain: 5 } } } as unknown as TrainCheckpoint;
    expect(decodeCheckpoint(encodeCheckpoint(current, {}), 'x.vib').checkpoint.config).toEqual({ dataset: { name: 'mnist' }, subset: { maxTrain: 5 } });
    expect(decodeCheckpoint(encodeCheckpoint(old, {}), 'x.vib').checkpoint.config).toEqual({ dataset: { name: 'mnist' }, seed: 3 });
  });

  it('writes typed values to the same bytes as plain ones, and reads them back as views of the dtype', () => {
    const cp = checkpoint('t');
    const plain = encodeCheckpoint(cp, { plots: true });
    const t = typed(cp);
    expect(encodeCheckpoint(t, { plots: true })).toEqual(plain);
    // the pieces written to disk are the typed arrays' own bytes, not copies (little-endian machines)
    const pieces = checkpointPieces(t, { plots: true });
    const arrays = [...t.weights, ...t.optimizer, ...(t.ema ?? [])].map((x) => x.values);
    expect(pieces.length).toBe(arrays.length + 1);
    expect(pieces.slice(1).map((p, i) => p.buffer === arrays[i]?.buffer && p.byteOffset === arrays[i]?.byteOffset)).toEqual(arrays.map(() => true));
    const back = decodeCheckpoint(plain, 'x.vib').checkpoint;
    expect(back.weights.map((t) => t.values.constructor.name)).toEqual(['Float32Array', 'Float32Array']);
    expect(back.optimizer[0]?.values).toBeInstanceOf(Int32Array);
    // aligned: views of the file's own bytes, not copies
    expect(back.weights[0]?.values.buffer).toBe(plain.buffer);
  });

  it('refuses tensor entries whose dtype, shape or name is not one, naming the tensor', () => {
    const withRef = (patch: Record<string, unknown>) => {
      const bytes = encodeCheckpoint(checkpoint(''), {});
      const length = new DataView(bytes.buffer).getUint32(8, true);
      const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length))) as { weights: Record<string, unknown>[] };
      header.weights[1] = { ...header.weights[1], ...patch };
      // the same length, padded with spaces, so the values stay where they were
      const json = new TextEncoder().encode(JSON.stringify(header).padEnd(length + 64, ' '));
      const out = new Uint8Array(12 + json.length + bytes.length - 12 - length);
      out.set(bytes.subarray(0, 12));
      new DataView(out.buffer).setUint32(8, json.length, true);
      out.set(json, 12);
      out.set(bytes.subarray(12 + length), 12 + json.length);
      return () => decodeCheckpoint(out, 'run/checkpoint.vib');
    };
    expect(withRef({})).not.toThrow();
    expect(withRef({ dtype: 'float64' })).toThrow('run/checkpoint.vib: tensor w1 has dtype "float64", not float32 or int32: the checkpoint is damaged');
    expect(withRef({ shape: 'big' })).toThrow('tensor w1 has no shape of whole sizes');
    expect(withRef({ shape: [1.5] })).toThrow('tensor w1 has no shape of whole sizes');
    expect(withRef({ name: 7 })).toThrow('a tensor entry has no name');
  });

  it('refuses a truncated file, naming it', () => {
    const bytes = encodeCheckpoint(checkpoint(''), {});
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 4), 'run/checkpoint.vib')).toThrow(/run\/checkpoint.vib: tensor ema\/0 lies outside the file \(truncated\)/);
  });

  it('--resume of a folder that does not exist says so, not "no checkpoint.vib"; an empty folder says there is none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vib-ckpt-'));
    try {
      const missing = join(dir, 'nonexistent');
      await expect(readCheckpointFile(missing, missing)).rejects.toThrow(`--resume ${missing}: no such folder: pass the folder of an interrupted 'vib train' run (its --out)`);
      await writeFile(join(dir, 'file'), 'x');
      await expect(readCheckpointFile(join(dir, 'file'), 'f')).rejects.toThrow(/^--resume f: not a folder/);
      await expect(readCheckpointFile(dir, 'd')).rejects.toThrow(/^--resume d: no checkpoint\.vib in it/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
