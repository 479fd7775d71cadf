import { describe, expect, it } from 'vitest';
import { withNativeThreads } from '../testing/native-settings.js';
import { loadNativeBlas } from './load-native-blas.js';

const native = await loadNativeBlas();

/** Deterministic uniform [lo, hi) floats. */
function floats(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((hi - lo) * s) / 2 ** 32;
  });
}

// 300,007 floats: long enough that the addon splits the pass over two or three threads (≥ 65,536 each), in pieces
// the threads claim as they come (8 a thread), and odd, so the last piece is short and unaligned.
const N = 300_007;

describe.skipIf(!native.ok)('native Adam and EMA over long arrays', () => {
  const blas = native.ok ? native.blas : (undefined as never);

  it('Adam split over two and three threads is bitwise the one-thread update, and matches the float64 formula', () => {
    const run = (threads: number) => {
      const heap = new Float32Array(5 * N);
      heap.set(floats(N, 1), 0); // p
      heap.set(floats(N, 2), N); // g
      heap.set(floats(N, 3), 2 * N); // m
      heap.set(floats(N, 4, 0, 1), 3 * N); // v ≥ 0
      withNativeThreads(blas, threads, () => blas.adam(heap, N, 0, N, 2 * N, 3 * N, 4 * N, 1e-3, 0.9, 0.999, 1e-7, 1 / (1 - 0.9 ** 3), 1 / (1 - 0.999 ** 3)));
      return heap;
    };
    const one = run(1);
    const two = run(2);
    expect(Buffer.from(two.buffer).equals(Buffer.from(one.buffer))).toBe(true);
    expect(Buffer.from(run(3).buffer).equals(Buffer.from(one.buffer)), 'three threads').toBe(true);
    const [p, g, m, v] = [floats(N, 1), floats(N, 2), floats(N, 3), floats(N, 4, 0, 1)];
    for (const i of [0, 1, 65_535, 65_536, 150_003, N - 1]) {
      const mi = 0.9 * m[i]! + 0.1 * g[i]!;
      const vi = 0.999 * v[i]! + 0.001 * g[i]! * g[i]!;
      const want = p[i]! - (1e-3 * (mi / (1 - 0.9 ** 3))) / (Math.sqrt(vi / (1 - 0.999 ** 3)) + 1e-7);
      expect(Math.abs(two[4 * N + i]! - want)).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(want));
      expect(Math.abs(two[2 * N + i]! - mi)).toBeLessThanOrEqual(1e-6);
    }
  });

  it('EMA over two threads is bitwise fround(fround(a·d) + fround(v·e)), the stock Mul, Mul, Add', () => {
    const emaFn = blas.ema;
    expect(emaFn, 'this addon build has ema').toBeTypeOf('function');
    const a = floats(N, 5, -3, 3);
    const v = floats(N, 6, -3, 3);
    const [d, e] = [Math.fround(0.999), Math.fround(1 - 0.999)];
    const heap = new Float32Array(3 * N);
    heap.set(a, 0);
    heap.set(v, N);
    withNativeThreads(blas, 2, () => emaFn!.call(blas, heap, 0, N, 2 * N, N, d, e));
    let mismatches = 0;
    for (let i = 0; i < N; i++) if (heap[2 * N + i] !== Math.fround(Math.fround(a[i]! * d) + Math.fround(v[i]! * e))) mismatches++;
    expect(mismatches).toBe(0);
    expect(() => emaFn!.call(blas, heap, 0, N, 2 * N + 1, N, d, e)).toThrow(/output range .* outside the array/);
  });

  it('unary and fused passes split over two threads where the workers are awake, bitwise the one-thread pass', () => {
    const vecSplits = blas.vecSplits;
    expect(vecSplits, 'this addon build splits elementwise passes').toBeTypeOf('function');
    const unary = blas.unary!.bind(blas);
    const fused = blas.fused!.bind(blas);
    // 150,003 elements: enough for two threads of the ReLU mask's 65,536 too; pieces of 16-float multiples and a short
    // unaligned last one; special values at the start
    const n = 150_003;
    const special = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-40, 88.8, -88.8, 1e30, -1e30, 5, -5];
    const input = (seed: number, lo: number, hi: number) => {
      const x = floats(n, seed, lo, hi);
      x.set(special.slice(seed % 3), 0);
      return x;
    };
    const [a, b, c] = [input(7, -30, 30), input(8, -20, 20), input(9, -4, 4)];
    // a product of 100×1024×1024 (split by columns) leaves the worker watching for the next call for 300 µs
    const g = new Float32Array(3 * 1024 * 1024);
    const wake = () => blas.sgemm(g, false, false, 100, 1024, 1024, 1, 0, 1024, 1024 * 1024, 1024, 0, 2 * 1024 * 1024, 1024);
    const pass = (threads: number, f: (heap: Float32Array) => unknown): Float32Array => {
      const heap = new Float32Array(4 * n);
      heap.set(a, 0);
      heap.set(b, n);
      heap.set(c, 2 * n);
      return withNativeThreads(blas, threads, () => {
        // two threads: until the pass was split (the worker may have been descheduled and fallen asleep: on a host
        // busy with other test files, 20 tries in a row once all missed), for 10 s at most
        const until = performance.now() + 10_000;
        let tries = 0;
        do {
          tries++;
          const before = vecSplits!.call(blas);
          if (threads > 1) wake();
          heap.fill(0, 3 * n);
          f(heap);
          if (threads === 1 || vecSplits!.call(blas) > before) return heap.subarray(3 * n);
        } while (performance.now() < until);
        throw new Error(`the pass never split over two threads in ${tries} tries over 10 s`);
      });
    };
    const cases: [string, (heap: Float32Array) => unknown][] = [
      ...[0, 1, 2, 3, 4, 5].map((op) => [`unary ${op}`, (h: Float32Array) => expect(unary(h, op, 0, 3 * n, n)).toBe(true)] as [string, (h: Float32Array) => unknown]),
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((op) => [`fused ${op}`, (h: Float32Array) => expect(fused(h, op, 0, n, 2 * n, 3 * n, n)).toBe(true)] as [string, (h: Float32Array) => unknown]),
    ];
    for (const [name, f] of cases) {
      const one = pass(1, f);
      const two = pass(2, f);
      expect(Buffer.from(two.buffer, two.byteOffset, two.byteLength).equals(Buffer.from(one.buffer, one.byteOffset, one.byteLength)), name).toBe(true);
    }
    // an unknown op is refused before any split, and writes nothing
    const heap = new Float32Array(4 * n);
    expect(unary(heap, 99, 0, 3 * n, n)).toBe(false);
    expect(fused(heap, 99, 0, n, 2 * n, 3 * n, n)).toBe(false);
    expect(heap.every((v) => v === 0)).toBe(true);
  });

  it('every heap kernel refuses a call without its arguments, naming its usage, where biasAct and adam once read them unchecked', () => {
    const calls: [string, unknown[], RegExp][] = [
      ['biasAct', [new Float32Array(4), 0, 1], /native-blas: biasAct\(heap, cOff, rows, cols, biasOff, act\)/],
      ['adam', [{}, 4, 0, 0, 0, 0, 0, 0.1, 0.9, 0.999, 1e-7, 1, 1], /native-blas: adam\(heap, n, pOff/],
      ['sgemm', [new Float32Array(4)], /native-blas: sgemm\(heap, transA/],
      ['colSum', ['heap', 0, 1, 1, 0], /native-blas: colSum\(heap, xOff, rows, cols, outOff\)/],
    ];
    for (const [name, args, usage] of calls) {
      const f = (blas as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
      expect(() => f!.apply(blas, args), name).toThrow(usage);
    }
  });
});
