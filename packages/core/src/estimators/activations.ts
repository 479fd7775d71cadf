import { DataError } from '../errors/data-error.js';
import { ShapeError } from '../errors/shape-error.js';

/**
 * A layer's recorded activations T as a row-major matrix [n, d]: row i is the layer's output
 * for input i. Plain typed arrays, so nothing needs disposing and any backend can record them.
 */
export interface ActivationMatrix {
  /** Row-major values, length n·d. */
  readonly data: Float32Array | Float64Array;
  /** Number of rows (inputs). */
  readonly n: number;
  /** Number of columns (units of the layer). */
  readonly d: number;
}

/**
 * Check that an activation matrix is consistent and finite.
 * @param t - the matrix
 * @param minRows - the fewest rows the caller can work with
 * @throws {@link ShapeError} when `data.length !== n·d` or n, d are not positive integers
 * @throws {@link DataError} when a value is not finite
 */
export function checkActivations(t: ActivationMatrix, minRows = 1): void {
  const { n, d, data } = t;
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < minRows || d < 1) {
    throw new ShapeError(`activations must have integer n ≥ ${minRows} and d ≥ 1, got n=${n}, d=${d}`, {
      details: { n, d },
    });
  }
  if (data.length !== n * d) {
    throw new ShapeError(
      `activations data has length ${data.length} but n·d = ${n}·${d} = ${n * d}: pass the row-major [n, d] values`,
      { details: { length: data.length, n, d } },
    );
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new DataError(`activation ${i} (row ${Math.floor(i / d)}) is ${data[i]}: remove non-finite activations first`, {
        details: { index: i },
      });
    }
  }
}

/**
 * Check labels against the number of rows and classes and return them as integers.
 * @param labels - class label of each row
 * @param n - number of rows expected
 * @param numClasses - number of classes; inferred as max label + 1 when omitted
 * @returns the labels as an Int32Array and the number of classes
 * @throws {@link ShapeError} when `labels.length !== n`
 * @throws {@link DataError} when a label is not an integer in [0, numClasses)
 */
export function checkLabels(
  labels: ArrayLike<number>,
  n: number,
  numClasses?: number,
): { labels: Int32Array; numClasses: number } {
  if (labels.length !== n) {
    throw new ShapeError(`got ${labels.length} labels for ${n} rows: pass one label per row`, {
      details: { labels: labels.length, n },
    });
  }
  let max = -1;
  for (let i = 0; i < n; i++) max = Math.max(max, labels[i]!);
  const k = numClasses ?? max + 1;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= k) {
      throw new DataError(`label ${i} is ${y}, not an integer in [0, ${k}): pass class indices`, {
        details: { index: i, label: y, numClasses: k },
      });
    }
    out[i] = y;
  }
  return { labels: out, numClasses: k };
}
