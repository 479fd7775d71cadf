import { DataError } from '@vib/core';

/**
 * Turn csv-parse's error (an unclosed quote, a quote inside an unquoted field) into a {@link DataError}.
 * @param file - file name
 * @param e - what csv-parse threw
 * @returns the error to throw
 */
export function csvSyntaxError(file: string, e: unknown): DataError {
  const err = e as { message?: string; lines?: number };
  const line = err.lines ?? 0;
  return new DataError(`${file} line ${line}: not valid CSV (${(err.message ?? String(e)).replace(/^Invalid Record Length: /, '')}): quote fields that hold the delimiter and write a quote inside one as ""`, {
    cause: e,
    details: { file, line },
  });
}
