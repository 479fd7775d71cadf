import { DataError } from '@vib/core';

/** IDX magic number of an unsigned-byte image file with 3 dimensions [n, rows, cols]. */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** IDX magic number of an unsigned-byte label file with 1 dimension [n]. */
export const IDX_LABELS_MAGIC = 0x00000801;

/** A parsed IDX array of unsigned bytes. */
export interface IdxArray {
  /** Dimensions from the header, e.g. [60000, 28, 28]. */
  readonly dims: readonly number[];
  /** The values, row-major, a view into the input bytes. */
  readonly data: Uint8Array;
}

const hex = (v: number): string => `0x${v.toString(16).padStart(8, '0')}`;

/**
 * Parse an IDX file (the format of MNIST, LeCun et al. 1998) holding unsigned bytes and check
 * its magic number and its length against the dimensions in its header.
 * @param bytes - the whole (already decompressed) file
 * @param file - the file's name, for error messages
 * @param expectedMagic - {@link IDX_IMAGES_MAGIC} or {@link IDX_LABELS_MAGIC}
 * @returns dimensions and data
 * @throws {@link DataError} on a wrong magic number, a truncated file, or trailing bytes
 * @example
 * ```ts
 * const labels = parseIdx(encodeIdx([3], Uint8Array.of(1, 2, 3)), 'labels', IDX_LABELS_MAGIC);
 * labels.dims; // [3]
 * ```
 */
export function parseIdx(bytes: Uint8Array, file: string, expectedMagic: number): IdxArray {
  const { dims, headerBytes, totalBytes: expected } = readIdxHeader(bytes, file, expectedMagic);
  const details = { file };
  if (bytes.length < expected) {
    throw new DataError(
      `${file}: header says [${dims.join(', ')}] (${expected} bytes) but the file has ${bytes.length} bytes: the file is truncated; download it again`,
      { details: { ...details, dims, expectedBytes: expected, actualBytes: bytes.length } },
    );
  }
  if (bytes.length > expected) {
    throw new DataError(
      `${file}: header says [${dims.join(', ')}] (${expected} bytes) but the file has ${bytes.length} bytes (${bytes.length - expected} extra): the header or the file is corrupted`,
      { details: { ...details, dims, expectedBytes: expected, actualBytes: bytes.length } },
    );
  }
  return { dims, data: bytes.subarray(headerBytes, expected) };
}

/** What an IDX header declares. */
export interface IdxHeader {
  /** Dimensions, e.g. [60000, 28, 28]. */
  readonly dims: readonly number[];
  /** Bytes of the header: 4 + 4 · dims. */
  readonly headerBytes: number;
  /** Bytes the whole file must have: header + product of dims (may exceed 2^53 for a hostile header: compare, never allocate it). */
  readonly totalBytes: number;
}

/**
 * Read and check an IDX header (magic number and dimensions) from the first bytes of a file, so that the
 * size it declares can be checked before anything is allocated.
 * @param bytes - at least the header (4 + 4 · dims bytes); more is ignored
 * @param file - the file's name, for error messages
 * @param expectedMagic - {@link IDX_IMAGES_MAGIC} or {@link IDX_LABELS_MAGIC}
 * @returns the dimensions and byte counts
 * @throws {@link DataError} on a wrong magic number or a header cut short
 */
export function readIdxHeader(bytes: Uint8Array, file: string, expectedMagic: number): IdxHeader {
  const details = { file };
  if (bytes.length < 4) {
    throw new DataError(`${file}: only ${bytes.length} bytes, too short for an IDX header: the file is truncated; download it again`, { details });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    const kind = expectedMagic === IDX_IMAGES_MAGIC ? 'an image' : expectedMagic === IDX_LABELS_MAGIC ? 'a label' : 'an IDX';
    throw new DataError(
      `${file}: magic number ${hex(magic)} is not ${hex(expectedMagic)}, so this is not ${kind} file: check that images and labels are not swapped and the file is not corrupted`,
      { details: { ...details, magic, expectedMagic } },
    );
  }
  const ndims = expectedMagic & 0xff;
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new DataError(`${file}: ${bytes.length} bytes, shorter than the ${headerBytes}-byte header: the file is truncated; download it again`, { details });
  }
  const dims: number[] = [];
  for (let d = 0; d < ndims; d++) dims.push(view.getUint32(4 + 4 * d, false));
  return { dims, headerBytes, totalBytes: headerBytes + dims.reduce((a, b) => a * b, 1) };
}

/**
 * Encode unsigned bytes as an IDX file (the inverse of {@link parseIdx}); used to write test fixtures.
 * @param dims - dimensions, e.g. [n, 28, 28] or [n]
 * @param data - the values, row-major, length = product of dims
 * @returns the file bytes
 * @throws {@link DataError} when the data length does not match the dimensions
 */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) {
    throw new DataError(`encodeIdx: ${data.length} values do not fill dims [${dims.join(', ')}] (${count}): pass matching data`);
  }
  const out = new Uint8Array(4 + 4 * dims.length + count);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x00000800 | dims.length, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
