import { DataError } from '@vib/core';
import { parseIdx, readIdxHeader, type IdxArray, type IdxHeader } from './parse-idx.js';

/**
 * The most bytes one IDX file may declare (1 GiB; MNIST's training images are 47 MB). API callers pass
 * `maxBytes` to {@link readIdxFile} to change it; the CLI always uses this.
 */
export const MAX_IDX_BYTES = 1024 * 1024 * 1024;

/** Gzip's DEFLATE cannot expand data more than about 1032:1; a header declaring more than this is a lie. */
const GZIP_MAX_RATIO = 1032;

function refuseSize(path: string, h: IdxHeader, why: string): never {
  throw new DataError(`${path}: header says [${h.dims.join(', ')}] (${h.totalBytes} bytes) but ${why}`, {
    details: { file: path, dims: h.dims, expectedBytes: h.totalBytes },
  });
}

function checkDeclared(path: string, h: IdxHeader, maxBytes: number): void {
  if (h.totalBytes > maxBytes) {
    refuseSize(
      path,
      h,
      `the limit is ${maxBytes} bytes: the file is likely corrupt or not an IDX file; check it, or download it again (programs calling readIdxFile can raise the limit with its maxBytes option)`,
    );
  }
}

async function readRaw(path: string, expectedMagic: number, maxBytes: number): Promise<Uint8Array> {
  const fs = await import('node:fs/promises');
  const handle = await fs.open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const head = new Uint8Array(Math.min(size, 4 + 4 * 255));
    await handle.read(head, 0, head.length, 0);
    const h = readIdxHeader(head, path, expectedMagic);
    checkDeclared(path, h, maxBytes);
    if (size < h.totalBytes) refuseSize(path, h, `the file has ${size} bytes: the file is truncated; download it again`);
    if (size > h.totalBytes) refuseSize(path, h, `the file has ${size} bytes (${size - h.totalBytes} extra): the header or the file is corrupted`);
    const out = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(out, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return out.subarray(0, at);
  } finally {
    await handle.close();
  }
}

async function readGzip(path: string, expectedMagic: number, maxBytes: number): Promise<Uint8Array> {
  const fs = await import('node:fs');
  const zlib = await import('node:zlib');
  const compressed = (await fs.promises.stat(path)).size;
  const gunzip = zlib.createGunzip();
  const input = fs.createReadStream(path);
  input.pipe(gunzip);
  let head = new Uint8Array(0);
  let out: Uint8Array | null = null;
  let at = 0;
  let header: IdxHeader | null = null;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      let c: Uint8Array = chunk;
      if (out === null) {
        const joined = new Uint8Array(head.length + c.length);
        joined.set(head);
        joined.set(c, head.length);
        head = joined;
        if (head.length < 4) continue;
        const ndims = head[3]!;
        if (head.length < 4 + 4 * ndims) continue;
        header = readIdxHeader(head, path, expectedMagic);
        checkDeclared(path, header, maxBytes);
        if (header.totalBytes > compressed * GZIP_MAX_RATIO + 1024) {
          refuseSize(path, header, `a ${compressed}-byte gzip cannot hold that many (at most ~${GZIP_MAX_RATIO}:1): the header is corrupted`);
        }
        out = new Uint8Array(header.totalBytes);
        c = head;
      }
      if (at + c.length > out.length) {
        refuseSize(path, header!, 'it decompresses to more: the header or the file is corrupted (decompression stopped there)');
      }
      out.set(c, at);
      at += c.length;
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`${path}: not a complete gzip file (${(e as Error).message}): the file is truncated or corrupted; download it again`, {
      cause: e,
      details: { file: path },
    });
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  if (out === null) return head;
  if (at < out.length) refuseSize(path, header!, `it decompresses to ${at} bytes: the file is truncated; download it again`);
  return out;
}

/**
 * Read and parse an IDX file from disk (Node only), gunzipping it when its name ends in `.gz`. The size
 * the header declares is checked before anything is allocated: against `maxBytes`, against the file
 * size (raw files), and against what the gzip can hold; decompression stops as soon as it passes the
 * declared size, so a gzip bomb costs at most the declared bytes. `node:fs` and `node:zlib` are imported
 * lazily so that bundling this package for a browser works.
 * @param path - file path
 * @param expectedMagic - the magic number the file must carry
 * @param options - `maxBytes`: the most bytes a file may declare (default {@link MAX_IDX_BYTES})
 * @returns the parsed array
 * @throws {@link DataError} naming the file when it is missing, unreadable, a directory, not valid gzip,
 *   declaring more than `maxBytes`, lying about its size, or malformed
 */
export async function readIdxFile(path: string, expectedMagic: number, options: { maxBytes?: number } = {}): Promise<IdxArray> {
  const maxBytes = options.maxBytes ?? MAX_IDX_BYTES;
  const fs = await import('node:fs/promises');
  const cannotRead = (e: unknown): never => {
    throw new DataError(`${path}: cannot read the file (${(e as Error).message}): check the path`, { cause: e, details: { file: path } });
  };
  const info = await fs.stat(path).catch(cannotRead);
  if (!info.isFile()) {
    const what = info.isDirectory() ? 'a directory' : 'not a regular file';
    throw new DataError(`${path}: is ${what}; expected an IDX file: put the IDX file itself at this path`, { details: { file: path } });
  }
  await fs.access(path, fs.constants.R_OK).catch(cannotRead);
  const raw = path.endsWith('.gz') ? await readGzip(path, expectedMagic, maxBytes) : await readRaw(path, expectedMagic, maxBytes);
  return parseIdx(raw, path, expectedMagic);
}
