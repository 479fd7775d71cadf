import { DataError } from '@vib/core';
import { classCountOf, MAX_CLASSES, type SeenLabel } from '../util/class-count.js';

/** One IDX label file: its path and its bytes. */
export interface IdxLabelFile {
  /** The file, for messages. */
  readonly file: string;
  /** Its labels, one byte each. */
  readonly labels: Uint8Array;
}

/**
 * Each distinct label of a file once, with the index where it first occurs.
 * @param labels - the labels
 * @returns the distinct labels in increasing order
 */
function distinctLabels(labels: Uint8Array): SeenLabel[] {
  const first = new Int32Array(256).fill(-1);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (first[v] === -1) first[v] = i;
  }
  const seen: SeenLabel[] = [];
  first.forEach((index, value) => {
    if (index >= 0) seen.push({ value, text: String(value), at: { index } });
  });
  return seen;
}

/**
 * Refuse the first label of a file that is not below `classes`.
 * @param part - the label file
 * @param classes - the class count
 * @param which - the classes, in words, e.g. `the training classes`
 * @param fix - what to do
 * @throws {@link DataError} naming the file, the (0-based) index and the label
 */
function refuseOutside(part: IdxLabelFile, classes: number, which: string, fix: string): void {
  const i = part.labels.findIndex((v) => v >= classes);
  if (i < 0) return;
  const label = part.labels[i]!;
  throw new DataError(`${part.file} index ${i}: label ${label} is not one of ${which} 0..${classes - 1}: ${fix}`, {
    details: { file: part.file, index: i, label, numClasses: classes },
  });
}

/**
 * The class count of an IDX dataset, checked before anything is converted or trained. With class names,
 * C is their count and every label of both files must lie in 0..C−1. Without, the training labels
 * define C = largest + 1 and must be class indices that do not leave most of 0..C−1 empty (see
 * `classCountOf`: labels 0 and 255 are a mask, not 256 classes), and every test label must be one of
 * those classes.
 * @param train - the training label file
 * @param test - the test label file
 * @param classNames - the class names, when the config declares them
 * @returns C
 * @throws {@link DataError} naming the file, the index and the label that breaks the rule
 */
export function idxClassCount(train: IdxLabelFile, test: IdxLabelFile, classNames?: readonly string[]): number {
  if (classNames !== undefined) {
    const c = classNames.length;
    const fix = 'use the label files that go with these class names';
    refuseOutside(train, c, `the ${c} classes the class names cover,`, fix);
    refuseOutside(test, c, `the ${c} classes the class names cover,`, fix);
    return c;
  }
  const c = classCountOf(train.file, distinctLabels(train.labels), MAX_CLASSES, 'use a label file whose classes are numbered 0, 1, 2, …');
  refuseOutside(test, c, `the training classes`, `${train.file} has no label above ${c - 1}; use test files that belong with the training files`);
  return c;
}
