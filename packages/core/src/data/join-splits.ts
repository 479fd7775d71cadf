import type { DataSplit } from '../plugins/dataset-plugin.js';

/**
 * Two splits as one: a's examples followed by b's (e.g. a dataset's train ∪ test, the inputs Shwartz-Ziv & Tishby
 * measured the information plane on). Targets are kept when both splits have them.
 * @param a - the first split
 * @param b - the second, of the same input width
 * @returns a new split with a.n + b.n examples (the inputs are copied)
 * @throws RangeError when the splits' input widths differ
 * @example
 * ```ts
 * const all = joinSplits(dataset.train, dataset.test); // the 4,096 patterns of the 12-bit task
 * ```
 */
export function joinSplits(a: DataSplit, b: DataSplit): DataSplit {
  const width = (s: DataSplit) => (s.n > 0 ? s.x.length / s.n : 0);
  const w = a.n > 0 ? width(a) : width(b);
  if (a.n > 0 && b.n > 0 && width(b) !== w) throw new RangeError(`joinSplits: inputs of width ${w} and ${width(b)} do not join: join splits of one dataset`);
  const x = new Float32Array((a.n + b.n) * w);
  x.set(a.x.subarray(0, a.n * w));
  x.set(b.x.subarray(0, b.n * w), a.n * w);
  const y = new Int32Array(a.n + b.n);
  y.set(a.y.subarray(0, a.n));
  y.set(b.y.subarray(0, b.n), a.n);
  if (a.targets === undefined || b.targets === undefined) return { x, y, n: a.n + b.n };
  const t = new Float32Array(a.targets.length + b.targets.length);
  t.set(a.targets);
  t.set(b.targets, a.targets.length);
  return { x, y, n: a.n + b.n, targets: t };
}
