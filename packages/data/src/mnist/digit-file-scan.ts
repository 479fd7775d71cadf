/**
 * The `mnist` package's digit files read as bytes in Node, without `JSON.parse` building an array of one JavaScript
 * number per pixel (7.84 M for the ten files: about 0.5 s and 120 MB of fresh heap, where the scan takes about 0.2 s
 * and writes the pixels straight into the typed array that keeps them). The scan accepts only the files' own form,
 * `{ "data": [ … ] }` holding non-negative decimals such as `0`, `1` or `0.624`; anything else makes it give up, and
 * the caller falls back to importing the package (which reports a broken install).
 */

/** Most significant digits a number may have: its digits as an integer then stay exact in a double. */
const MAX_DIGITS = 15;
/** 10^k for k ≤ {@link MAX_DIGITS}, each exact in a double. */
const POW10 = Array.from({ length: MAX_DIGITS + 1 }, (_, k) => 10 ** k);

const [SPACE, TAB, LF, CR] = [0x20, 0x09, 0x0a, 0x0d];
const [COMMA, DOT, CLOSE, ZERO, NINE] = [0x2c, 0x2e, 0x5d, 0x30, 0x39];

/**
 * Scan one digit file: its values, in order, `rowSize` at a time.
 * Each value is the double that `JSON.parse` gives for its text: the text's digits read as an integer m with f digits
 * after the point (m and 10^f both exact in a double: at most {@link MAX_DIGITS} digits), the value is m / 10^f, which
 * IEEE division rounds correctly, as `JSON.parse` rounds the decimal. Copied into a Float32Array, the values round as
 * the imported package's numbers do.
 * @param bytes - the file's bytes
 * @param rowSize - values per row (784 for 28 × 28 images)
 * @param emitRow - called with each full row, in a buffer reused for the next (copy what you keep)
 * @returns the number of rows, or `undefined` where the bytes are not `{"data":[…]}` of such decimals, or their count
 *   is not a multiple of `rowSize`
 */
export function scanDigitFile(bytes: Uint8Array, rowSize: number, emitRow: (row: Float64Array) => void): number | undefined {
  const row = new Float64Array(rowSize);
  const n = bytes.length;
  let i = 0;
  const skipSpace = (): void => {
    while (i < n) {
      const c = bytes[i]!;
      if (c !== SPACE && c !== TAB && c !== LF && c !== CR) return;
      i++;
    }
  };
  const expect = (text: string): boolean => {
    skipSpace();
    for (let k = 0; k < text.length; k++, i++) if (bytes[i] !== text.charCodeAt(k)) return false;
    return true;
  };
  if (!expect('{') || !expect('"data"') || !expect(':') || !expect('[')) return undefined;
  let filled = 0;
  let rows = 0;
  skipSpace();
  if (bytes[i] === CLOSE) i++;
  else {
    for (;;) {
      skipSpace();
      // a lone 0 and its comma (most of a digit's pixels, the background): the value 0, as the general path gives it
      // (the ten files scanned in 135–160 ms instead of 189–207 on a 2-core Zen 4, the first scan of a process)
      if (bytes[i] === ZERO && bytes[i + 1] === COMMA) {
        row[filled++] = 0;
        i += 2;
        if (filled === rowSize) {
          emitRow(row);
          rows++;
          filled = 0;
        }
        continue;
      }
      // an integer part (no leading zeros but a lone 0), then maybe a point and at least one digit
      let c = bytes[i];
      if (c === undefined || c < ZERO || c > NINE) return undefined;
      if (c === ZERO && bytes[i + 1] !== undefined && bytes[i + 1]! >= ZERO && bytes[i + 1]! <= NINE) return undefined;
      let m = 0;
      let digits = 0;
      let fraction = 0;
      while (c !== undefined && c >= ZERO && c <= NINE) {
        m = m * 10 + (c - ZERO);
        if (m !== 0) digits++;
        c = bytes[++i];
      }
      if (c === DOT) {
        c = bytes[++i];
        if (c === undefined || c < ZERO || c > NINE) return undefined;
        while (c !== undefined && c >= ZERO && c <= NINE) {
          m = m * 10 + (c - ZERO);
          fraction++;
          if (m !== 0) digits++;
          c = bytes[++i];
        }
      }
      if (digits > MAX_DIGITS || fraction > MAX_DIGITS) return undefined;
      row[filled++] = fraction === 0 ? m : m / POW10[fraction]!;
      if (filled === rowSize) {
        emitRow(row);
        rows++;
        filled = 0;
      }
      skipSpace();
      if (bytes[i] === COMMA) {
        i++;
        continue;
      }
      if (bytes[i] === CLOSE) {
        i++;
        break;
      }
      return undefined;
    }
  }
  if (!expect('}')) return undefined;
  skipSpace();
  return i === n && filled === 0 ? rows : undefined;
}
