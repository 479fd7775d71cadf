import { DataError } from '@vib/core';
import { classCountOf, MAX_CLASSES } from '../util/class-count.js';
import { isDecimalNumber } from './decimal-number.js';

/** The largest class index a label could ever be (labels are int32 tensors); `maxClasses` may not exceed it. */
export const MAX_LABEL = 2 ** 31 - 1;

/** What to do about labels that are not class indices (ends the messages). */
const FIX = 'renumber the classes 0, 1, 2, …, or write them as names';

/**
 * Collects label cells row by row without keeping a string per row: each distinct label gets an id in
 * first-seen order, rows store ids in a growing Int32Array, and {@link LabelEncoder.finish} maps ids
 * to class indices once.
 *
 * When every label is a decimal number, the labels are class indices: whole numbers 0..C−1 (`3` and
 * `3.0` are class 3), C = largest + 1 ≤ `maxClasses` (default {@link MAX_CLASSES}), not leaving most of
 * 0..C−1 empty (see `classCountOf`); a fractional label such as `1.5` is refused, not turned into a name.
 * Otherwise every label is a name, mapped to its index in sorted order, at most `maxClasses` of them.
 */
export class LabelEncoder {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private rows = new Int32Array(1024);
  private n = 0;
  private readonly firstLine: number[] = [];

  private readonly maxClasses: number;

  /**
   * @param file - file name, for messages
   * @param options - `maxClasses`: the most classes the labels may make (default {@link MAX_CLASSES})
   */
  constructor(
    private readonly file: string,
    options: { readonly maxClasses?: number } = {},
  ) {
    this.maxClasses = options.maxClasses ?? MAX_CLASSES;
  }

  /**
   * Add one row's label.
   * @param cell - the label cell (trimmed)
   * @param line - its line number, for messages
   */
  add(cell: string, line: number): void {
    let id = this.ids.get(cell);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(cell, id);
      this.names.push(cell);
      this.firstLine.push(line);
    }
    if (this.n === this.rows.length) {
      const grown = new Int32Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
    }
    this.rows[this.n++] = id;
  }

  /**
   * Map the rows' labels to class indices.
   * @returns class indices per row, the class count, and names when the labels are not numbers
   * @throws {@link DataError} naming the file, line and label of a numeric label that is fractional,
   *   negative, makes more than `maxClasses` classes or leaves most classes empty, or of the name past
   *   `maxClasses` distinct names
   */
  finish(): { y: Int32Array; numClasses: number; classNames?: string[] } {
    const rows = this.rows.subarray(0, this.n);
    if (this.names.every(isDecimalNumber)) {
      const values = this.names.map(Number);
      const seen = this.names.map((text, i) => ({ value: values[i]!, text, at: { line: this.firstLine[i]! } }));
      const numClasses = classCountOf(this.file, seen, this.maxClasses, FIX);
      return { y: Int32Array.from(rows, (id) => values[id]!), numClasses };
    }
    if (this.names.length > this.maxClasses) {
      const line = this.firstLine[this.maxClasses]!;
      throw new DataError(
        `${this.file} line ${line}: label '${this.names[this.maxClasses]}' makes more distinct class names than the ${this.maxClasses} classes allowed: check that the label column holds classes, not ids; for more classes, set maxClasses in the dataset's config`,
        { details: { file: this.file, line, label: this.names[this.maxClasses], maxClasses: this.maxClasses } },
      );
    }
    const classNames = [...this.names].sort();
    const index = new Map(classNames.map((c, i) => [c, i]));
    const byId = this.names.map((name) => index.get(name)!);
    return { y: Int32Array.from(rows, (id) => byId[id]!), numClasses: classNames.length, classNames };
  }
}
