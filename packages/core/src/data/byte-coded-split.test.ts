import { describe, expect, it } from 'vitest';
import { DataError } from '../errors/data-error.js';
import type { DataSplit } from '../plugins/dataset-plugin.js';
import { byteCodedSplit, copyInputRows, firstRows } from './byte-coded-split.js';
import { checkSplit } from './check-dataset.js';

const PIXELS = Float32Array.from({ length: 256 }, (_, b) => b / 255);

/** n examples of width d with pseudo-random bytes, as a byte-coded split and as its plain twin. */
function twins(n: number, d: number, values = PIXELS): { coded: DataSplit; plain: DataSplit } {
  const codes = new Uint8Array(n * d);
  for (let i = 0; i < codes.length; i++) codes[i] = (i * 151 + 17) % 256;
  const y = Int32Array.from({ length: n }, (_, i) => i % 3);
  const x = new Float32Array(codes.length);
  for (let i = 0; i < x.length; i++) x[i] = codes[i]! / 255;
  return { coded: byteCodedSplit(codes, values, y, n), plain: { x: values === PIXELS ? x : Float32Array.from(codes, (c) => values[c]!), y, n } };
}

describe('byte-coded splits', () => {
  it('x is values[codes], bit for bit the float32 of byte / 255; once read, the split drops its codes and x is the one truth', () => {
    const { coded, plain } = twins(7, 13);
    expect(coded.coded?.codes.length).toBe(7 * 13);
    const x = coded.x;
    expect(new Uint32Array(x.buffer)).toEqual(new Uint32Array(plain.x.buffer));
    expect(coded.coded).toBeUndefined();
    expect(coded.x).toBe(x); // built once
    x[0] = 0.5; // a reader that changes x in place: every later reader sees it (copyInputRows included)
    const row = new Float32Array(13);
    copyInputRows(coded, [0], 13, row);
    expect(row[0]).toBe(0.5);
  });

  it('a copy by spread is a plain split that agrees with itself: x built, no codes', () => {
    const { coded, plain } = twins(3, 5);
    const copy = { ...coded, n: 2 };
    expect(copy.x).toEqual(plain.x);
    expect(copy.coded).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['x', 'coded', 'y', 'n']);
  });

  it('copyInputRows gives the plain split\'s rows in any order, at an offset, without building x', () => {
    const { coded, plain } = twins(11, 9);
    const order = [10, 0, 3, 3, 7];
    const a = new Float32Array(2 + order.length * 9).fill(-1);
    const b = new Float32Array(2 + order.length * 9).fill(-1);
    copyInputRows(coded, order, 9, a, 2);
    copyInputRows(plain, order, 9, b, 2);
    expect(a).toEqual(b);
    expect(a[2 + 9 * 1]).toBe(plain.x[0]);
    expect(a.slice(0, 2)).toEqual(new Float32Array([-1, -1]));
    expect(coded.coded).toBeDefined();
  });

  it('copyInputRows decodes rows of whole words (width 12) four codes at a time, bit for bit the table, at any offset', () => {
    // a table whose floats include a NaN with a payload, -0 and a subnormal: the words carry their bits exactly
    const table = new Float32Array(256);
    const tableBits = new Uint32Array(table.buffer);
    for (let b = 0; b < 256; b++) tableBits[b] = (Math.imul(b, 0x9e3779b1) >>> 0) & 0xbfffffff;
    tableBits[1] = 0x7fc12345; // NaN with a payload
    tableBits[2] = 0x80000000; // -0
    tableBits[3] = 0x00000001; // the least subnormal
    const { coded } = twins(9, 12, table);
    const codes = coded.coded!.codes;
    const order = [8, 0, 4, 4, 1];
    for (const offset of [0, 1, 3]) {
      const out = new Float32Array(offset + order.length * 12).fill(-1);
      copyInputRows(coded, order, 12, out, offset);
      const got = new Uint32Array(out.buffer);
      for (let i = 0; i < order.length; i++) {
        for (let k = 0; k < 12; k++) expect(got[offset + i * 12 + k], `row ${i}, value ${k}, offset ${offset}`).toBe(tableBits[codes[order[i]! * 12 + k]!]);
      }
      expect(out.slice(0, offset)).toEqual(new Float32Array(offset).fill(-1));
    }
    // codes that do not start on a word (a view one byte in): decoded a code at a time, the same values
    const shifted = new Uint8Array(codes.length + 1);
    shifted.set(codes, 1);
    const unaligned = byteCodedSplit(shifted.subarray(1), table, coded.y, 9);
    const [a, b] = [new Float32Array(60), new Float32Array(60)];
    copyInputRows(unaligned, order, 12, a);
    copyInputRows(coded, order, 12, b);
    expect(new Uint32Array(a.buffer)).toEqual(new Uint32Array(b.buffer));
    expect(unaligned.coded).toBeDefined();
  });

  it('copyInputRows refuses an index that is not one of the split\'s examples, coded or plain, rows of words or not', () => {
    for (const d of [12, 9]) {
      const { coded, plain } = twins(4, d);
      for (const split of [coded, plain]) {
        const out = new Float32Array(3 * d);
        expect(() => copyInputRows(split, [0, 4, 1], d, out)).toThrow(/index 4 \(position 1\) is not an example of the split, which has 4/);
        expect(() => copyInputRows(split, [-1], d, out)).toThrow(RangeError);
        expect(() => copyInputRows(split, [1.5], d, out)).toThrow(RangeError);
      }
    }
  });

  it('firstRows keeps the codes (views) and the first rows of labels and targets', () => {
    const { coded, plain } = twins(10, 4);
    const head = firstRows(coded, 6, 4);
    expect(head.n).toBe(6);
    expect(head.coded?.codes.buffer).toBe(coded.coded?.codes.buffer);
    expect(head.x).toEqual(plain.x.subarray(0, 24));
    expect(head.y).toEqual(plain.y.subarray(0, 6));
    expect(firstRows(coded, 10, 4)).toBe(coded);
    const withTargets = firstRows({ ...plain, targets: Float32Array.from({ length: 20 }, (_, i) => i) }, 3, 4);
    expect(withTargets.targets).toEqual(Float32Array.from({ length: 6 }, (_, i) => i));
  });

  it('checkSplit checks the 256 values instead of every input, and reads x only when one of them fails', () => {
    const { coded } = twins(5, 6);
    checkSplit(coded, { inputShape: [6], name: 'bytes', split: 'training', unitInterval: true, numClasses: 3 });
    expect(coded.coded).toBeDefined(); // x never built
    // a value outside [0, 1] that no input uses: the split is still fine (x was read to see that)
    const unused = new Float32Array(PIXELS);
    unused[255] = 2; // codes (i * 151 + 17) % 256 for i < 30 never reach 255
    const a = twins(5, 6, unused).coded;
    expect(a.coded?.codes.includes(255)).toBe(false);
    checkSplit(a, { inputShape: [6], name: 'bytes', split: 'training', unitInterval: true });
    // one that an input uses: the same message as the plain split's, naming its first example
    const used = new Float32Array(PIXELS);
    used[17] = Number.NaN; // code 17 is input 0 of example 0
    const { coded: b, plain: bPlain } = twins(5, 6, used);
    const message = (s: DataSplit) => {
      try {
        checkSplit(s, { inputShape: [6], name: 'bytes', split: 'training' });
      } catch (e) {
        expect(e).toBeInstanceOf(DataError);
        return (e as Error).message;
      }
      return 'passed';
    };
    expect(message(b)).toBe(message(bPlain));
    expect(message(b)).toContain('holds NaN at input 0 of example 0');
    // codes of the wrong length: named as x's length would be
    expect(message(byteCodedSplit(new Uint8Array(29), PIXELS, new Int32Array(5), 5))).toContain('has 29 input values, but n × ∏inputShape = 5 × 6 = 30');
  });

  it('refuses a table that is not 256 float32 values, and a split whose coded is not codes and such a table', () => {
    expect(() => byteCodedSplit(new Uint8Array(4), new Float32Array(255), new Int32Array(1), 1)).toThrow(/256 values \(one for each byte\), got 255/);
    const bad = { x: new Float32Array(4), y: new Int32Array(1), n: 1, coded: { codes: new Uint8Array(4), values: new Float32Array(16) } };
    expect(() => checkSplit(bad, { inputShape: [4], name: 'mine', split: 'test' })).toThrow(/coded inputs that are not 256 float32 values/);
    const nullCoded = { x: new Float32Array(4), y: new Int32Array(1), n: 1, coded: null } as unknown as DataSplit; // from plain JavaScript
    expect(() => checkSplit(nullCoded, { inputShape: [4], name: 'mine', split: 'test' })).toThrow(/coded inputs that are not 256 float32 values/);
  });
});
