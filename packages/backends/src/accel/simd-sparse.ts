import { get, i32c, set } from './simd-math.js';
import { loadAt, loop, loopInGroups, multiplyAdd, panelOffsets, storeAt, zero } from './simd-gemm.js';
import { OP, T, shuffleF32, simd, uleb, type WasmFunction } from './wasm-emit.js';

// The pure tier's GEMM for a left operand with many zeros (ReLU activations, image pixels) times B packed into
// panels of 8 columns (k-major, as simd-gemm.ts packs them): each row of A is first listed as its nonzero
// elements, (k·32, value) pairs, and each C row is then Σ value·panel row over that list, in k order. The terms it
// skips are products a·b with a = ±0: where B is finite each is ±0, and adding ±0 to a sum that started at +0 leaves
// it as it was (round to nearest: x + ±0 = x for x ≠ 0, and +0 + −0 = +0), so C has the dense GEMM's bits. (With
// relaxed_madd a sum at +0 that meets a negative product below 2⁻¹⁵⁰ rounds to −0, which a skipped +0 term would have
// turned back to +0: the first-use check against the dense GEMM is there for such cases.) Where B
// holds an infinity or a NaN, 0·b is NaN and the dense GEMM must run: the pack functions flag one (see
// sparse-product.ts).

type Code = number[];
const splatAt = (offset: number): Code => simd(0x09, 2, ...uleb(offset)); // v128.load32_splat
const i32Load = (offset: number): Code => [OP.i32Load, 2, ...uleb(offset)];
const i32Store = (offset: number): Code => [OP.i32Store, 2, ...uleb(offset)];
const f32Load = (offset: number): Code => [OP.f32Load, 2, ...uleb(offset)];
const f32Store = (offset: number): Code => [OP.f32Store, 2, ...uleb(offset)];
/** v128.store64_lane: the 8 bytes of 64-bit lane `lane` at the address + offset. */
const store64Lane = (offset: number, lane: number): Code => [...simd(0x5b, 3, ...uleb(offset)), lane];
const [f32Ne, i32Shl] = [OP.f32Ne, OP.i32Shl];

/**
 * `rowNonzeros(a, kBytes, rows, list, counts, bounds, chunks)`: for each of `rows` rows of A (contiguous, kBytes per
 * row), the pairs (k·32 as i32, A[i][k] as f32) of its elements other than ±0 (a NaN is listed), in k order, at
 * list + i·2·kBytes (each row has room for all its elements, so that rows can be listed by either thread in any
 * order); counts[i] (i32) is the byte length of row i's pairs, and bounds[i·chunks + c] (i32) the byte length of those
 * in the depth's first c + 1 chunks, for the sparse kernels, which take the depth a chunk at a time: `chunks` chunks of
 * chunkBytes = 16·⌈kBytes / (16·chunks)⌉ bytes of a row (whole turns of 4 elements), the last to the row's end.
 * Branch-free, 4 elements a turn: their pairs are interleaved into two vectors
 * of two pairs, each moved to the front where only its second pair is kept, and both stored whole at the write
 * position, which moves on past the pairs kept (a store past them is overwritten by the next, or lies past the row's
 * count, within the row's room). The last k mod 4 elements one at a time.
 */
function rowNonzerosFunction(): WasmFunction {
  const [a, kBytes, rows, list, counts, bounds, chunks] = [0, 1, 2, 3, 4, 5, 6];
  const [i, k, n, row, at, out, k16, mask, half, ch, cEnd, bnd, chunkBytes] = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
  const v = 20;
  const [kv, x, pairs] = [21, 22, 23];
  /**
   * Store the two pairs in `pairs` at out + n, kept as the 2 bits in `half` say, and move n past those kept: both
   * pairs stored whole, then the second alone right after the first where the first is kept, else over it. (Not a
   * `select` of the second moved to the front: V8 compiles a v128 select to a branch, and on the VIB inference's ReLU
   * outputs its mispredictions made the listing 2–2.5× slower: its two lists took 0.19 ms on one thread, now 0.08.)
   */
  const keep: Code = [
    ...get(out), ...get(n), OP.i32Add, ...set(at),
    ...get(at), ...get(pairs), ...storeAt(0),
    ...get(at), ...get(half), ...i32c(1), OP.i32And, ...i32c(3), i32Shl, OP.i32Add, ...get(pairs), ...store64Lane(0, 1),
    ...get(n), ...get(half), OP.i32Popcnt, ...i32c(3), i32Shl, OP.i32Add, ...set(n),
  ];
  return {
    name: 'rowNonzeros',
    params: Array<number>(7).fill(T.i32),
    locals: [...Array<number>(13).fill(T.i32), T.f32, T.v128, T.v128, T.v128],
    body: [
      // 16·⌈kBytes / (16·chunks)⌉
      ...get(kBytes), ...get(chunks), ...i32c(4), i32Shl, OP.i32Add, ...i32c(1), OP.i32Sub, ...get(chunks), ...i32c(4), i32Shl, OP.i32DivU, ...i32c(4), i32Shl, ...set(chunkBytes),
      ...get(a), ...set(row),
      ...get(list), ...set(out),
      ...get(bounds), ...set(bnd),
      ...get(kBytes), ...i32c(-16), OP.i32And, ...set(k16),
      ...i32c(0), ...set(i),
      ...loop(i, rows, i32c(1), [
        ...i32c(0), ...set(n),
        // k·32 of the 4 elements of a turn
        ...simd(0x0c, ...[0, 32, 64, 96].flatMap((q) => [q, 0, 0, 0])), ...set(kv),
        ...i32c(0), ...set(k),
        ...i32c(0), ...set(ch),
        ...loop(ch, chunks, i32c(1), [
          // the chunk's end: the whole turns' end for the last chunk, else min(k + chunkBytes, k16)
          ...get(k16),
          ...get(k), ...get(chunkBytes), OP.i32Add, ...get(k16), ...get(k), ...get(chunkBytes), OP.i32Add, ...get(k16), OP.i32LtU, OP.select,
          ...get(ch), ...i32c(1), OP.i32Add, ...get(chunks), OP.i32Eq, OP.select, ...set(cEnd),
          ...loop(k, cEnd, i32c(16), [
            ...get(row), ...get(k), OP.i32Add, ...loadAt(0), ...set(x),
            ...get(x), ...zero, ...simd(0x42), ...simd(0xa4), ...set(mask), // f32x4.ne 0, i32x4.bitmask
            ...get(kv), ...get(x), ...shuffleF32([0, 4, 1, 5]), ...set(pairs),
            ...get(mask), ...i32c(3), OP.i32And, ...set(half),
            ...keep,
            ...get(kv), ...get(x), ...shuffleF32([2, 6, 3, 7]), ...set(pairs),
            ...get(mask), ...i32c(2), OP.i32ShrU, ...set(half),
            ...keep,
            ...get(kv), ...i32c(128), ...simd(0x11), ...simd(0xae), ...set(kv), // i32x4.splat, i32x4.add
          ]),
          ...get(bnd), ...get(n), ...i32Store(0),
          ...get(bnd), ...i32c(4), OP.i32Add, ...set(bnd),
        ]),
        ...loop(k, kBytes, i32c(4), [
          ...get(row), ...get(k), OP.i32Add, ...f32Load(0), ...set(v),
          ...get(out), ...get(n), OP.i32Add, ...set(at),
          ...get(at), ...get(k), ...i32c(3), i32Shl, ...i32Store(0),
          ...get(at), ...get(v), ...f32Store(4),
          ...get(n), ...get(v), OP.f32Const, 0, 0, 0, 0, f32Ne, ...i32c(3), i32Shl, OP.i32Add, ...set(n),
        ]),
        // the last k mod 4 elements are in the last chunk
        ...get(bnd), ...i32c(4), OP.i32Sub, ...get(n), ...i32Store(0),
        ...get(counts), ...get(i), ...i32c(2), i32Shl, OP.i32Add, ...get(n), ...i32Store(0),
        ...get(row), ...get(kBytes), OP.i32Add, ...set(row),
        ...get(out), ...get(kBytes), ...i32c(1), i32Shl, OP.i32Add, ...set(out),
      ]),
    ],
  };
}

/** Panels per group of the sparse GEMM's main kernel (6 accumulators; 4 and 8 measured slower in V8). */
export const SPARSE_GROUP = 3;

/**
 * `sparse{G}(list, bounds, bp, c, ldc, panelBytes, rows, g0, g1, chunks)`: for groups g in [g0, g1) of G panels (8G
 * columns from panel G·g, panels panelBytes apart at `bp`) and every row i, C[i][8Gg …] = Σ value·panel rows over row
 * i's pairs of {@link rowNonzerosFunction} (at list + i·2·kBytes, kBytes = panelBytes/8; its chunks' ends at
 * bounds + 4·i·chunks). Pointers and strides in bytes. A group's rows are taken a chunk of the depth at a time, each
 * row's sums stored in C after a chunk and loaded again for the next (so each still runs in k order: the same bits),
 * so that the chunk's part of the group's panels (24 KiB for 3 panels and 256 k-rows) is read from L1 by every row:
 * the whole depth of a group (96 KiB at k = 1024) is more than L1 holds, and each row read it again from L2.
 * `sparse1` (G = 1: the panels left after the groups) takes its panels two at a time where it can, then the last one
 * alone: a turn over one panel holds only 2 sums, each waiting on the one before (~4 cycles a relaxed_madd), and over
 * two it holds 4, so a pair runs in about the time of one panel (the same sums: the same bits).
 * Each turn reads the next pair's column ahead, so that its loads of B do not wait on that read (measured 1–3 %
 * faster side by side, the same bits). After a chunk's last pair it reads the word that follows, which it does not
 * use: the row's next pair, or a word in the row's own room, or after a full row the next row's first pair, or after
 * a full last row its first row length (every list has its row lengths right after it: see `sparseScratch`).
 * @param g - panels per group (1 or {@link SPARSE_GROUP})
 * @param fma - terms as relaxed_madd, as the dense GEMM's (see `multiplyAdd` in simd-gemm.ts)
 * @returns the function
 */
function sparseFunction(g: number, fma: boolean): WasmFunction {
  const [list, bounds, bp, c, ldc, panelBytes, rows, g0, g1, chunks] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [grp, i, e, end, base, cPtr, q, bnd, rowPtr, next, gEnd, ch, chOff, rowBounds] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23];
  const wide = g === 1 ? 2 : g; // panels a turn
  const offs = panelOffsets(panelBytes, 24, wide);
  const nv = 2 * wide;
  const acc = Array.from({ length: nv }, (_, j) => 24 + offs.locals + j);
  const av = 24 + offs.locals + nv;
  // the j-th vector of a k-row: panel j/2 (panelBytes further on each), half j mod 2
  const term = (j: number): Code => multiplyAdd(fma, acc[j] as number, av, [...get(q), ...offs.at(j >> 1), ...loadAt(16 * (j & 1))]);
  /** Group `grp` (of g panels) over `width` panels from panel g·grp: every row's sums, a chunk of the depth at a time. */
  const turn = (width: number): Code => {
    const sums = acc.slice(0, 2 * width);
    return [
      ...get(bp), ...get(grp), ...get(panelBytes), ...i32c(g), OP.i32Mul, OP.i32Mul, OP.i32Add, ...set(base),
      ...i32c(0), ...set(ch),
      ...loop(ch, chunks, i32c(1), [
        ...get(ch), ...i32c(2), i32Shl, ...set(chOff),
        ...get(c), ...get(grp), ...i32c(32 * g), OP.i32Mul, OP.i32Add, ...set(cPtr),
        ...get(bounds), ...set(bnd),
        ...get(list), ...set(rowPtr),
        ...i32c(0), ...set(i),
        ...loop(i, rows, i32c(1), [
          // the first chunk starts the sums at 0 and the row's pairs at their first; the others go on from C and
          // from the end of the chunk before
          ...get(ch), OP.if, OP.void,
          ...sums.flatMap((x, j) => [...get(cPtr), ...loadAt(16 * j), ...set(x)]),
          ...get(rowPtr), ...get(bnd), ...get(chOff), OP.i32Add, ...i32c(4), OP.i32Sub, ...i32Load(0), OP.i32Add, ...set(e),
          OP.else,
          ...sums.flatMap((x) => [...zero, ...set(x)]),
          ...get(rowPtr), ...set(e),
          OP.end,
          ...get(rowPtr), ...get(bnd), ...get(chOff), OP.i32Add, ...i32Load(0), OP.i32Add, ...set(end),
          ...get(e), ...i32Load(0), ...get(base), OP.i32Add, ...set(q),
          ...loop(e, end, i32c(8), [
            ...get(e), ...splatAt(4), ...set(av),
            ...get(e), ...i32Load(8), ...get(base), OP.i32Add, ...set(next),
            ...sums.flatMap((_, j) => term(j)),
            ...get(next), ...set(q),
          ]),
          ...sums.flatMap((x, j) => [...get(cPtr), ...get(x), ...storeAt(16 * j)]),
          ...get(cPtr), ...get(ldc), OP.i32Add, ...set(cPtr),
          ...get(bnd), ...get(rowBounds), OP.i32Add, ...set(bnd),
          // the next row's pairs: 2·kBytes = panelBytes/4 further on
          ...get(rowPtr), ...get(panelBytes), ...i32c(2), OP.i32ShrU, OP.i32Add, ...set(rowPtr),
        ]),
      ]),
    ];
  };
  const body: Code = [
    ...offs.init,
    ...get(chunks), ...i32c(2), i32Shl, ...set(rowBounds),
    // sparse1: pairs of panels, then the last one alone; the others: their groups one at a time
    ...(g === 1 ? loopInGroups(grp, g0, g1, gEnd, 2, turn) : loopInGroups(grp, g0, g1, gEnd, 1, () => turn(g))),
  ];
  return {
    name: `sparse${g}`,
    params: Array<number>(10).fill(T.i32),
    locals: [...Array<number>(14 + offs.locals).fill(T.i32), ...Array<number>(nv + 1).fill(T.v128)],
    body,
  };
}

/** Names of the sparse GEMM's functions in the SIMD module. */
export const SIMD_SPARSE_NAMES = ['rowNonzeros', 'sparse1', `sparse${SPARSE_GROUP}`] as const;

/**
 * The sparse GEMM's functions for the SIMD module.
 * @param fma - terms as relaxed_madd, as the dense GEMM's of the same module
 * @returns the functions, in {@link SIMD_SPARSE_NAMES} order
 */
export function simdSparseFunctions(fma = false): WasmFunction[] {
  return [rowNonzerosFunction(), sparseFunction(1, fma), sparseFunction(SPARSE_GROUP, fma)];
}
