import { DataError } from '@vib/core';
import { parse } from 'csv-parse/browser/esm/sync';
import { CsvTableBuilder, type CsvTable, type ParseCsvOptions } from './csv-table-builder.js';
import { csvSyntaxError } from './csv-syntax-error.js';
import { LabelEncoder } from './label-encoder.js';

export type { CsvTable, ParseCsvOptions } from './csv-table-builder.js';

/**
 * Parse a CSV text (RFC 4180: quoted fields may hold the delimiter, line breaks and `""` escapes) with a
 * header row, numeric feature columns and one label column. Blank lines are skipped. For files, use
 * `readCsvFile`, which streams.
 * @param text - the file's text
 * @param file - the file name, for error messages
 * @param options - label column, delimiter, row limit, class limit
 * @returns the table
 * @throws {@link DataError} naming the file, line and column of a feature that is not a decimal number or
 *   beyond float32, a wrong cell count, a missing label column, a header without features or naming a
 *   column twice, a malformed quote, labels that are not classes (see {@link LabelEncoder}), or an empty table
 * @example
 * ```ts
 * const t = parseCsv('a,b,label\n1,2,0\n"3",4,1\n', 'toy.csv', { labelColumn: 'label' });
 * t.featureNames; // ['a', 'b']
 * ```
 */
export function parseCsv(text: string, file: string, options: ParseCsvOptions): CsvTable {
  const builder = new CsvTableBuilder(file, options);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter: options.delimiter ?? ',', skip_empty_lines: true, relax_column_count: true, bom: true, info: true }) as never;
  } catch (e) {
    throw csvSyntaxError(file, e);
  }
  for (const { record, info } of records) {
    if (builder.full) break;
    builder.add(record, info.lines);
  }
  return builder.finish();
}

/**
 * Turn label cells into class indices: when all are decimal numbers they are class indices (whole numbers
 * 0..C−1, C = largest + 1 ≤ `maxClasses`, not leaving most classes empty); otherwise each is mapped to the
 * index of its name in sorted order. See {@link LabelEncoder}.
 * @param labels - label cells
 * @param file - file name, for messages
 * @param options - `maxClasses`: the most classes allowed (default `MAX_CLASSES`, 1,000)
 * @returns class indices, the class count, and names when the labels were not numbers
 * @throws {@link DataError} naming the (1-based) position of a label that is not a class
 * @example
 * ```ts
 * encodeLabels(['2', '0']).numClasses; // 3
 * encodeLabels(['dog', 'cat']).classNames; // ['cat', 'dog']
 * ```
 */
export function encodeLabels(
  labels: readonly string[],
  file = 'labels',
  options: { readonly maxClasses?: number } = {},
): { y: Int32Array; numClasses: number; classNames?: string[] } {
  const enc = new LabelEncoder(file, options);
  labels.forEach((l, i) => enc.add(l, i + 1));
  return enc.finish();
}
