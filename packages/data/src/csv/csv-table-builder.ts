import { DataError } from '@vib/core';
import { LabelEncoder } from './label-encoder.js';

/** A parsed numeric CSV table. */
export interface CsvTable {
  /** Feature column names, in file order (the label column removed). */
  readonly featureNames: readonly string[];
  /** Features, row-major [rows, features]. */
  readonly x: Float32Array;
  /** Class index per row (see {@link LabelEncoder}). */
  readonly y: Int32Array;
  /** Number of classes: the largest integer label + 1, or the number of distinct names. */
  readonly numClasses: number;
  /** Class names, when the labels were not integers (index = class). */
  readonly classNames?: readonly string[];
  /** Number of data rows. */
  readonly rows: number;
}

/** Options of {@link parseCsv} and `readCsvFile`. */
export interface ParseCsvOptions {
  /** Name of the label column in the header. */
  readonly labelColumn: string;
  /** Cell separator; default `,`. */
  readonly delimiter?: string;
  /** Stop after this many data rows (the rest of the file is not read). */
  readonly maxRows?: number;
}

/**
 * Turns parsed CSV records (cells already unquoted by the parser) into a {@link CsvTable}, row by row, in
 * memory linear in the numbers kept: features go into a growing Float32Array, labels through a
 * {@link LabelEncoder}.
 */
export class CsvTableBuilder {
  private header: string[] | null = null;
  private labelIndex = -1;
  private x = new Float32Array(4096);
  private used = 0;
  private count = 0;
  private readonly labels: LabelEncoder;

  /**
   * @param file - file name, for messages
   * @param options - label column and row limit
   */
  constructor(
    private readonly file: string,
    private readonly options: ParseCsvOptions,
  ) {
    this.labels = new LabelEncoder(file);
  }

  /** Whether the row limit has been reached. */
  get full(): boolean {
    return this.options.maxRows !== undefined && this.count >= this.options.maxRows;
  }

  /**
   * Add one record: the first is the header.
   * @param cells - the record's cells
   * @param line - its line number in the file
   * @throws {@link DataError} naming the file, line and column of what is wrong
   */
  add(cells: readonly string[], line: number): void {
    const file = this.file;
    if (this.header === null) {
      this.header = cells.map((c) => c.trim());
      this.labelIndex = this.header.indexOf(this.options.labelColumn);
      if (this.labelIndex < 0) {
        throw new DataError(
          `${file}: no column '${this.options.labelColumn}' in the header (columns: ${this.header.join(', ')}): name the label column with --label-column`,
          { details: { file, labelColumn: this.options.labelColumn, columns: this.header } },
        );
      }
      return;
    }
    const header = this.header;
    if (cells.length !== header.length) {
      throw new DataError(`${file} line ${line}: ${cells.length} cells but the header has ${header.length} columns: fix the row`, { details: { file, line } });
    }
    const d = header.length - 1;
    if (this.used + d > this.x.length) {
      const grown = new Float32Array(Math.max(this.x.length * 2, this.used + d));
      grown.set(this.x.subarray(0, this.used));
      this.x = grown;
    }
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c]!.trim();
      if (c === this.labelIndex) {
        if (cell.length === 0) throw new DataError(`${file} line ${line}: the label '${this.options.labelColumn}' is empty: give every row a label`, { details: { file, line } });
        this.labels.add(cell, line);
        continue;
      }
      const v = cell.length === 0 ? Number.NaN : Number(cell);
      if (!Number.isFinite(v)) {
        throw new DataError(`${file} line ${line}, column '${header[c]}': '${cell}' is not a number: features must be numeric`, {
          details: { file, line, column: header[c], cell },
        });
      }
      this.x[this.used++] = v;
    }
    this.count += 1;
  }

  /**
   * The table.
   * @returns the parsed table
   * @throws {@link DataError} when the file had no header or no data rows
   */
  finish(): CsvTable {
    const file = this.file;
    if (this.header === null) throw new DataError(`${file}: the file is empty: write a header row, then one row per example`, { details: { file } });
    if (this.count === 0) throw new DataError(`${file}: a header but no data rows: add one row per example`, { details: { file } });
    const labels = this.labels.finish();
    return {
      featureNames: this.header.filter((_, i) => i !== this.labelIndex),
      x: this.x.slice(0, this.used),
      y: labels.y,
      numClasses: labels.numClasses,
      ...(labels.classNames ? { classNames: labels.classNames } : {}),
      rows: this.count,
    };
  }
}
