import { DataError } from '@vib/core';

/**
 * The most classes numeric labels may make by default (ImageNet has 1,000). The `csv` dataset's
 * `maxClasses` option changes it; IDX labels are bytes, so they never reach it.
 */
export const MAX_CLASSES = 1000;

/**
 * How many of the classes 0..C−1 may have no training example before the labels are refused, even when
 * they are most of the classes: a small label set such as 10..12 (13 classes, 3 present), e.g. a subset
 * kept to evaluate a 13-class model, still loads.
 */
export const EMPTY_CLASSES_TOLERATED = 16;

/** One distinct numeric label and where it first occurs. */
export interface SeenLabel {
  /** Its value. */
  readonly value: number;
  /** The cell as written (for messages). */
  readonly text: string;
  /** Where it first occurs: `line 3` of a CSV, `index 7` (0-based) of an IDX label file. */
  readonly at: { readonly line: number } | { readonly index: number };
}

/**
 * Where a label is, for messages: `file line 3` or `file index 7`.
 * @param file - the file
 * @param at - line or index
 * @returns the prefix of a message
 */
export function labelPlace(file: string, at: SeenLabel['at']): string {
  return 'line' in at ? `${file} line ${at.line}` : `${file} index ${at.index}`;
}

/**
 * The class count C that numeric labels define: C = largest label + 1. Labels must be whole numbers
 * 0..C−1 with C ≤ `maxClasses`, and must not leave most classes empty: when more than half of 0..C−1
 * (and more than {@link EMPTY_CLASSES_TOLERATED} of them) have no label, the labels are values (a
 * 0/255 mask, a measurement, an id), not class indices, and are refused.
 * @param file - the label file, for messages
 * @param seen - each distinct label once, with where it first occurs
 * @param maxClasses - the most classes allowed
 * @param fix - what to do, ending every refusal (e.g. `renumber the classes from 0, or use names`)
 * @returns C
 * @throws {@link DataError} naming the file, the line or index and the label when the rule is broken
 */
export function classCountOf(file: string, seen: readonly SeenLabel[], maxClasses: number, fix: string): number {
  let top: SeenLabel | undefined;
  for (const s of seen) {
    const details = { file, ...s.at, label: s.text };
    if (!Number.isInteger(s.value)) {
      throw new DataError(`${labelPlace(file, s.at)}: label '${s.text}' is not a whole number: numeric labels are class indices 0, 1, 2, …; ${fix}`, { details });
    }
    if (s.value < 0) {
      throw new DataError(`${labelPlace(file, s.at)}: label ${s.text} is not a class index (classes are numbered 0, 1, 2, …): ${fix}`, { details });
    }
    if (top === undefined || s.value > top.value) top = s;
  }
  if (top === undefined) return 0;
  const classes = top.value + 1;
  const details = { file, ...top.at, label: top.text, numClasses: classes, maxClasses };
  if (classes > maxClasses) {
    throw new DataError(
      `${labelPlace(file, top.at)}: label ${top.text} would make ${classes} classes, more than the ${maxClasses} allowed: numeric labels are class indices 0..${maxClasses - 1}; ${fix} (for more classes, set maxClasses in the dataset's config)`,
      { details },
    );
  }
  const present = new Set(seen.map((s) => s.value)).size;
  const empty = classes - present;
  if (empty > classes / 2 && empty > EMPTY_CLASSES_TOLERATED) {
    throw new DataError(
      `${labelPlace(file, top.at)}: label ${top.text} would make ${classes} classes (0..${top.value}) but only ${present} of them have an example: the labels look like values, not class indices; ${fix}`,
      { details: { ...details, classesWithExamples: present } },
    );
  }
  return classes;
}
