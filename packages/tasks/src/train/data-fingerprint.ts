import type { Dataset, DataSplit } from '@vib/core';

/** What identifies a dataset for a checkpoint: sizes, shapes and a hash of every value. */
export interface DataFingerprint {
  /** Training examples. */
  readonly trainN: number;
  /** Test examples. */
  readonly testN: number;
  /** Shape of one input. */
  readonly inputShape: number[];
  /** Number of classes. */
  readonly numClasses: number;
  /** FNV-1a (32-bit) over the bits of train and test inputs and labels, as 8 hex digits. */
  readonly hash: string;
}

function fnv(h: number, split: DataSplit): number {
  const coded = split.coded;
  if (coded !== undefined) {
    // the bits of x[i] = values[codes[i]], without building x
    const bits = new Uint32Array(coded.values.buffer, coded.values.byteOffset, 256);
    const codes = coded.codes;
    for (let i = 0; i < codes.length; i++) h = Math.imul(h ^ bits[codes[i]!]!, 0x01000193) >>> 0;
  }
  for (const a of coded === undefined ? [split.x, split.y] : [split.y]) {
    const words = new Uint32Array(a.buffer, a.byteOffset, a.length);
    for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i]!, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Fingerprint a dataset, so that a checkpoint is resumed only on the data it was trained on.
 * Linear in the data (one multiply per input value and label); byte-coded inputs hash as the x they stand for.
 * @param dataset - the loaded dataset
 * @returns sizes, shapes and a content hash
 */
export function dataFingerprint(dataset: Dataset): DataFingerprint {
  const h = fnv(fnv(0x811c9dc5, dataset.train), dataset.test);
  return {
    trainN: dataset.train.n,
    testN: dataset.test.n,
    inputShape: [...dataset.inputShape],
    numClasses: dataset.numClasses,
    hash: h.toString(16).padStart(8, '0'),
  };
}
