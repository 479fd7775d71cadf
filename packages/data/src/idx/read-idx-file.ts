import { DataError } from '@vib/core';
import { parseIdx, type IdxArray } from './parse-idx.js';

/**
 * Read and parse an IDX file from disk (Node only), gunzipping it when its name ends in `.gz`.
 * `node:fs` and `node:zlib` are imported lazily so that bundling this package for a browser works.
 * @param path - file path
 * @param expectedMagic - the magic number the file must carry
 * @returns the parsed array
 * @throws {@link DataError} naming the file when it is missing, not valid gzip, or malformed
 */
export async function readIdxFile(path: string, expectedMagic: number): Promise<IdxArray> {
  const fs = await import('node:fs/promises');
  let raw: Uint8Array;
  try {
    raw = await fs.readFile(path);
  } catch (e) {
    throw new DataError(`${path}: cannot read the file (${(e as Error).message}): check the path`, { cause: e, details: { file: path } });
  }
  if (path.endsWith('.gz')) {
    const zlib = await import('node:zlib');
    try {
      raw = zlib.gunzipSync(raw);
    } catch (e) {
      throw new DataError(`${path}: not a complete gzip file (${(e as Error).message}): the file is truncated or corrupted; download it again`, {
        cause: e,
        details: { file: path },
      });
    }
  }
  return parseIdx(raw, path, expectedMagic);
}
