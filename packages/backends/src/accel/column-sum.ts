import type { TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, KernelOverrideSpec } from './kernel-types.js';
import { heapOffset, wasmInternals, type WasmBackendInternals } from './wasm-internals.js';

/** out[j] = Σᵢ x[i·cols + j] on the wasm heap (offsets in floats), each column added in row order in float32. */
export type ColumnSums = (be: WasmBackendInternals, xOff: number, rows: number, cols: number, outOff: number) => void;

/**
 * The reduced axes of a Sum call, non-negative and in the order given (tfjs-wasm adds the reduced elements in that
 * order: [1, 0] walks axis 1 in the outer loop), or null when malformed.
 */
function reducedAxes(axis: unknown, rank: number): number[] | null {
  if (axis === null || axis === undefined) return [...Array(rank).keys()]; // tfjs: every axis
  const list = (Array.isArray(axis) ? axis : [axis]).map((a) => (typeof a === 'number' ? a : NaN));
  if (list.some((a) => !Number.isInteger(a) || a < -rank || a >= rank)) return null;
  return list.map((a) => (a < 0 ? a + rank : a));
}

/**
 * The geometry of a Sum over leading axes given in order (0, 1, …): rows (the reduced leading axes multiplied
 * out) and columns (the rest), or null for every other reduction (no axis kept, a kept axis before a reduced one,
 * the axes out of order or repeated).
 * @param args - the call
 * @returns rows, cols and the output shape, or null
 */
export function columnSumGeometry(args: KernelArgs): { rows: number; cols: number; outShape: number[] } | null {
  const x = args.inputs['x'];
  if (!x || x.dtype !== 'float32') return null;
  const rank = x.shape.length;
  const axes = reducedAxes(args.attrs['axis'], rank);
  if (!axes || axes.length === 0 || axes.length >= rank || axes.some((a, i) => a !== i)) return null;
  const r = axes.length;
  const rows = x.shape.slice(0, r).reduce((p, d) => p * d, 1);
  const kept = x.shape.slice(r);
  const outShape = args.attrs['keepDims'] ? [...Array<number>(r).fill(1), ...kept] : kept;
  return { rows, cols: kept.reduce((p, d) => p * d, 1), outShape };
}

/**
 * The output shape of a reduction (any axes, `keepDims` or not), or null when its axes are malformed or repeated.
 * @param args - the call
 * @returns the shape
 */
function emptyShape(args: KernelArgs): number[] | null {
  const shape = args.inputs['x']?.shape ?? [];
  const axes = reducedAxes(args.attrs['axis'], shape.length);
  if (!axes || new Set(axes).size !== axes.length) return null;
  return shape.flatMap((d, i) => (axes.includes(i) ? (args.attrs['keepDims'] ? [1] : []) : [d]));
}

/**
 * The geometry of a Sum over trailing axes given in order (…, rank − 2, rank − 1), with at least one axis kept: rows
 * (the kept leading axes multiplied out) and columns (the reduced ones), or null for every other reduction.
 * @param args - the call
 * @returns rows, cols and the output shape, or null
 */
export function rowSumGeometry(args: KernelArgs): { rows: number; cols: number; outShape: number[] } | null {
  const x = args.inputs['x'];
  if (!x || x.dtype !== 'float32') return null;
  const rank = x.shape.length;
  const axes = reducedAxes(args.attrs['axis'], rank);
  if (!axes || axes.length === 0 || axes.length >= rank) return null;
  const kept = rank - axes.length;
  if (axes.some((a, i) => a !== kept + i)) return null;
  const lead = x.shape.slice(0, kept);
  const outShape = args.attrs['keepDims'] ? [...lead, ...Array<number>(axes.length).fill(1)] : lead;
  return { rows: lead.reduce((p, d) => p * d, 1), cols: x.shape.slice(kept).reduce((p, d) => p * d, 1), outShape };
}

/** out[i] = Σⱼ x[i·cols + j] on the wasm heap (offsets in floats), each row added from its first element in float32. */
export type RowSums = ColumnSums;

/**
 * Sum over leading axes (a bias gradient: the batch rows of [batch, units] added up) as column sums straight
 * from the input. tfjs-backend-wasm 4.22 first transposes the input so that the reduced axes are innermost, then
 * adds each row of the transpose: a second pass and a temporary the size of the input. The columns here are added
 * in the same row order in float32, so the sums are bitwise the stock kernel's. Other reductions go to the stock
 * kernel.
 * (The native tier's is the addon's vectorized loop, the pure tier's the SIMD module's; a JavaScript loop over the
 * heap was slower than the stock kernel, 256 against 185 µs on [100, 1024].)
 * Where the tier has row sums too (the native tier), a Sum over trailing axes (the KL's sum over the code) runs
 * them: tfjs-wasm adds each row from its first element in float32, one dependent add after another; the addon
 * keeps eight rows' chains in flight, in the same order, so the same bits.
 *
 * With `kernelName` `Mean`, the same sums divided by the number of elements each one added: tfjs-wasm's Mean
 * transposes the same way and divides its float32 sum once, so the means are bitwise its own too; a mean over no
 * elements is 0, as tfjs's cpu backend gives it, where the stock wasm kernel leaves the output unwritten (whatever
 * the memory held). On [100, 1024] (native tier, 2-core Zen 4, 2026-12-06) the stock Mean took 129 µs over the
 * rows and 84 over the columns, these 32–37 and 22–25.
 * @param sumsFor - the column sums on a backend, or null where there are none (then the stock kernel runs)
 * @param tier - the tier the override belongs to
 * @param rowSumsFor - the row sums on a backend, or null (default: none, so trailing axes go to the stock kernel)
 * @param kernelName - `Sum` (default) or `Mean`
 * @returns the override spec
 */
export function columnSumOverride(
  sumsFor: (be: WasmBackendInternals) => ColumnSums | null,
  tier: 'pure' | 'native',
  rowSumsFor: (be: WasmBackendInternals) => RowSums | null = () => null,
  kernelName: 'Sum' | 'Mean' = 'Sum',
): KernelOverrideSpec {
  /** Which of the two reductions a call is, with its geometry, where the tier has sums for it. */
  const plan = (args: KernelArgs, be: WasmBackendInternals) => {
    const leading = columnSumGeometry(args);
    if (leading) {
      const sums = sumsFor(be);
      return sums ? { g: leading, sums, outCount: leading.cols, added: leading.rows } : null;
    }
    const trailing = rowSumGeometry(args);
    const sums = trailing && rowSumsFor(be);
    return trailing && sums ? { g: trailing, sums, outCount: trailing.rows, added: trailing.cols } : null;
  };
  return {
    kernelName,
    backendName: 'wasm',
    tier,
    run: (args: KernelArgs): TensorInfo | null => {
      const be = wasmInternals(args.backend);
      const x = args.inputs['x'];
      // a reduction of no elements over any axes: zeros, as tfjs's cpu backend gives them, where the stock wasm kernel
      // leaves its output unwritten (tf.sum of an empty tensor read back whatever that memory held)
      const empty = be && x && x.dtype === 'float32' && x.shape.some((d) => d === 0) ? emptyShape(args) : null;
      if (be && empty) {
        const out = be.makeOutput(empty, 'float32');
        const o = heapOffset(be, out);
        be.wasm.HEAPF32.fill(0, o, o + empty.reduce((n, d) => n * d, 1));
        return out;
      }
      const p = be && plan(args, be);
      if (!be || !p || !x) return null;
      const out = be.makeOutput(p.g.outShape, 'float32');
      // offsets after makeOutput; the sums write every output element (zeros for an empty reduction)
      const o = heapOffset(be, out);
      if (p.outCount > 0) {
        p.sums(be, heapOffset(be, x), p.g.rows, p.g.cols, o);
        if (kernelName === 'Mean' && p.added > 0) {
          // the float32 sum over the count as a float32 (as C++ converts it), in float64 and rounded once: the float32 quotient
          const [h, count] = [be.wasm.HEAPF32, Math.fround(p.added)];
          for (let i = o; i < o + p.outCount; i++) h[i] = (h[i] as number) / count;
        }
      }
      return out;
    },
    variantKey: (args) =>
      args.inputs['x']?.shape.some((d) => d === 0) ? 'empty' : columnSumGeometry(args) ? `leading ${String(args.attrs['keepDims'])}` : rowSumGeometry(args) ? `trailing ${String(args.attrs['keepDims'])}` : 'other',
    checkCase: (args, random) => {
      const rank = args.inputs['x']?.shape.length ?? 0;
      const r = columnSumGeometry(args) || rowSumGeometry(args) ? reducedAxes(args.attrs['axis'], rank)?.length ?? 0 : 0;
      if (r === 0) return null;
      // the call's reduced and kept axes, small and odd: leading 2 … 2 3 | 2 … 2 5, trailing 2 … 2 3 | 2 … 2 5 as well
      const [first, second] = columnSumGeometry(args) ? [r, rank - r] : [rank - r, r];
      const shape = [...Array<number>(first - 1).fill(2), 3, ...Array<number>(second - 1).fill(2), 5];
      const values = Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => random());
      return { inputs: { x: { shape, values } }, attrs: { ...args.attrs } };
    },
    // tfjs's cpu Sum adds in float64 and rounds once; this rounds every partial sum to float32
    tolerance: { atol: 1e-6, rtol: 1e-5 },
  };
}

/**
 * The overrides the column (and row) sums serve, `Sum` and `Mean`, each a {@link columnSumOverride} of the same sums.
 * @param sumsFor - the column sums on a backend, or null where there are none
 * @param tier - the tier the overrides belong to
 * @param rowSumsFor - the row sums on a backend, or null (default: none)
 * @returns the two override specs
 */
export function columnSumOverrides(
  sumsFor: (be: WasmBackendInternals) => ColumnSums | null,
  tier: 'pure' | 'native',
  rowSumsFor: (be: WasmBackendInternals) => RowSums | null = () => null,
): KernelOverrideSpec[] {
  return (['Sum', 'Mean'] as const).map((name) => columnSumOverride(sumsFor, tier, rowSumsFor, name));
}
