import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { withGemmKernel, withNativeThreads } from '../testing/native-settings.js';
import { loadNativeBlas } from './load-native-blas.js';
import type { GemmKernelName } from './native-blas-module.js';

const native = await loadNativeBlas();

/** Deterministic uniform [-1, 1) floats. */
function floats(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return -1 + (2 * s) / 2 ** 32;
  });
}

/** The CPU's flags from /proc/cpuinfo (empty off Linux). */
function cpuFlags(): Set<string> {
  try {
    return new Set(/^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim().split(/\s+/) ?? []);
  } catch {
    return new Set();
  }
}

interface Case {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly tA: boolean;
  readonly tB: boolean;
  /** Extra floats at the end of each stored row of A, B and C (leading dimension above the minimum). */
  readonly pad: number;
}

/**
 * One product in a heap laid out as [A | B | C], every padding float NaN and C filled with NaN first: C must come
 * out finite exactly where the product goes, and its padding must stay NaN.
 */
function multiply(blas: NonNullable<typeof native & { ok: true }>['blas'], c: Case, seed: number, alpha = 1, beta = 0) {
  const { m, n, k, tA, tB, pad } = c;
  const [aRows, aCols] = tA ? [k, m] : [m, k];
  const [bRows, bCols] = tB ? [n, k] : [k, n];
  const [lda, ldb, ldc] = [aCols + pad, bCols + pad, n + pad];
  const aOff = 3;
  const bOff = aOff + aRows * lda;
  const cOff = bOff + bRows * ldb;
  const heap = new Float32Array(cOff + m * ldc + 5).fill(Number.NaN);
  const a = floats(aRows * aCols, seed);
  const b = floats(bRows * bCols, seed + 1);
  for (let i = 0; i < aRows; i++) heap.set(a.subarray(i * aCols, (i + 1) * aCols), aOff + i * lda);
  for (let i = 0; i < bRows; i++) heap.set(b.subarray(i * bCols, (i + 1) * bCols), bOff + i * ldb);
  const c0 = floats(m * n, seed + 2);
  for (let i = 0; i < m; i++) heap.set(c0.subarray(i * n, (i + 1) * n), cOff + i * ldc);
  blas.sgemm(heap, tA, tB, m, n, k, alpha, aOff, lda, bOff, ldb, beta, cOff, ldc);
  const opA = (i: number, p: number) => (tA ? a[p * aCols + i]! : a[i * aCols + p]!);
  const opB = (p: number, j: number) => (tB ? b[j * bCols + p]! : b[p * bCols + j]!);
  let worst = 0;
  let paddingKept = true;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let mag = 0;
      for (let p = 0; p < k; p++) {
        sum += opA(i, p) * opB(p, j);
        mag += Math.abs(opA(i, p) * opB(p, j));
      }
      const want = alpha * sum + beta * c0[i * n + j]!;
      const got = heap[cOff + i * ldc + j]!;
      // float32 summation of k terms: error within a small multiple of k·ε·Σ|terms|
      const err = Math.abs(got - want) / (k * 2 ** -23 * (Math.abs(alpha) * mag + Math.abs(beta)) + 1e-30);
      worst = Number.isNaN(err) ? Infinity : Math.max(worst, err);
    }
    for (let j = n; j < ldc; j++) if (!Number.isNaN(heap[cOff + i * ldc + j]!)) paddingKept = false;
  }
  return { worst, paddingKept, c: heap.slice(cOff, cOff + m * ldc) };
}

const ownGemm = native.ok && typeof native.blas.setGemmKernel === 'function' ? native.blas : undefined;

/** The addon's own kernel for this CPU (it is built with -march=native): AVX-512, else AVX2 with FMA, else none. */
function ownKernelHere(): 'avx512' | 'avx2' | null {
  const flags = cpuFlags();
  if (flags.has('avx512f')) return 'avx512';
  return flags.has('avx2') && flags.has('fma') ? 'avx2' : null;
}

/** Float32 fused multiply-add, a·b + c rounded once: a·b of two floats is exact in float64, the sum rounded there. */
const fma32 = (a: number, b: number, c: number): number => Math.fround(a * b + c);

/**
 * The order the own kernels sum each element in (gemm-avx512.h and gemm-avx2.h alike): a chain of fused
 * multiply-adds from +0 over k ascending within each block of 256, each block's sum added to C in order.
 * (The float64 sum rounded again to float32 differs from one rounding only where it lands on a float32 midpoint,
 * about once in 2^29 terms; these seeded cases have none.)
 */
function ownOrder(a: Float32Array, b: Float32Array, c: Case): Float32Array {
  const { m, n, k, tA, tB } = c;
  const [aCols, bCols] = [tA ? m : k, tB ? k : n];
  const opA = (i: number, p: number): number => (tA ? a[p * aCols + i]! : a[i * aCols + p]!);
  const opB = (p: number, j: number): number => (tB ? b[j * bCols + p]! : b[p * bCols + j]!);
  const depth = ownSliceDepth(m, n, k);
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i * n + j] = ownSum(opA, opB, i, j, k, depth);
  return out;
}

/**
 * The depth of the slices the own kernels cut an m×n product of depth k into, k where they do not cut it: a deep
 * product with a small C is cut into slices of 2,048 (gemm-common.h's kSliceDepth; C of at most kSlicedMaxOutputs =
 * 65,536 elements), each summed as a product of its own, then added in order; slices of 4,096, 8,192, … where the
 * partial Cs would hold more than 2^22 floats (SliceDepth).
 */
function ownSliceDepth(m: number, n: number, k: number): number {
  if (!(m * n * k >= 1 << 22 && m * n <= 65536 && k >= 4096)) return k;
  let depth = 2048;
  while ((Math.ceil(k / depth) - 1) * m * n > 1 << 22) depth *= 2;
  return depth;
}

/** Element (i, j) of op(A)·op(B) summed in the own kernels' order, the product cut into slices `depth` deep. */
function ownSum(opA: (i: number, p: number) => number, opB: (p: number, j: number) => number, i: number, j: number, k: number, depth: number): number {
  let sum = 0;
  for (let s0 = 0; s0 < k; s0 += depth) {
    let total = 0;
    for (let k0 = s0; k0 < Math.min(k, s0 + depth); k0 += 256) {
      let block = 0;
      for (let p = k0; p < Math.min(k, k0 + 256); p++) block = fma32(opA(i, p), opB(p, j), block);
      total = k0 === s0 ? block : Math.fround(total + block);
    }
    sum = s0 === 0 ? total : Math.fround(sum + total);
  }
  return sum;
}

describe.skipIf(!native.ok)('native sgemm: the kernels of its own (AVX-512, AVX2) and OpenBLAS', () => {
  const blas = native.ok ? native.blas : (undefined as never);
  const own = ownGemm ? ownKernelHere() : null;
  const kernels: readonly GemmKernelName[] = own ? [own, 'openblas'] : ['openblas'];
  const withKernel = <T>(name: GemmKernelName, f: () => T): T => withGemmKernel(blas, name, f);

  it('uses its own kernel by default exactly where the CPU has AVX-512, has the AVX2 one where it has AVX2 and FMA, and names what it uses', () => {
    if (!ownGemm) return;
    expect(ownGemm.gemmKernel!()).toBe(own === 'avx512' ? 'avx512' : 'openblas');
    if (own) expect(withKernel(own, () => ownGemm.gemmKernel!())).toBe(own);
    expect(withKernel('openblas', () => ownGemm.gemmKernel!())).toBe('openblas');
    // the other own kernel is not built in: asking for it gives OpenBLAS
    expect(withKernel(own === 'avx512' ? 'avx2' : 'avx512', () => ownGemm.gemmKernel!())).toBe('openblas');
    expect(() => ownGemm.setGemmKernel!('mkl' as never)).toThrow(/setGemmKernel takes "avx512", "avx2" or "openblas", got "mkl"/);
  });

  // odd shapes around the kernels' tiles (10 rows × 32 columns, 6 × 16) and depth block (256), every transpose
  const shapes: [number, number, number][] = [
    [1, 1, 1], [1, 33, 7], [7, 1, 300], [10, 32, 256], [11, 31, 257], [13, 65, 255], [100, 10, 256], [101, 100, 3], [37, 47, 600],
    [6, 16, 256], [5, 15, 2], [7, 17, 513],
  ];
  for (const kernel of kernels) {
    it(`${kernel}: op(A)·op(B) on odd shapes, every transpose, padded leading dimensions, is the float64 product within float32 rounding`, () => {
      withKernel(kernel, () => {
        let seed = 10;
        for (const [m, n, k] of shapes) {
          for (const tA of [false, true]) {
            for (const tB of [false, true]) {
              for (const pad of [0, 3]) {
                const r = multiply(blas, { m, n, k, tA, tB, pad }, (seed += 3));
                expect(r.worst, `${m}×${n}×${k} tA=${tA} tB=${tB} pad=${pad}`).toBeLessThan(1);
                expect(r.paddingKept, `${m}×${n}×${k} padding of C untouched`).toBe(true);
              }
            }
          }
        }
      });
    });

    it(`${kernel}: alpha and beta other than 1 and 0 scale the product and the old C`, () => {
      withKernel(kernel, () => {
        const r = multiply(blas, { m: 12, n: 40, k: 30, tA: false, tB: true, pad: 1 }, 99, -0.5, 0.25);
        expect(r.worst).toBeLessThan(1);
      });
    });
  }

  // The addon's own kernel sums each element in one order whatever the number of threads. OpenBLAS promises no such
  // thing: on a 2026-12-04 AMD EPYC host without AVX-512 (where OpenBLAS is the kernel), its two-thread sgemm gave
  // other bits than its one-thread sgemm for this product. There both thread counts are held to float32 rounding.
  it(`${kernels[0]}: a product big enough for two threads is the float64 product within float32 rounding on one thread and on two${own ? ', with the same bits (each element summed in one order)' : ''}`, () => {
    for (const [tA, tB] of [[false, false], [true, false], [false, true]] as const) {
      const c: Case = { m: 100, n: 300, k: 520, tA, tB, pad: 0 };
      const one = withKernel(kernels[0]!, () => withNativeThreads(blas, 1, () => multiply(blas, c, 7)));
      const two = withKernel(kernels[0]!, () => withNativeThreads(blas, 2, () => multiply(blas, c, 7)));
      expect(one.worst).toBeLessThan(1);
      expect(two.worst).toBeLessThan(1);
      if (own) expect(Buffer.from(two.c.buffer).equals(Buffer.from(one.c.buffer)), `tA=${tA} tB=${tB}`).toBe(true);
    }
  });

  // The threads take chunks of columns as they come, each a share of the columns left (whole panels, the last one
  // partial here: 1000 = 31 panels of 32 and one of 8), so which thread sums which column varies from run to run.
  it.skipIf(!own)(`${own}: chunks handed out over three threads cover every column once, with the one-thread bits`, () => {
    withKernel(own!, () => {
      for (const [tA, tB] of [[false, false], [true, false], [false, true]] as const) {
        const c: Case = { m: 37, n: 1000, k: 300, tA, tB, pad: 3 };
        const one = withNativeThreads(blas, 1, () => multiply(blas, c, 11));
        const three = withNativeThreads(blas, 3, () => multiply(blas, c, 11));
        expect(three.worst).toBeLessThan(1);
        expect(three.paddingKept, `tA=${tA} tB=${tB}: C's padding`).toBe(true);
        expect(Buffer.from(three.c.buffer).equals(Buffer.from(one.c.buffer)), `tA=${tA} tB=${tB}`).toBe(true);
      }
    });
  });

  // A product narrower than a panel a thread (32 columns or fewer with AVX-512, 16 with AVX2) but long enough splits its
  // rows between the threads in bands of whole tiles: the same bits as one thread, every row once (a partial last tile).
  it.skipIf(!own)(`${own}: a narrow, tall product (a convolution's first layer) split by rows over two and three threads has the one-thread bits`, () => {
    withKernel(own!, () => {
      for (const [m, n, k, tA, tB] of [[7843, 32, 25, false, false], [4001, 20, 300, false, false], [3001, 10, 400, true, false], [2503, 16, 350, false, true]] as const) {
        const c: Case = { m, n, k, tA, tB, pad: 2 };
        const one = withNativeThreads(blas, 1, () => multiply(blas, c, 13));
        for (const threads of [2, 3]) {
          const split = withNativeThreads(blas, threads, () => multiply(blas, c, 13));
          expect(split.worst).toBeLessThan(1);
          expect(split.paddingKept, `${m}×${n}×${k}: C's padding`).toBe(true);
          expect(Buffer.from(split.c.buffer).equals(Buffer.from(one.c.buffer)), `${m}×${n}×${k} tA=${tA} tB=${tB} on ${threads} threads`).toBe(true);
        }
      }
    });
  });

  // A deep product with a small C (a first convolution layer's filter gradient: 25 × 32 over 78,400 positions) is cut
  // along its depth into slices summed on their own and added in order: the same bits on one thread, two and three,
  // the own kernels' order of that cut, every transpose, a last slice short or exactly full (64 × 64 over 4 · 2,048).
  // 20 × 30 over 7,000 and 64 × 100 over 5,000 are cut only since 2026-12-07, afternoon (a depth of 4,096 and a C of
  // 65,536 elements at most, where these were 8,192 and 4,096).
  it.skipIf(!own)(`${own}: a deep product with a small C cut along its depth has the same bits on 1, 2 and 3 threads, its own order's`, () => {
    withKernel(own!, () => {
      let seed = 90;
      for (const [m, n, k, tA, tB] of [[25, 32, 9001, true, false], [20, 30, 7000, false, true], [7, 40, 16000, true, true], [64, 64, 8192, false, false], [64, 100, 5000, true, false]] as const) {
        expect(ownSliceDepth(m, n, k), `${m}×${n}×${k} is cut`).toBe(2048);
        const c: Case = { m, n, k, tA, tB, pad: 1 };
        const [aRows, aCols] = tA ? [k, m] : [m, k];
        const [bRows, bCols] = tB ? [n, k] : [k, n];
        const one = withNativeThreads(blas, 1, () => multiply(blas, c, (seed += 3)));
        expect(one.worst).toBeLessThan(1);
        const want = ownOrder(floats(aRows * aCols, seed), floats(bRows * bCols, seed + 1), c);
        const rows = Array.from({ length: m }, (_, i) => one.c.subarray(i * (n + 1), i * (n + 1) + n));
        expect(Buffer.from(Float32Array.from(rows.flatMap((r) => [...r])).buffer).equals(Buffer.from(want.buffer)), `${m}×${n}×${k}: the order of the cut`).toBe(true);
        for (const threads of [2, 3]) {
          const split = withNativeThreads(blas, threads, () => multiply(blas, c, seed));
          expect(split.paddingKept, `${m}×${n}×${k}: C's padding`).toBe(true);
          expect(Buffer.from(split.c.buffer).equals(Buffer.from(one.c.buffer)), `${m}×${n}×${k} tA=${tA} tB=${tB} on ${threads} threads`).toBe(true);
        }
      }
    });
  });

  // A cut whose partial Cs would hold more than 2^22 floats at slices of 2,048 takes slices of 4,096 (here 65
  // partials of 256 × 256 against 32): sampled elements in the order of that cut, and not all in the order of the
  // shallower one.
  it.skipIf(!own)(`${own}: a deep product whose partials would not fit is cut into deeper slices`, () => {
    withKernel(own!, () => {
      const [m, n, k] = [256, 256, 2048 * 65 + 100];
      expect(ownSliceDepth(m, n, k)).toBe(4096);
      const [aOff, bOff, cOff] = [0, m * k, m * k + k * n];
      const heap = new Float32Array(cOff + m * n);
      let s = 12345;
      for (let i = 0; i < cOff; i++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        heap[i] = -1 + (2 * s) / 2 ** 32;
      }
      blas.sgemm(heap, false, false, m, n, k, 1, aOff, k, bOff, n, 0, cOff, n);
      const opA = (i: number, p: number): number => heap[aOff + i * k + p]!;
      const opB = (p: number, j: number): number => heap[bOff + p * n + j]!;
      let shallowDiffers = false;
      for (const [i, j] of [[0, 0], [255, 255], [17, 200], [128, 3], [99, 99], [200, 17], [1, 254], [64, 128]] as const) {
        expect(heap[cOff + i * n + j], `C[${i}, ${j}]`).toBe(ownSum(opA, opB, i, j, k, 4096));
        if (ownSum(opA, opB, i, j, k, 2048) !== heap[cOff + i * n + j]) shallowDiffers = true;
      }
      expect(shallowDiffers).toBe(true);
    });
  });

  // OpenBLAS's products run on the addon's threads, C cut into bands of rows (M ≥ N) or of columns at multiples of
  // 16, each band one single-threaded OpenBLAS call: every band's offsets into A, B and C, every transpose, padded
  // leading dimensions, alpha and beta, and bands that do not divide evenly (3 threads; 200 rows in bands of 80).
  it('openblas: products cut into bands over 2 and 3 threads, by rows and by columns, are the float64 product, and leave C\'s padding', () => {
    const cases: (Case & { alpha: number; beta: number })[] = [
      { m: 200, n: 70, k: 400, tA: false, tB: false, pad: 3, alpha: 1, beta: 0 },
      { m: 200, n: 70, k: 400, tA: true, tB: true, pad: 1, alpha: -0.5, beta: 0.25 },
      { m: 50, n: 333, k: 300, tA: false, tB: true, pad: 2, alpha: 2, beta: 1 },
      { m: 50, n: 333, k: 300, tA: true, tB: false, pad: 0, alpha: 1, beta: 0 },
    ];
    withKernel('openblas', () => {
      for (const threads of [2, 3]) {
        for (const c of cases) {
          const r = withNativeThreads(blas, threads, () => multiply(blas, c, 21, c.alpha, c.beta));
          expect(r.worst, `${JSON.stringify(c)} on ${threads} threads`).toBeLessThan(1);
          expect(r.paddingKept, `${JSON.stringify(c)} on ${threads} threads: C's padding`).toBe(true);
        }
      }
    });
  });

  // products of 1–4 rows, neither operand transposed, take the few-row path (gemm::Skinny): a partial last register
  // of columns, depth blocks past the first, padded rows, one full register exactly
  const fewRowCases: Case[] = [
    { m: 1, n: 45, k: 600, tA: false, tB: false, pad: 0 },
    { m: 2, n: 64, k: 256, tA: false, tB: false, pad: 1 },
    { m: 3, n: 70, k: 513, tA: false, tB: false, pad: 2 },
    { m: 4, n: 7, k: 300, tA: false, tB: false, pad: 3 },
    { m: 4, n: 1030, k: 40, tA: false, tB: false, pad: 0 },
    // B of 2^17 floats or more: the columns split between the threads
    { m: 3, n: 531, k: 260, tA: false, tB: false, pad: 1 },
  ];

  it.skipIf(!own)('few-row products are the own kernels\' sum bit for bit whichever kernel the plain products take (also OpenBLAS, the default on AVX2 hosts), and leave C\'s padding', () => {
    for (const kernel of kernels) {
      let seed = 70;
      for (const c of fewRowCases) {
        const got = withKernel(kernel, () => withNativeThreads(blas, 2, () => multiply(blas, c, (seed += 3))));
        expect(got.worst, `${kernel} ${JSON.stringify(c)}`).toBeLessThan(1);
        expect(got.paddingKept, `${kernel} ${JSON.stringify(c)}: C's padding`).toBe(true);
        const want = ownOrder(floats(c.m * c.k, seed), floats(c.k * c.n, seed + 1), c);
        const rows = Array.from({ length: c.m }, (_, i) => got.c.subarray(i * (c.n + c.pad), i * (c.n + c.pad) + c.n));
        expect(Buffer.from(Float32Array.from(rows.flatMap((r) => [...r])).buffer).equals(Buffer.from(want.buffer)), `${kernel} ${JSON.stringify(c)}`).toBe(true);
      }
    }
  });

  // 23×70×600, 9×33×257 and 13×45×300 take their steps panel by panel (a packed A of at most 65,536 floats,
  // gemm-common.h's kPanelFirstA), 150×40×520 depth block by depth block: the same order of sums either way.
  it.skipIf(!own)(`${own}: each element is the own kernels' sum, bit for bit (so gemm-avx512.h and gemm-avx2.h agree)`, () => {
    withKernel(own!, () => {
      let seed = 40;
      for (const c of [{ m: 23, n: 70, k: 600, tA: false, tB: false, pad: 0 }, { m: 150, n: 40, k: 520, tA: true, tB: false, pad: 1 }, { m: 9, n: 33, k: 257, tA: true, tB: false, pad: 2 }, { m: 100, n: 40, k: 100, tA: false, tB: true, pad: 0 }, { m: 13, n: 45, k: 300, tA: false, tB: true, pad: 1 }, ...fewRowCases]) {
        const [aRows, aCols] = c.tA ? [c.k, c.m] : [c.m, c.k];
        const [bRows, bCols] = c.tB ? [c.n, c.k] : [c.k, c.n];
        const got = multiply(blas, c, (seed += 3));
        const want = ownOrder(floats(aRows * aCols, seed), floats(bRows * bCols, seed + 1), c);
        const rows = Array.from({ length: c.m }, (_, i) => got.c.subarray(i * (c.n + c.pad), i * (c.n + c.pad) + c.n));
        expect(Buffer.from(Float32Array.from(rows.flatMap((r) => [...r])).buffer).equals(Buffer.from(want.buffer)), JSON.stringify(c)).toBe(true);
      }
    });
  });

  it('VIB_NATIVE_GEMM chooses the kernel at load, and a value it does not know refuses the tier, naming the choices', async () => {
    if (!ownGemm) return;
    const before = ownGemm.gemmKernel!();
    const fresh = async (value: string) => {
      vi.resetModules();
      vi.stubEnv('VIB_NATIVE_GEMM', value);
      try {
        return await (await import('./load-native-blas.js')).loadNativeBlas();
      } finally {
        vi.unstubAllEnvs();
      }
    };
    try {
      const bad = await fresh('blis');
      expect(bad.ok).toBe(false);
      expect(bad.ok ? '' : bad.reason).toMatch(/VIB_NATIVE_GEMM is "blis": set it to avx512 or avx2 .* or openblas, or unset it/);
      const chosen = await fresh('openblas');
      expect(chosen.ok && chosen.blas.gemmKernel!()).toBe('openblas');
    } finally {
      ownGemm.setGemmKernel!(before);
    }
  });
});
