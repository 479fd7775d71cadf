import { DataError } from '@vib/core';

/** The largest class index a label may be (labels are int32 tensors). */
export const MAX_LABEL = 2 ** 31 - 1;

/**
 * Collects label cells row by row without keeping a string per row: each distinct label gets an id in
 * first-seen order, rows store ids in a growing Int32Array, and {@link LabelEncoder.finish} maps ids
 * to class indices once. Integer labels (all cells look like integers) are used as they are and must lie
 * in 0..2^31−1; any other labels are names, mapped to their index in sorted order.
 */
export class LabelEncoder {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private rows = new Int32Array(1024);
  private n = 0;
  private readonly firstLine: number[] = [];

  /**
   * @param file - file name, for messages
   */
  constructor(private readonly file: string) {}

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
   * @returns class indices per row, the class count, and names when the labels are not integers
   * @throws {@link DataError} naming the line of an integer label outside 0..2^31−1
   */
  finish(): { y: Int32Array; numClasses: number; classNames?: string[] } {
    const rows = this.rows.subarray(0, this.n);
    if (this.names.every((l) => /^[+-]?\d+$/.test(l))) {
      const values = this.names.map(Number);
      values.forEach((v, i) => {
        if (!(v >= 0 && v <= MAX_LABEL)) {
          throw new DataError(
            `${this.file} line ${this.firstLine[i]}: label ${this.names[i]} is not a class index in 0..${MAX_LABEL}: number classes from 0, or use names`,
            { details: { file: this.file, line: this.firstLine[i], label: this.names[i] } },
          );
        }
      });
      let max = 0;
      for (const v of values) max = Math.max(max, v);
      return { y: Int32Array.from(rows, (id) => values[id]!), numClasses: max + 1 };
    }
    const classNames = [...this.names].sort();
    const index = new Map(classNames.map((c, i) => [c, i]));
    const byId = this.names.map((name) => index.get(name)!);
    return { y: Int32Array.from(rows, (id) => byId[id]!), numClasses: classNames.length, classNames };
  }
}
