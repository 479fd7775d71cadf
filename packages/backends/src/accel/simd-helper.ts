import { BackendError } from '@vib/core';
import { detectEnvironment, hardwareThreads } from '../environment.js';
import { SIMD_FUSED_NAMES } from './simd-fused.js';
import { SIMD_UNARY_NAMES } from './simd-math.js';
import { SPARSE_GROUP } from './simd-sparse.js';
import { CALL_STATE, awaitTask, closeCall, openCall, postTask, takeUpLine, takenUp, taskLoopLines } from './task-channel.js';

/**
 * Helper threads for the pure tier's SIMD kernels where the wasm heap is shared (tfjs-wasm's threaded build, in Node
 * and in cross-origin isolated pages): one for each thread the run has beyond the calling one. Each helper has its
 * own instance of the SIMD module over the same memory and shares each long GEMM, Adam update and transpose with the
 * calling thread: all claim pieces from one atomic counter until none is left, so a helper that wakes late or runs
 * slower takes fewer. The pieces are disjoint and each element is computed with the same code, so the results are
 * bitwise one thread's, whatever the number of threads.
 */

/**
 * What the helper runs, each claiming its pieces from the counter the calling thread claims from: `adam` (the export's
 * arguments: byte pointers, the length in bytes, then the floats; pieces of {@link ADAM_CHUNK} bytes),
 * `transposeRows` (src, dst, rows, cols, rows4, cols4, strip: the column strips of the SIMD kernels' `transpose`, in
 * pieces of {@link TRANSPOSE_ROWS} rows), or `gemm` (a, packedA, b, ldb, packed, c, ldc, kBytes, m, transposeB, ready,
 * flag, p1: groups of {@link GEMM_GROUP} panels below p1, each packed (unless ready: packed by an earlier call) and
 * multiplied by every row of A, as `gemmPanels` in simd-kernels.ts), or `sparse` (list, bounds, packed, c, ldc,
 * panelBytes, rows, groups, full, parts, chunks, pack, b, ldb, transposeB, flag: one group of panels of the sparse GEMM at a
 * time, then the panels left over as one piece, each in `parts` pieces by rows, each packed first where `pack`, as
 * `sparseProduct` in sparse-product.ts),
 * or `nonzeros` (a, kBytes, list, counts, rows, bounds, chunks: the sparse GEMM's list of A's nonzeros, {@link NONZERO_ROWS} rows at
 * a time), or `elementwise` (kind, op, a, b, c, out, bytes: a unary function of the SIMD module (kind 0, `op` in
 * SIMD_UNARY_NAMES order, a → out) or a fused chain (kind 1, SIMD_FUSED_NAMES order, a, b, c → out), in pieces of
 * {@link ELEMENTWISE_CHUNK} bytes), or `rows` (aP, apP, bp, cP, kBytes, nBytes, m, full, parts, list, bounds, chunks,
 * bias, relu, outList, outCounts, outBounds, outChunks: a fused product by rows, its own part of the rows first, then what is left of the others,
 * as `rowWork` in row-product.ts), or `images` (op, count, a, b, c, aStride, bStride, cStride, b0, c4, then the
 * geometry H, W, C, OH, OW, KH, KW, sh, sw, top, left: a pass over `count` images, one image a piece, as `imageStep`
 * in simd-kernels.ts: op 0 unfolds image b0 + i of the tensor at `a` into its fields at b + i·bStride, op 1 folds them
 * back, op 2 max-pools the image at a + i·aStride into b + i·bStride, op 3 routes a max pool's gradient (x at `a`, dy
 * at `b`, dx at `c`, each image a stride further on); channels [0, c4) for the pools).
 */
export type SimdHelperTask = 'adam' | 'transposeRows' | 'gemm' | 'sparse' | 'nonzeros' | 'elementwise' | 'rows' | 'images' | 'hold';

/** Started helpers: run one task on every one of them while the calling thread works, then wait for them all. */
export interface SimdHelper {
  /** Start a task on every helper thread. */
  start(task: SimdHelperTask, args: readonly number[]): void;
  /**
   * End the started call: every helper that has taken it up is waited for; one that has not is left out of it (the
   * calling thread has claimed every piece by now, so it would find nothing left).
   */
  wait(): void;
  /**
   * Claim the next piece of the started call: `step` panels ({@link GEMM_GROUP}), bytes ({@link ADAM_CHUNK}) or rows
   * ({@link TRANSPOSE_ROWS}). The helpers claim from the same counter, so whichever thread is free takes the next.
   * @param step - the size of a piece, as the helper's task claims it
   * @returns where the piece starts (past the end once every piece is taken)
   */
  claim(step: number): number;
  /**
   * The shared words the calling thread and the helpers claim from: word 0 is {@link SimdHelper.claim}'s counter,
   * zero when a call starts; a product by rows uses the words after it (`row-product.ts`), and sets them before it
   * starts its call (the helpers read them once they see the call posted, an atomic write they read atomically).
   */
  readonly words: Int32Array;
  /**
   * Calls started on the helpers (each offered to all of them). A helper that had not woken for a call by the time
   * the calling thread had claimed every piece is left out of it ({@link SimdHelper.wait}).
   */
  readonly calls: number;
  /** Calls that a helper took part in (the rest the calling thread ran alone). */
  readonly taken: number;
  /**
   * Keep every helper busy for `ms` from now (it sleeps that long in a call of its own), so that the calls started
   * meanwhile run without it, on the calling thread alone: for tests of that path, which otherwise comes only as the
   * host's scheduling has it. Returns once every helper has taken the hold up.
   * @param ms - how long at most
   * @returns a function that ends the hold at once
   */
  hold(ms: number): () => void;
  /** Helper threads (the run's threads besides the calling one). */
  readonly threads: number;
  /** Whether the helpers watch for their next call before they sleep (not where the threads outnumber the cores). */
  readonly spins: boolean;
}

/** Panels a GEMM call's threads claim at a time (packed, then multiplied: 128 KiB of panels at k = 1024, in L2). */
export const GEMM_GROUP = 4;
/** Bytes of an Adam update the threads claim at a time (8192 floats: a multiple of 64 bytes). */
export const ADAM_CHUNK = 1 << 15;
/** Rows of a transpose the threads claim at a time (a multiple of 4). */
export const TRANSPOSE_ROWS = 32;
/** Rows of A whose nonzeros the threads list at a time (the sparse GEMM's first step). */
export const NONZERO_ROWS = 8;
/** Bytes of an elementwise function (exp, log, softplus, the fused chains) the threads claim at a time (4096 floats). */
export const ELEMENTWISE_CHUNK = 1 << 14;

/** Numbers a task's call hands the helpers at most (a pass over images: 21). */
const HELPER_ARGS = 24;

/**
 * Each helper's ctl: [task number, task done, status (0 ok, 1 failed), task index, the call's state (open, taken up,
 * closed), the hold's word and time] ({@link CTL_WORDS}); shared by all of them: `claim` (the next piece of the call,
 * one word) and `args` (up to {@link HELPER_ARGS} numbers).
 */
const TASKS: readonly SimdHelperTask[] = ['adam', 'transposeRows', 'gemm', 'sparse', 'nonzeros', 'elementwise', 'rows', 'images', 'hold'];
/**
 * A helper's control words: the task channel's four (posted, finished, status, task), the call's state
 * ({@link CALL_STATE}), then a word {@link SimdHelper.hold} sleeps on and its time.
 */
const CTL_WORDS = 8;
const HOLD_WORD = CALL_STATE + 1;
/**
 * How long the helper watches for the next call before it sleeps (µs; see `taskLoopLines`). Measured side by side
 * in one process against sleeping at once (2-core VM, 12 alternating rounds): the pure tier's VIB training step 7 %
 * faster and the VAE step 6–8 % at 300 µs; 200 µs gained less and 500 µs less again (a spinning helper holds the core
 * that V8's background threads would take); the VIB inference step within the noise.
 */
export const HELPER_SPIN_MICROS = 300;
/**
 * How long the calling thread watches for its helpers to finish a call before it sleeps (µs), where they have a core
 * each. Woken from a sleep, it took 14 µs or more to go on, and a call ends with a wait for the helper's last piece:
 * side by side in alternating processes, the pure VIB inference 1.5 % faster and the VIB training step 2.5 % with
 * 100 µs, the same with 300.
 */
export const AWAIT_SPIN_MICROS = 100;
/**
 * The shared words of a product by rows (after the generic counter, word 0; see `row-product.ts`): word 1 hands each
 * thread the part of the rows it owns; part p's words start at ROW_STRIDE·(p + 1), a cache line of its own: the next
 * group of panels to claim, the groups finished, and the state of A's packed rows (0 not packed, 1 being packed, 2
 * packed).
 */
export const ROW_STRIDE = 16;
/** Shared words of a call's claims: the generic counter, and a product by rows' words for up to 9 threads. */
const CLAIM_WORDS = ROW_STRIDE * 10;
/** How long the calling thread waits for a call before it gives up on the helper (ms). */
const WAIT_MS = 60_000;

const helpers = new WeakMap<WebAssembly.Memory, SimdHelper>();

/**
 * The helper threads for a shared memory, if they were started.
 * @param memory - the backend's memory
 * @returns the helpers, or undefined
 */
export function simdHelperFor(memory: WebAssembly.Memory): SimdHelper | undefined {
  return helpers.get(memory);
}

/**
 * A helper's loop, given ctl, claim, args, memory and the compiled module (the same text in Node and in browsers).
 * @param spinMicros - how long it watches for its next call before it sleeps
 * @returns the lines
 */
const loopLines = (spinMicros: number): string[] => [
  'const x = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;',
  '// panels [q0, q1) of B, plain, transposed or from a convolution\'s input (packPanels in sparse-product.ts)',
  'const pack = (bP, ldb, bp, kCount, transposeB, q0, q1, flag) => ldb === 0 ? x.packFields(bP, bp, kCount, q0, q1, flag) : transposeB ? x.packBT(bP, ldb, bp, kCount, kCount & ~3, q0, q1, flag) : x.packB(bP, ldb, bp, kCount, q0, q1, flag);',
  'const fns = [',
  '  (a) => {',
  '    const [p, g, m, v, out, bytes, ...rest] = a;',
  `    for (let i = Atomics.add(claim, 0, ${ADAM_CHUNK}); i < bytes; i = Atomics.add(claim, 0, ${ADAM_CHUNK})) {`,
  `      x.adam(p + i, g + i, m + i, v + i, out + i, Math.min(${ADAM_CHUNK}, bytes - i), ...rest);`,
  '    }',
  '  },',
  '  (a) => {',
  '    const [src, dst, rows, cols, rows4, cols4, strip] = a;',
  `    for (let r0 = Atomics.add(claim, 0, ${TRANSPOSE_ROWS}); r0 < rows4; r0 = Atomics.add(claim, 0, ${TRANSPOSE_ROWS})) {`,
  `      const part = Math.min(${TRANSPOSE_ROWS}, rows4 - r0);`,
  '      for (let j0 = 0; j0 < cols4; j0 += strip) x.transpose4(src + 4 * (r0 * cols + j0), dst + 4 * (j0 * rows + r0), rows, cols, part, Math.min(strip, cols4 - j0));',
  '    }',
  '  },',
  '  (a) => {',
  '    const [aP, apP, bP, ldb, bp, cP, ldc, kBytes, m, transposeB, ready, flag, p1] = a;',
  '    const kCount = kBytes >> 2;',
  '    const rest = m & 3;',
  `    for (let q0 = Atomics.add(claim, 0, ${GEMM_GROUP}); q0 < p1; q0 = Atomics.add(claim, 0, ${GEMM_GROUP})) {`,
  `      const q1 = Math.min(p1, q0 + ${GEMM_GROUP});`,
  '      if (!ready) pack(bP, ldb, bp, kCount, transposeB, q0, q1, flag);',
  '      if (m >= 4) x.gemm4p(apP, bp, cP, ldc, kBytes, m >> 2, q0, q1);',
  '      if (rest) x[`gemm${rest}`](aP + (m - rest) * kBytes, kBytes, bp, cP + (m - rest) * ldc, ldc, kBytes, 1, q0, q1);',
  '    }',
  '  },',
  '  (a) => {',
  '    const [list, bounds, bp, c, ldc, panelBytes, m, groups, full, parts, chunks, packs, bP, ldb, transposeB, flag] = a;',
  '    const kCount = panelBytes >> 5;',
  `    const pieces = (groups + (groups * ${SPARSE_GROUP} < full ? 1 : 0)) * parts;`,
  `    for (let p = Atomics.add(claim, 0, 1); p < pieces; p = Atomics.add(claim, 0, 1)) {`,
  '      const g = Math.floor(p / parts);',
  '      const r0 = Math.floor(((p % parts) * m) / parts);',
  '      const r1 = Math.floor((((p % parts) + 1) * m) / parts);',
  `      const q0 = g * ${SPARSE_GROUP};`,
  `      const q1 = g < groups ? q0 + ${SPARSE_GROUP} : full;`,
  '      if (packs) pack(bP, ldb, bp, kCount, transposeB, q0, q1, flag);',
  '      const l = list + r0 * (panelBytes >> 2);',
  '      const bnd = bounds + 4 * r0 * chunks;',
  `      if (g < groups) x.sparse${SPARSE_GROUP}(l, bnd, bp, c + r0 * ldc, ldc, panelBytes, r1 - r0, g, g + 1, chunks);`,
  '      else x.sparse1(l, bnd, bp, c + r0 * ldc, ldc, panelBytes, r1 - r0, q0, q1, chunks);',
  '    }',
  '  },',
  '  (a) => {',
  '    const [aP, kBytes, list, counts, rows, bounds, chunks] = a;',
  `    for (let r = Atomics.add(claim, 0, ${NONZERO_ROWS}); r < rows; r = Atomics.add(claim, 0, ${NONZERO_ROWS})) {`,
  `      x.rowNonzeros(aP + r * kBytes, kBytes, Math.min(${NONZERO_ROWS}, rows - r), list + 2 * r * kBytes, counts + 4 * r, bounds + 4 * r * chunks, chunks);`,
  '    }',
  '  },',
  '  (a) => {',
  '    const [kind, op, pa, pb, pc, out, bytes] = a;',
  `    const f = x[(kind === 0 ? ${JSON.stringify(SIMD_UNARY_NAMES)} : ${JSON.stringify(SIMD_FUSED_NAMES)})[op]];`,
  `    for (let i = Atomics.add(claim, 0, ${ELEMENTWISE_CHUNK}); i < bytes; i = Atomics.add(claim, 0, ${ELEMENTWISE_CHUNK})) {`,
  `      const len = Math.min(${ELEMENTWISE_CHUNK}, bytes - i);`,
  '      if (kind === 0) f(pa + i, out + i, len);',
  '      else f(pa + i, pb + i, pc + i, out + i, len);',
  '    }',
  '  },',
  '  (a) => {',
  '    const [aP, apP, bp, cP, kBytes, nBytes, m, full, parts, list, bounds, chunks, biasP, relu, outList, outCounts, outBounds, outChunks] = a;',
  `    const per = list ? ${SPARSE_GROUP} : ${GEMM_GROUP};`,
  '    const groups = Math.ceil(full / per);',
  '    const own = Atomics.add(claim, 1, 1);',
  '    for (let i = 0; i < parts; i++) {',
  '      const p = (own + i) % parts;',
  `      const at = ${ROW_STRIDE} * (p + 1);`,
  '      const r0 = Math.floor((p * m) / parts);',
  '      const r1 = Math.floor(((p + 1) * m) / parts);',
  '      const rows = r1 - r0, blocks = rows >> 2, rest = rows & 3, c = cP + r0 * nBytes;',
  '      const l = list + r0 * 2 * kBytes, bnd = bounds + 4 * r0 * chunks, tail = rest ? x[`gemm${rest}`] : undefined;',
  '      if (Atomics.load(claim, at) >= groups) continue;',
  '      const packed = list ? 2 : Atomics.compareExchange(claim, at + 2, 0, 1);',
  '      if (packed === 1) continue;',
  '      if (packed === 0) {',
  '        for (let b = 0; b < blocks; b++) x.transpose4(aP + (r0 + 4 * b) * kBytes, apP + (r0 + 4 * b) * kBytes, 4, kBytes >> 2, 4, kBytes >> 2);',
  '        Atomics.store(claim, at + 2, 2);',
  '      }',
  '      for (let g = Atomics.add(claim, at, 1); g < groups; g = Atomics.add(claim, at, 1)) {',
  '        const q0 = g * per, q1 = Math.min(full, (g + 1) * per);',
  '        if (list) {',
  `          if (q1 - q0 === ${SPARSE_GROUP}) x.sparse${SPARSE_GROUP}(l, bnd, bp, c, nBytes, kBytes * 8, rows, g, g + 1, chunks);`,
  '          else x.sparse1(l, bnd, bp, c, nBytes, kBytes * 8, rows, q0, q1, chunks);',
  '        } else {',
  '          if (blocks > 0) x.gemm4p(apP + r0 * kBytes, bp, c, nBytes, kBytes, blocks, q0, q1);',
  '          if (tail) tail(aP + (r1 - rest) * kBytes, kBytes, bp, cP + (r1 - rest) * nBytes, nBytes, kBytes, 1, q0, q1);',
  '        }',
  '        if (Atomics.add(claim, at + 1, 1) === groups - 1) {',
  '          (relu ? x.biasRelu : x.biasAdd)(c, biasP, rows, nBytes, nBytes);',
  '          if (outList) x.rowNonzeros(c, nBytes, rows, outList + r0 * 2 * nBytes, outCounts + 4 * r0, outBounds + 4 * r0 * outChunks, outChunks);',
  '        }',
  '      }',
  '    }',
  '  },',
  '  (a) => {',
  '    const [op, count, pa, pb, pc, sa, sb, sc, b0, c4] = a;',
  '    const g = a.subarray(10, 21); // the geometry: the arguments block is longer, its tail left from earlier calls',
  '    for (let i = Atomics.add(claim, 0, 1); i < count; i = Atomics.add(claim, 0, 1)) {',
  '      if (op === 0) x.unfoldFields(pa, pb + i * sb, b0 + i, b0 + i + 1, ...g);',
  '      else if (op === 1) x.foldFields(pa, pb + i * sb, b0 + i, b0 + i + 1, ...g);',
  '      else if (op === 2) x.maxPool4(pa + i * sa, pb + i * sb, 1, ...g, c4);',
  '      else x.maxPoolGrad4(pa + i * sa, pb + i * sb, pc + i * sc, 1, ...g, c4);',
  '    }',
  '  },',
  `  () => void Atomics.wait(ctl, ${HOLD_WORD}, 0, ctl[${HOLD_WORD} + 1]),`,
  '];',
  'ready();',
  // a call the calling thread closed before this helper woke for it (it had done every piece) is skipped
  ...taskLoopLines([`if (${takeUpLine}) {`, '  let status = 0;', '  try { fns[ctl[3]](args); } catch { status = 1; }', '  Atomics.store(ctl, 2, status);', '}'], spinMicros),
];

/** The shared state a helper gets. */
interface HelperData {
  /** Its own control words. */
  readonly ctl: Int32Array;
  /** The next piece of the call, shared by every helper and the calling thread. */
  readonly claim: Int32Array;
  readonly args: Float64Array;
  readonly memory: WebAssembly.Memory;
  /** The compiled SIMD module: the calling thread's, so its optimized code is shared rather than compiled again. */
  readonly module: WebAssembly.Module;
}

/** How a helper is started: its shared state, and how long it watches for its next call before it sleeps. */
interface HelperStart {
  readonly data: HelperData;
  readonly spinMicros: number;
}

/** Start the thread in Node (worker_threads, an eval'd script); resolves true once it is ready. */
async function startNode({ data, spinMicros }: HelperStart): Promise<boolean> {
  const { Worker } = await import('node:worker_threads');
  const source = [
    "'use strict';",
    "const { workerData, parentPort } = require('node:worker_threads');",
    'const { ctl, claim, args, memory, module } = workerData;',
    "const ready = () => parentPort.postMessage('ready');",
    ...loopLines(spinMicros),
  ].join('\n');
  // execArgv: [] so that the parent's Node options (loaders, --input-type) do not reach this plain script
  const worker = new Worker(source, { eval: true, execArgv: [], workerData: data });
  const ok = await new Promise<boolean>((resolve) => {
    worker.once('message', () => resolve(true));
    worker.once('error', () => resolve(false));
    worker.once('exit', () => resolve(false));
  });
  if (ok) worker.unref();
  return ok;
}

/** Start the thread in a cross-origin isolated page (a Web Worker from a Blob URL); resolves true once it is ready. */
async function startBrowser({ data, spinMicros }: HelperStart): Promise<boolean> {
  const source = ["'use strict';", 'self.onmessage = (e) => {', '  const { ctl, claim, args, memory, module } = e.data;', "  const ready = () => self.postMessage('ready');", ...loopLines(spinMicros).map((l) => `  ${l}`), '};'].join('\n');
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  try {
    const worker = new Worker(url);
    return await new Promise<boolean>((resolve) => {
      worker.onmessage = () => resolve(true);
      worker.onerror = () => resolve(false);
      worker.postMessage(data);
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * Start helper threads for the SIMD module over a shared memory, in Node or in a cross-origin isolated page, and wait
 * until they are ready. A memory keeps the helpers first started for it.
 * @param memory - tfjs-wasm's shared memory (the threaded build's)
 * @param module - the SIMD module, compiled (its shared-memory variant)
 * @param count - helper threads to start (the run's threads less the calling one)
 * @returns the helpers (those that started, where some could not), or null for a memory that is not shared or where
 *   no thread could start
 */
export async function startSimdHelper(memory: WebAssembly.Memory, module: WebAssembly.Module, count = 1): Promise<SimdHelper | null> {
  const existing = helpers.get(memory);
  if (existing) return existing;
  if (count < 1 || Object.prototype.toString.call(memory.buffer) !== '[object SharedArrayBuffer]') return null;
  const node = detectEnvironment() === 'node';
  if (!node && typeof Worker !== 'function') return null;
  const claim = new Int32Array(new SharedArrayBuffer(4 * CLAIM_WORDS));
  const args = new Float64Array(new SharedArrayBuffer(HELPER_ARGS * 8));
  const crew = Array.from({ length: Math.floor(count) }, (): HelperData => ({ ctl: new Int32Array(new SharedArrayBuffer(4 * CTL_WORDS)), claim, args, memory, module }));
  // helpers that spin between calls need a core each: with more threads than cores, they sleep at once (a spinning
  // helper would hold a core the calling thread or another helper is waiting for)
  const spinMicros = crew.length + 1 <= (await hardwareThreads()) ? HELPER_SPIN_MICROS : 0;
  const started = await Promise.all(crew.map((data) => (node ? startNode({ data, spinMicros }) : startBrowser({ data, spinMicros }))));
  const ctls = crew.filter((_, i) => started[i]).map((data) => data.ctl);
  if (ctls.length === 0) return null;
  const tasks = ctls.map(() => 0);
  let calls = 0;
  let taken = 0;
  const helper: SimdHelper = {
    spins: spinMicros > 0,
    start(name, values) {
      if (values.length > HELPER_ARGS) throw new Error(`@vib/backends: the helper's ${name} task got ${values.length} arguments, more than the ${HELPER_ARGS} its calls have room for`);
      args.fill(0);
      args.set(values);
      Atomics.store(claim, 0, 0);
      const index = TASKS.indexOf(name);
      ctls.forEach((ctl, i) => {
        ctl[3] = index;
        openCall(ctl);
        tasks[i] = postTask(ctl);
      });
    },
    wait() {
      // a helper that has not woken for the call by now gets nothing from it (this thread has claimed every piece):
      // closed, it skips the call, where waiting for it to wake would take 14–140 µs for nothing. The others: a page's
      // main thread may not block, so there it spins (a call's share takes a millisecond or two)
      let joined = 0;
      ctls.forEach((ctl, i) => {
        if (closeCall(ctl, tasks[i] as number)) return;
        joined++;
        if (!awaitTask(ctl, tasks[i] as number, WAIT_MS, node, spinMicros > 0 ? AWAIT_SPIN_MICROS : 0)) throw stalled();
        if (Atomics.load(ctl, 2) !== 0) throw new BackendError("the pure tier's SIMD helper thread failed a call (a wasm trap); reload or restart");
      });
      calls++;
      if (joined > 0) taken++;
    },
    hold(ms) {
      const index = TASKS.indexOf('hold');
      for (const ctl of ctls) {
        ctl[3] = index;
        Atomics.store(ctl, HOLD_WORD + 1, ms);
        const task = openCall(ctl);
        postTask(ctl);
        const until = performance.now() + WAIT_MS;
        while (!takenUp(ctl, task)) if (performance.now() > until) throw stalled();
      }
      return () => ctls.forEach((ctl) => Atomics.notify(ctl, HOLD_WORD));
    },
    claim: (step) => Atomics.add(claim, 0, step),
    words: claim,
    get calls() {
      return calls;
    },
    get taken() {
      return taken;
    },
    threads: ctls.length,
  };
  helpers.set(memory, helper);
  return helper;
}

const stalled = (): BackendError => new BackendError(`the pure tier's SIMD helper thread did not finish a call in ${WAIT_MS / 1000} s; reload or restart`);

/**
 * This thread's share of [0, end) for a call started on `helper`: pieces of `step` claimed from the counter the
 * helpers claim from, until none is left; without helpers, all of it in one piece.
 * @param helper - the helpers the call was started on, if any
 * @param step - the size of a piece, as the helper's task claims it
 * @param end - where the work ends
 * @param piece - runs [start, start + length)
 */
export function claimPieces(helper: SimdHelper | undefined, step: number, end: number, piece: (start: number, length: number) => void): void {
  if (!helper) {
    if (end > 0) piece(0, end);
    return;
  }
  for (let i = helper.claim(step); i < end; i = helper.claim(step)) piece(i, Math.min(step, end - i));
}
