import { DataError } from '@vib/core';

/** A parsed numeric CSV table. */
export interface CsvTable {
  /** Feature column names, in file order (the label column removed). */
  readonly featureNames: readonly string[];
  /** Features, row-major [rows, features]. */
  readonly x: Float32Array;
  /** The label column's cells as written (trimmed). */
  readonly labels: readonly string[];
  /** Number of data rows. */
  readonly rows: number;
}

/** Options of {@link parseCsv}. */
export interface ParseCsvOptions {
  /** Name of the label column in the header. */
  readonly labelColumn: string;
  /** Cell separator; default `,`. */
  readonly delimiter?: string;
}

const unquote = (cell: string): string => {
  const t = cell.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
};

/**
 * Parse a CSV table with a header row, numeric feature columns and one label column.
 * Blank lines are skipped; cells may be wrapped in double quotes but may not contain the delimiter.
 * @param text - the file's text
 * @param file - the file name, for error messages
 * @param options - label column and delimiter
 * @returns the table
 * @throws {@link DataError} naming the file, line and column of a non-numeric cell, a wrong cell count,
 *   a missing label column, or an empty table
 * @example
 * ```ts
 * const t = parseCsv('a,b,label\n1,2,0\n3,4,1\n', 'toy.csv', { labelColumn: 'label' });
 * t.featureNames; // ['a', 'b']
 * ```
 */
export function parseCsv(text: string, file: string, options: ParseCsvOptions): CsvTable {
  const delimiter = options.delimiter ?? ',';
  const lines = text.split(/\r?\n/);
  const headerLine = lines.findIndex((l) => l.trim().length > 0);
  if (headerLine < 0) throw new DataError(`${file}: the file is empty: write a header row, then one row per example`, { details: { file } });
  const header = lines[headerLine]!.split(delimiter).map(unquote);
  const labelIndex = header.indexOf(options.labelColumn);
  if (labelIndex < 0) {
    throw new DataError(
      `${file}: no column '${options.labelColumn}' in the header (columns: ${header.join(', ')}): name the label column with --label-column`,
      { details: { file, labelColumn: options.labelColumn, columns: header } },
    );
  }
  const featureNames = header.filter((_, i) => i !== labelIndex);
  const values: number[] = [];
  const labels: string[] = [];
  for (let li = headerLine + 1; li < lines.length; li++) {
    const line = lines[li]!;
    if (line.trim().length === 0) continue;
    const lineNo = li + 1;
    const cells = line.split(delimiter).map(unquote);
    if (cells.length !== header.length) {
      throw new DataError(`${file} line ${lineNo}: ${cells.length} cells but the header has ${header.length} columns: fix the row`, {
        details: { file, line: lineNo },
      });
    }
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c]!;
      if (c === labelIndex) {
        if (cell.length === 0) throw new DataError(`${file} line ${lineNo}: the label '${options.labelColumn}' is empty: give every row a label`, { details: { file, line: lineNo } });
        labels.push(cell);
        continue;
      }
      const v = cell.length === 0 ? Number.NaN : Number(cell);
      if (!Number.isFinite(v)) {
        throw new DataError(`${file} line ${lineNo}, column '${header[c]}': '${cell}' is not a number: features must be numeric`, {
          details: { file, line: lineNo, column: header[c], cell },
        });
      }
      values.push(v);
    }
  }
  if (labels.length === 0) throw new DataError(`${file}: a header but no data rows: add one row per example`, { details: { file } });
  return { featureNames, x: Float32Array.from(values), labels, rows: labels.length };
}

/**
 * Turn label cells into class indices: non-negative integers are used as they are; anything else
 * is mapped to the index of its name in sorted order.
 * @param labels - label cells
 * @returns class indices, the class count, and names when the labels were not integers
 */
export function encodeLabels(labels: readonly string[]): { y: Int32Array; numClasses: number; classNames?: string[] } {
  if (labels.every((l) => /^\d+$/.test(l))) {
    const y = Int32Array.from(labels, Number);
    return { y, numClasses: Math.max(...y) + 1 };
  }
  const classNames = [...new Set(labels)].sort();
  const index = new Map(classNames.map((c, i) => [c, i]));
  return { y: Int32Array.from(labels, (l) => index.get(l)!), numClasses: classNames.length, classNames };
}
