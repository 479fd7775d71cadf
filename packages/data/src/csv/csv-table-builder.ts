import { DataError } from '@vib/core';
import { isDecimalNumber } from './decimal-number.js';
import { LabelEncoder } from './label-encoder.js';

/** A parsed numeric CSV table. */
export interface CsvTable {
  /** Feature column names, in file order (the label column removed). */
  readonly featureNames: readonly string[];
  /** Features, row-major [rows, features]. */
  readonly x: Float32Array;
  /** Class index per row (see {@link LabelEncoder}). */
  readonly y: Int32Array;
  /** Number of classes: the largest numeric label + 1, or the number of distinct names. */
  readonly numClasses: number;
  /** Class names, when the labels were not numbers (index = class). */
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
  /** The most classes the labels may make (default `MAX_CLASSES`, 1,000); see {@link LabelEncoder}. */
  readonly maxClasses?: number;
}

/**
 * Turns parsed CSV records (cells already unquoted by the parser) into a {@link CsvTable}, row by row, in
 * memory linear in the numbers kept: features go into a growing Float32Array, labels through a
 * {@link LabelEncoder}. The header must name each column once and hold at least one feature column; a
 * feature cell must be a decimal number (`12`, `-0.5`, `1e-3`; not `0x10`) that float32 holds finitely.
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
    this.labels = new LabelEncoder(file, options.maxClasses === undefined ? {} : { maxClasses: options.maxClasses });
  }

  /** Whether the row limit has been reached. */
  get full(): boolean {
    return this.options.maxRows !== undefined && this.count >= this.options.maxRows;
  }

  /**
   * Add one record: the first is the header.
   * @param cells - the record's cells
   * @param line - its line number in the file
   * @throws {@link DataError} naming the file, line and column of what is wrong: a header naming a column
   *   twice, without the label column or without a feature column; a row with another cell count; a
   *   feature that is not a decimal number or beyond float32; an empty label
   */
  add(cells: readonly string[], line: number): void {
    const file = this.file;
    if (this.header === null) {
      this.header = cells.map((c) => c.trim());
      this.checkHeader(this.header);
      this.labelIndex = this.header.indexOf(this.options.labelColumn);
      if (this.labelIndex < 0) {
        throw new DataError(
          `${file}: no column '${this.options.labelColumn}' in the header (columns: ${this.header.join(', ')}): name the label column with --label-column`,
          { details: { file, labelColumn: this.options.labelColumn, columns: this.header } },
        );
      }
      if (this.header.length < 2) {
        throw new DataError(
          `${file}: the header has the label column '${this.options.labelColumn}' and no feature column: a dataset needs at least one; add the numeric feature columns`,
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
      const where = `${file} line ${line}, column '${header[c]}'`;
      const details = { file, line, column: header[c], cell };
      if (!Number.isFinite(v)) throw new DataError(`${where}: '${cell}' is not a number: features must be numeric`, { details });
      if (!isDecimalNumber(cell)) {
        throw new DataError(`${where}: '${cell}' is not a decimal number (hex, binary, octal and other forms are not read): write it as ${v}`, { details });
      }
      const f = Math.fround(v);
      if (!Number.isFinite(f)) {
        throw new DataError(`${where}: ${cell} is beyond the float32 range (±3.4e38), where features are kept: rescale the column`, { details });
      }
      this.x[this.used++] = f;
    }
    this.count += 1;
  }

  /**
   * Refuse a header that names a column twice.
   * @param header - the trimmed header cells
   * @throws {@link DataError} naming the column and both positions
   */
  private checkHeader(header: readonly string[]): void {
    const first = new Map<string, number>();
    header.forEach((name, i) => {
      const j = first.get(name);
      if (j !== undefined) {
        throw new DataError(`${this.file}: column '${name}' appears twice in the header (columns ${j + 1} and ${i + 1}): give every column its own name`, {
          details: { file: this.file, column: name, columns: header },
        });
      }
      first.set(name, i);
    });
  }

  /**
   * The table.
   * @returns the parsed table
   * @throws {@link DataError} when the file had no header or no data rows, or its labels are not classes
   *   (see {@link LabelEncoder})
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
