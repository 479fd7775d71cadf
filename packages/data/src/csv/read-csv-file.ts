import { DataError } from '@vib/core';
import { CsvTableBuilder, type CsvTable, type ParseCsvOptions } from './csv-table-builder.js';
import { csvSyntaxError } from './csv-syntax-error.js';

/**
 * Read a CSV file through csv-parse's streaming parser (RFC 4180 quoting), converting each record as it
 * arrives: memory holds the numbers kept, never the text; with `maxRows` the file is read only that far.
 * Node only (`node:fs` and csv-parse's stream API are imported when it runs).
 * @param path - the file
 * @param options - label column, delimiter, row limit, class limit
 * @returns the table
 * @throws {@link DataError} naming the file (and line) when it cannot be read, is a directory, or is
 *   malformed (see {@link CsvTableBuilder})
 */
export async function readCsvFile(path: string, options: ParseCsvOptions): Promise<CsvTable> {
  const fs = await import('node:fs');
  const info = await fs.promises.stat(path).catch(() => null);
  if (info?.isDirectory()) {
    throw new DataError(`${path}: is a directory; expected a CSV file: pass the path of the .csv file`, { details: { file: path } });
  }
  // a computed specifier: browser bundlers must not follow csv-parse's Node stream build (this reader is Node only)
  const streamParser = 'csv-parse';
  const { parse } = (await import(/* @vite-ignore */ streamParser)) as typeof import('csv-parse');
  const builder = new CsvTableBuilder(path, options);
  const input = fs.createReadStream(path);
  const parser = parse({ delimiter: options.delimiter ?? ',', skip_empty_lines: true, relax_column_count: true, bom: true, info: true });
  const opened = new Promise<void>((ok, fail) => {
    input.once('open', () => ok());
    input.once('error', fail);
  });
  try {
    await opened;
  } catch (e) {
    throw new DataError(`${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): check the path`, { cause: e, details: { file: path } });
  }
  input.pipe(parser);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      builder.add(record, info.lines);
      if (builder.full) break;
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw csvSyntaxError(path, e);
  } finally {
    input.destroy();
    parser.destroy();
  }
  return builder.finish();
}
