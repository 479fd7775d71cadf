import { get, i32c, set } from './simd-math.js';
import { OP, T, shuffleF32, simd, uleb, type WasmFunction } from './wasm-emit.js';

// The pure tier's float32 GEMM as wasm SIMD (f32x4): C = A·B with B packed into panels of 8 columns (K×8 floats
// each, k-major). A register block of MR rows × 8 columns keeps 2·MR f32x4 accumulators; each k step loads the
// panel's two vectors, splats one A element per row and adds the products. The main blocks of 4 rows read A packed
// (4 rows interleaved, k-major: one pointer and immediate offsets, no address arithmetic per row); the last 1–3 rows
// read A in place. Every C element is Σₖ a·b summed in k order from +0, and both forms give the same bits: each
// product and sum rounded on its own, or, where the module is emitted with `fma` (relaxed SIMD's f32x4.relaxed_madd,
// see wasm-fma.ts), each product added to the sum with one rounding.

type Code = number[];
/** v128.load with a constant byte offset. */
export const loadAt = (offset: number): Code => simd(0x00, 2, ...uleb(offset));
/** v128.store with a constant byte offset. */
export const storeAt = (offset: number): Code => simd(0x0b, 2, ...uleb(offset));
const splatLoad: Code = simd(0x09, 2, 0); // v128.load32_splat
/** v128.const 0. */
export const zero: Code = simd(0x0c, ...Array<number>(16).fill(0));
/** f32x4.add and f32x4.mul. */
export const [vadd, vmul] = [simd(0xe4), simd(0xe6)];
/** Relaxed SIMD's f32x4.relaxed_madd (x·y + z, fused where the CPU has FMA: V8 on x64 with FMA3, on arm64). */
const relaxedMadd: Code = simd(0x105);
/**
 * acc ← acc + x·y on locals: f32x4 multiply then add (two roundings), or with `fma` one relaxed_madd (one rounding
 * where the CPU fuses it). Every product kernel of the module emits its terms through this, so they agree bit for bit.
 * @param fma - emit relaxed_madd
 * @param acc - the accumulator (read and written)
 * @param x - one factor (a local)
 * @param y - the other factor, as code that leaves it on the stack
 * @returns the code
 */
export const multiplyAdd = (fma: boolean, acc: number, x: number, y: Code): Code =>
  fma ? [...get(x), ...y, ...get(acc), ...relaxedMadd, ...set(acc)] : [...get(acc), ...get(x), ...y, ...vmul, ...vadd, ...set(acc)];
/** v128.const with every bit set. */
export const ones: Code = simd(0x0c, ...Array<number>(16).fill(0xff));
/** fin = fin & (x − x == 0): every lane stays all ones while x is finite (an infinity or a NaN gives NaN − …). */
export const trackFinite = (fin: number, x: number): Code => [...get(fin), ...get(x), ...get(x), ...simd(0xe5), ...zero, ...simd(0x41), ...simd(0x4e), ...set(fin)];
/** After the loops: where a lane of fin is not all ones, store i32 1 at `flag` (never 0: other calls share it). */
export const flagUnlessFinite = (fin: number, flag: number): Code => [...get(fin), ...simd(0xa3), OP.i32Eqz, OP.if, OP.void, ...get(flag), ...i32c(1), OP.i32Store, 2, 0, OP.end];
const add = (x: number, y: number, into = x): Code => [...get(x), ...get(y), OP.i32Add, ...set(into)];
/**
 * `for (counter = from; counter < limit; counter += step) body`, counter and limit locals: the exit test once before
 * the loop and then at its end, so a turn takes one branch (taken) rather than a test at the top and a jump back.
 * Measured side by side on the same module otherwise: the packed GEMM and the sparse GEMM 6 % faster, the listing of
 * nonzeros 7 %, the same bits.
 */
export const loop = (counter: number, limit: number, step: Code, body: Code): Code => [
  OP.block, OP.void,
  ...get(counter), ...get(limit), OP.i32GeU, OP.brIf, 0,
  OP.loop, OP.void,
  ...body,
  ...get(counter), ...step, OP.i32Add, OP.localTee, ...uleb(counter), ...get(limit), OP.i32LtU, OP.brIf, 0,
  OP.end, OP.end,
];

/**
 * `loop` over [from, limit) in steps of `width` while a whole group of `width` is left, then one at a time: the
 * bodies are `turn(width)` and `turn(1)`. Sets `counter` to `from` first; `end` is a local for the whole groups' end.
 * Given several widths (largest first), groups of each in turn before the single steps.
 * @param counter - the loop's counter (a local)
 * @param from - where it starts (a local)
 * @param limit - where it ends (a local)
 * @param end - a local for the end of the whole groups
 * @param width - the group's size (1: one loop), or the sizes in turn
 * @param turn - the body for a group of the given size
 * @returns the code
 */
export const loopInGroups = (counter: number, from: number, limit: number, end: number, width: number | readonly number[], turn: (w: number) => Code): Code => [
  ...get(from), ...set(counter),
  ...(typeof width === 'number' ? [width] : width).filter((w) => w > 1).flatMap((w, i) => [
    // the first group's end from `from` (where the counter starts), the others' from where the one before stopped
    ...get(limit), ...get(limit), ...get(i === 0 ? from : counter), OP.i32Sub, ...i32c(w), OP.i32RemU, OP.i32Sub, ...set(end),
    ...loop(counter, end, i32c(w), turn(w)),
  ]),
  ...loop(counter, limit, i32c(1), turn(1)),
];

/**
 * The byte offsets of a turn's panels from its first, for a kernel that reads `count` panels a turn: panel 1 is
 * `panelBytes` itself, and panels 2 and on get a local each (from `firstLocal` on), set once per call by `init`.
 * (Written as panelBytes·p in each turn, V8 computed it again for each of the panel's loads: one instruction a term;
 * the sparse kernel was 0.5–1 % faster at k = 1024 once it was gone, side by side, the same bits.)
 * @param panelBytes - the local holding a panel's size in bytes
 * @param firstLocal - the first of the offsets' locals
 * @param count - panels a turn
 * @returns how many locals it uses, their set-up, and the code that adds panel p's offset to an address on the stack
 */
export function panelOffsets(panelBytes: number, firstLocal: number, count: number): { readonly locals: number; readonly init: Code; at(p: number): Code } {
  const locals = Math.max(0, count - 2);
  const local = (p: number): number => firstLocal + p - 2;
  return {
    locals,
    init: Array.from({ length: locals }, (_, j) => [...get(panelBytes), ...i32c(j + 2), OP.i32Mul, ...set(local(j + 2))]).flat(),
    at: (p) => (p === 0 ? [] : [...get(p === 1 ? panelBytes : local(p)), OP.i32Add]),
  };
}

/** Row blocks that read A in place: the 1–3 rows after the packed blocks of 4 (see {@link gemmPackedFunction}). */
export const GEMM_ROWS = [1, 2, 3] as const;

/**
 * Panels a row block of MR rows takes in one turn, for MR = 1, 2, 3: as many as keep at least 6 accumulators (a chain
 * of relaxed_madd waits ~4 cycles for the one before it, so fewer accumulators leave the FMA units idle) with every
 * vector in a register (V8 loads a turn's panel vectors before its first product, so they all count: 1 row × 3
 * panels holds 6 accumulators, 6 panel vectors and a splat; 2 × 2 holds 8, 4 and 2).
 */
export const GEMM_ROW_PANELS = [3, 2, 1] as const;

/**
 * `gemmMR(a, lda, bp, c, ldc, kBytes, blocks, p0, p1)`: for row blocks [0, blocks) of MR rows from `a` and panels
 * [p0, p1) of `bp`, C[rows][8p … 8p+7] = A[rows]·panel p. Pointers and strides in bytes; a panel is kBytes·8 bytes.
 * Panels go {@link GEMM_ROW_PANELS}[MR − 1] at a time, the last ones one at a time; each C element is the same sum
 * either way. (Blocking k so that a chunk of the panel stays in L1 measured no faster: the panel streams from L2.)
 * @param mr - rows per block, 1–3
 * @param fma - terms as relaxed_madd (see {@link multiplyAdd})
 * @returns the function
 */
function gemmFunction(mr: number, fma: boolean): WasmFunction {
  const [a, lda, bp, c, ldc, kBytes, blocks, p0, p1] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [p, ib, k, bPtr, cPtr, panelBytes, pEnd] = [9, 10, 11, 12, 13, 14, 15];
  const rows = Array.from({ length: mr }, (_, r) => 16 + r);
  const wide = GEMM_ROW_PANELS[mr - 1] as number;
  const offs = panelOffsets(panelBytes, 16 + mr, wide);
  const firstVec = 16 + mr + offs.locals;
  const acc = Array.from({ length: 2 * mr * wide }, (_, i) => firstVec + i);
  const bv = Array.from({ length: 2 * wide }, (_, i) => firstVec + 2 * mr * wide + i);
  const av = firstVec + 2 * mr * wide + 2 * wide;
  const blockStride = [...get(lda), ...i32c(mr), OP.i32Mul];
  /** Every row block times panels [p, p + width): width·2·mr accumulators. */
  const turn = (width: number): Code => [
    ...i32c(0), ...set(ib),
    ...get(a), ...set(rows[0] as number),
    ...get(c), ...get(p), ...i32c(5), OP.i32Shl, OP.i32Add, ...set(cPtr),
    ...loop(ib, blocks, i32c(1), [
      ...rows.slice(1).flatMap((r, i) => add(rows[i] as number, lda, r)),
      ...acc.slice(0, 2 * mr * width).flatMap((x) => [...zero, ...set(x)]),
      ...get(bp), ...get(p), ...get(panelBytes), OP.i32Mul, OP.i32Add, ...set(bPtr),
      ...i32c(0), ...set(k),
      ...loop(k, kBytes, i32c(4), [
        ...bv.slice(0, 2 * width).flatMap((b, v) => [...get(bPtr), ...offs.at(v >> 1), ...loadAt(16 * (v & 1)), ...set(b)]),
        ...rows.flatMap((r, i) => [
          ...get(r), ...get(k), OP.i32Add, ...splatLoad, ...set(av),
          ...bv.slice(0, 2 * width).flatMap((b, v) => multiplyAdd(fma, acc[2 * width * i + v] as number, av, get(b))),
        ]),
        ...get(bPtr), ...i32c(32), OP.i32Add, ...set(bPtr),
      ]),
      ...rows.flatMap((_, i) => [
        ...Array.from({ length: 2 * width }, (_, v) => [...get(cPtr), ...get(acc[2 * width * i + v] as number), ...storeAt(16 * v)]).flat(),
        ...add(cPtr, ldc),
      ]),
      // next block: the first row pointer moves MR rows down
      ...get(rows[0] as number), ...blockStride, OP.i32Add, ...set(rows[0] as number),
    ]),
  ];
  const body: Code = [
    ...get(kBytes), ...i32c(3), OP.i32Shl, ...set(panelBytes),
    ...offs.init,
    // the whole groups of `wide` panels, then the last ones alone
    ...loopInGroups(p, p0, p1, pEnd, wide, turn),
  ];
  return {
    name: `gemm${mr}`,
    params: Array<number>(9).fill(T.i32),
    locals: [...Array<number>(7 + mr + offs.locals).fill(T.i32), ...Array<number>(2 * mr * wide + 2 * wide + 1).fill(T.v128)],
    body,
  };
}

/**
 * `gemm4p(ap, bp, c, ldc, kBytes, blocks, p0, p1)`: for blocks [0, blocks) of 4 rows of A packed k-major (block i at
 * ap + 4·i·kBytes: its rows' k-th elements at 16·k … 16·k + 12) and panels [p0, p1) of `bp`, C[rows][8p … 8p+7] =
 * A[rows]·panel p. Pointers and strides in bytes. The same sums in the same order as 4 rows of A in place would take;
 * measured 6–12 % faster than that (4 fewer address additions per k step), and 6 rows or 2 k steps per turn slower.
 * @param fma - terms as relaxed_madd (see {@link multiplyAdd})
 * @returns the function
 */
function gemmPackedFunction(fma: boolean): WasmFunction {
  const [ap, bp, c, ldc, kBytes, blocks, p0, p1] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [p, ib, k, aPtr, bPtr, cPtr, panelBytes, aBlock] = [8, 9, 10, 11, 12, 13, 14, 15];
  const acc = Array.from({ length: 8 }, (_, i) => 16 + i);
  const [b0, b1, av] = [24, 25, 26];
  const body: Code = [
    ...get(kBytes), ...i32c(3), OP.i32Shl, ...set(panelBytes),
    ...get(p0), ...set(p),
    ...loop(p, p1, i32c(1), [
      ...i32c(0), ...set(ib),
      ...get(ap), ...set(aBlock),
      ...get(c), ...get(p), ...i32c(5), OP.i32Shl, OP.i32Add, ...set(cPtr),
      ...loop(ib, blocks, i32c(1), [
        ...acc.flatMap((x) => [...zero, ...set(x)]),
        ...get(bp), ...get(p), ...get(panelBytes), OP.i32Mul, OP.i32Add, ...set(bPtr),
        ...get(aBlock), ...set(aPtr),
        ...i32c(0), ...set(k),
        ...loop(k, kBytes, i32c(4), [
          ...get(bPtr), ...loadAt(0), ...set(b0),
          ...get(bPtr), ...loadAt(16), ...set(b1),
          ...[0, 1, 2, 3].flatMap((r) => [
            ...get(aPtr), ...simd(0x09, 2, ...uleb(4 * r)), ...set(av),
            ...multiplyAdd(fma, acc[2 * r] as number, av, get(b0)),
            ...multiplyAdd(fma, acc[2 * r + 1] as number, av, get(b1)),
          ]),
          ...get(bPtr), ...i32c(32), OP.i32Add, ...set(bPtr),
          ...get(aPtr), ...i32c(16), OP.i32Add, ...set(aPtr),
        ]),
        ...[0, 1, 2, 3].flatMap((r) => [
          ...get(cPtr), ...get(acc[2 * r] as number), ...storeAt(0),
          ...get(cPtr), ...get(acc[2 * r + 1] as number), ...storeAt(16),
          ...add(cPtr, ldc),
        ]),
        // the next block: 4 rows of kBytes further on
        ...get(aBlock), ...get(kBytes), ...i32c(2), OP.i32Shl, OP.i32Add, ...set(aBlock),
      ]),
    ]),
  ];
  return { name: 'gemm4p', params: Array<number>(8).fill(T.i32), locals: [...Array<number>(8).fill(T.i32), ...Array<number>(11).fill(T.v128)], body };
}

/** Panels `packB` copies a turn: 128 bytes of each row of B, two whole cache lines. */
const PACK_B_PANELS = 4;

/**
 * `packB(b, ldb, dst, kCount, p0, p1, flag)`: panels [p0, p1) of a row-major K×N matrix (row stride ldb bytes) into
 * dst, panel p at dst + p·kCount·32 bytes: dst[p][k][0…7] = B[k][8p … 8p+7]. Whole panels only. Where one of them
 * is infinite or NaN, i32 1 is stored at byte `flag` (the sparse GEMM's condition, see simd-sparse.ts).
 * {@link PACK_B_PANELS} panels a turn (then 2, then one), each row's 128 bytes copied into all of them before the
 * next row. One panel at a time read each cache line of B twice, the second time K rows later; where a row is 4 KiB
 * (N = 1024), every row's line falls in the same set of the L1 and of the L2, so the second read came from memory:
 * 1024 × 1024 took 0.57 ms in the dense GEMM's groups of 4 panels, 0.17 with the rows padded to another stride. A
 * turn of 4 took it in 0.23 ms (groups of 3, the sparse GEMM's: 0.57 → 0.40; 784 × 1024 0.22 → 0.13; the same
 * bytes; 2-core Zen 5, side by side in one process).
 */
function packFunction(): WasmFunction {
  const [b, ldb, dst, kCount, p0, p1, flag] = [0, 1, 2, 3, 4, 5, 6];
  const [p, k, src, d, end, at] = [7, 8, 9, 10, 11, 12];
  // the byte offsets of the turn's panels 1, 2 and 3 from its first (a panel is kCount·32 bytes)
  const offsets = [13, 14, 15];
  const [v, fin] = [16, 17];
  const turn = (w: number): Code => [
    ...get(b), ...get(p), ...i32c(5), OP.i32Shl, OP.i32Add, ...set(src),
    ...get(dst), ...get(p), ...get(kCount), OP.i32Mul, ...i32c(5), OP.i32Shl, OP.i32Add, ...set(d),
    ...i32c(0), ...set(k),
    ...loop(k, kCount, i32c(1), [
      ...Array.from({ length: w }, (_, j) => [
        ...(j > 0 ? [...get(d), ...get(offsets[j - 1] as number), OP.i32Add] : get(d)), OP.localTee, ...uleb(at),
        ...get(src), ...loadAt(32 * j), OP.localTee, ...uleb(v), ...storeAt(0), ...trackFinite(fin, v),
        ...get(at), ...get(src), ...loadAt(32 * j + 16), OP.localTee, ...uleb(v), ...storeAt(16), ...trackFinite(fin, v),
      ]).flat(),
      ...add(src, ldb),
      ...get(d), ...i32c(32), OP.i32Add, ...set(d),
    ]),
  ];
  return {
    name: 'packB',
    params: Array<number>(7).fill(T.i32),
    locals: [...Array<number>(9).fill(T.i32), T.v128, T.v128],
    body: [
      ...ones, ...set(fin),
      ...offsets.flatMap((o, j) => [...get(kCount), ...i32c(5), OP.i32Shl, ...i32c(j + 1), OP.i32Mul, ...set(o)]),
      // whole turns of 4 panels, then of 2 (the sparse GEMM packs groups of 3), then one
      ...loopInGroups(p, p0, p1, end, [PACK_B_PANELS, 2], turn),
      ...flagUnlessFinite(fin, flag),
    ],
  };
}

/** k-rows of Aᵀ that `packRowsT` takes at a time (16: 50 KiB of a 784-wide Aᵀ, within L1 while every block reads them). */
const PACK_ROWS_T_CHUNK = 16;

/**
 * `packRowsT(a, lda, dst, kCount, blocks, rest, tail)`: A given as its transpose, Aᵀ stored row-major k×m (row stride
 * lda bytes), into the layouts `gemm4p` and `gemmMR` read: blocks [0, blocks) of 4 rows packed k-major at dst (block
 * i at dst + 16·i·kCount: dst[i][kk][r] = Aᵀ[kk][4i + r], 16 contiguous bytes of each row of Aᵀ) and the `rest` rows
 * after them (0–3) row-major at `tail` (kCount floats each). Aᵀ is read once, {@link PACK_ROWS_T_CHUNK} rows at a time
 * by every block in turn (where transposing it whole and then packing its blocks read and wrote it twice: a narrow
 * convolution's filter gradient, 78,400 × 25, spent 1.9 ms of a 4.3 ms product in those two transposes).
 */
function packRowsTransposedFunction(): WasmFunction {
  const [a, lda, dst, kCount, blocks, rest, tail] = [0, 1, 2, 3, 4, 5, 6];
  const [k0, kEnd, i, k, src, d, blockBytes, rowBytes] = [7, 8, 9, 10, 11, 12, 13, 14];
  /** `copy` for k in [k0, kEnd), from src to d, both taken off the stack (the source pushed first): src += lda, d += step. */
  const rows = (copy: Code, step: number): Code => [
    ...set(d), ...set(src),
    ...get(k0), ...set(k),
    ...loop(k, kEnd, i32c(1), [...copy, ...add(src, lda), ...get(d), ...i32c(step), OP.i32Add, ...set(d)]),
  ];
  return {
    name: 'packRowsT',
    params: Array<number>(7).fill(T.i32),
    locals: Array<number>(8).fill(T.i32),
    body: [
      ...get(kCount), ...i32c(4), OP.i32Shl, ...set(blockBytes),
      ...get(kCount), ...i32c(2), OP.i32Shl, ...set(rowBytes),
      ...i32c(0), ...set(k0),
      ...loop(k0, kCount, i32c(PACK_ROWS_T_CHUNK), [
        // kEnd = min(k0 + chunk, kCount)
        ...get(k0), ...i32c(PACK_ROWS_T_CHUNK), OP.i32Add, ...get(kCount),
        ...get(k0), ...i32c(PACK_ROWS_T_CHUNK), OP.i32Add, ...get(kCount), OP.i32LtU, OP.select, ...set(kEnd),
        ...i32c(0), ...set(i),
        ...loop(i, blocks, i32c(1), [
          // block i's 16 bytes of each row: from a + k0·lda + 16·i, to dst + i·blockBytes + 16·k0
          ...get(a), ...get(k0), ...get(lda), OP.i32Mul, OP.i32Add, ...get(i), ...i32c(4), OP.i32Shl, OP.i32Add,
          ...get(dst), ...get(i), ...get(blockBytes), OP.i32Mul, OP.i32Add, ...get(k0), ...i32c(4), OP.i32Shl, OP.i32Add,
          ...rows([...get(d), ...get(src), ...loadAt(0), ...storeAt(0)], 16),
        ]),
        ...i32c(0), ...set(i),
        ...loop(i, rest, i32c(1), [
          // row 4·blocks + i: from a + k0·lda + 16·blocks + 4·i, to tail + i·rowBytes + 4·k0
          ...get(a), ...get(k0), ...get(lda), OP.i32Mul, OP.i32Add, ...get(blocks), ...i32c(4), OP.i32Shl, OP.i32Add, ...get(i), ...i32c(2), OP.i32Shl, OP.i32Add,
          ...get(tail), ...get(i), ...get(rowBytes), OP.i32Mul, OP.i32Add, ...get(k0), ...i32c(2), OP.i32Shl, OP.i32Add,
          ...rows([...get(d), ...get(src), OP.f32Load, 2, 0, OP.f32Store, 2, 0], 4),
        ]),
      ]),
    ],
  };
}

/**
 * Eight rows of 4 floats in locals r[0…7] (rows j of a panel's 8 columns, 4 consecutive k each) stored as the panel's
 * 4 k-rows of 8 floats at byte pointer `d`: two 4×4 transposes (t[0…7] their scratch; r is overwritten).
 * @returns the code
 */
export function transposeEight(r: readonly number[], t: readonly number[], d: number): Code {
  /** Transpose rows r[o…o+3] (4 floats each) into r[o…o+3]: r[o+c] = column c of those rows. */
  const transpose = (o: number): Code => {
    const [x0, x1, x2, x3] = [r[o], r[o + 1], r[o + 2], r[o + 3]] as [number, number, number, number];
    const [u0, u1, u2, u3] = [t[o], t[o + 1], t[o + 2], t[o + 3]] as [number, number, number, number];
    return [
      ...get(x0), ...get(x1), ...shuffleF32([0, 4, 1, 5]), ...set(u0),
      ...get(x0), ...get(x1), ...shuffleF32([2, 6, 3, 7]), ...set(u1),
      ...get(x2), ...get(x3), ...shuffleF32([0, 4, 1, 5]), ...set(u2),
      ...get(x2), ...get(x3), ...shuffleF32([2, 6, 3, 7]), ...set(u3),
      ...get(u0), ...get(u2), ...shuffleF32([0, 1, 4, 5]), ...set(x0),
      ...get(u0), ...get(u2), ...shuffleF32([2, 3, 6, 7]), ...set(x1),
      ...get(u1), ...get(u3), ...shuffleF32([0, 1, 4, 5]), ...set(x2),
      ...get(u1), ...get(u3), ...shuffleF32([2, 3, 6, 7]), ...set(x3),
    ];
  };
  return [
    ...transpose(0),
    ...transpose(4),
    // after the transposes r[c] holds rows 0…3's float c and r[4+c] rows 4…7's
    ...[0, 1, 2, 3].flatMap((col) => [
      ...get(d), ...get(r[col] as number), ...storeAt(32 * col),
      ...get(d), ...get(r[4 + col] as number), ...storeAt(32 * col + 16),
    ]),
  ];
}

/**
 * `packBT(b, ldb, dst, kCount, k4, p0, p1, flag)`: the same panels from B stored transposed (N×K, row stride ldb
 * bytes): dst[p][k][j] = B[8p+j][k] for k < k4 (a multiple of 4), in 4×4 transposes; the caller fills k ≥ k4.
 * `flag` as in packB.
 */
function packTransposedFunction(): WasmFunction {
  const [b, ldb, dst, kCount, k4, p0, p1, flag] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [p, k, row0, d] = [8, 9, 10, 11];
  const r = Array.from({ length: 8 }, (_, i) => 12 + i);
  const t = Array.from({ length: 8 }, (_, i) => 20 + i);
  const fin = 28;
  const rowAddr = (i: number): Code => [...get(row0), ...(i ? [...get(ldb), ...i32c(i), OP.i32Mul, OP.i32Add] : []), ...get(k), ...i32c(2), OP.i32Shl, OP.i32Add];
  return {
    name: 'packBT',
    params: Array<number>(8).fill(T.i32),
    locals: [...Array<number>(4).fill(T.i32), ...Array<number>(17).fill(T.v128)],
    body: [
      ...ones, ...set(fin),
      ...get(p0), ...set(p),
      ...loop(p, p1, i32c(1), [
        ...get(b), ...get(p), ...get(ldb), OP.i32Mul, ...i32c(3), OP.i32Shl, OP.i32Add, ...set(row0),
        ...get(dst), ...get(p), ...get(kCount), OP.i32Mul, ...i32c(5), OP.i32Shl, OP.i32Add, ...set(d),
        ...i32c(0), ...set(k),
        ...loop(k, k4, i32c(4), [
          ...r.flatMap((x, i) => [...rowAddr(i), ...loadAt(0), ...set(x), ...trackFinite(fin, x)]),
          ...transposeEight(r, t, d),
          ...get(d), ...i32c(128), OP.i32Add, ...set(d),
        ]),
      ]),
      ...flagUnlessFinite(fin, flag),
    ],
  };
}

/**
 * `biasAdd(c, bias, rows, colBytes, ld)` and `biasRelu(…)`, the epilogue of a fused matmul in place on its output:
 * C[r][j] = C[r][j] + bias[j] for `rows` rows of colBytes/4 floats (a multiple of 4; row stride ld bytes), then for
 * `biasRelu` max(x, 0) as f32x4.max computes it, as tfjs-wasm's Relu does (NaN stays NaN; −0 becomes 0, where the cpu
 * backend's Relu keeps −0). With `from`, `biasAddFrom(c, bias, rows, colBytes, ld, src)`: C[r][j] = S[r][j] + bias[j]
 * with S at `src` (the same row stride), one pass for an `Add` of a bias to a tensor (see bias-add.ts).
 * @param relu - apply the ReLU
 * @param from - read the rows from a source of their own (no ReLU)
 * @returns the function
 */
function biasFunction(relu: boolean, from = false): WasmFunction {
  const [c, bias, rows, colBytes, ld, src] = [0, 1, 2, 3, 4, 5];
  const params = from ? 6 : 5;
  const [r, j, row, srow] = [params, params + 1, params + 2, params + 3];
  const vmax = simd(0xe9); // f32x4.max: NaN if either is NaN, and max(−0, 0) = 0
  const read = from ? srow : row;
  return {
    name: from ? 'biasAddFrom' : relu ? 'biasRelu' : 'biasAdd',
    params: Array<number>(params).fill(T.i32),
    locals: Array<number>(from ? 4 : 3).fill(T.i32),
    body: [
      ...i32c(0), ...set(r),
      ...get(c), ...set(row),
      ...(from ? [...get(src), ...set(srow)] : []),
      ...loop(r, rows, i32c(1), [
        ...i32c(0), ...set(j),
        ...loop(j, colBytes, i32c(16), [
          ...get(row), ...get(j), OP.i32Add,
          ...get(read), ...get(j), OP.i32Add, ...loadAt(0),
          ...get(bias), ...get(j), OP.i32Add, ...loadAt(0),
          ...vadd,
          ...(relu ? [...zero, ...vmax] : []),
          ...storeAt(0),
        ]),
        ...add(row, ld),
        ...(from ? add(srow, ld) : []),
      ]),
    ],
  };
}

/** Names of the GEMM's functions in the SIMD module. */
export const SIMD_GEMM_NAMES = ['gemm1', 'gemm2', 'gemm3', 'gemm4p', 'packB', 'packBT', 'packRowsT', 'biasAdd', 'biasRelu', 'biasAddFrom'] as const;

/**
 * The GEMM's functions for the SIMD module: `gemm1`…`gemm3` (row blocks of 1–3), `gemm4p` (packed blocks of 4),
 * `packB`, `packBT`, `packRowsT` (A's rows packed from its transpose), the epilogues `biasAdd` and `biasRelu`, and
 * `biasAddFrom` (a bias added to rows read elsewhere).
 * @param fma - the products' terms as relaxed_madd (see {@link multiplyAdd}); the module then needs relaxed SIMD
 * @returns the functions, in {@link SIMD_GEMM_NAMES} order
 */
export function simdGemmFunctions(fma = false): WasmFunction[] {
  return [...GEMM_ROWS.map((mr) => gemmFunction(mr, fma)), gemmPackedFunction(fma), packFunction(), packTransposedFunction(), packRowsTransposedFunction(), biasFunction(false), biasFunction(true), biasFunction(false, true)];
}
