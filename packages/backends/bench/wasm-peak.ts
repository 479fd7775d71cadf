import { Worker } from 'node:worker_threads';
import { multiplyAdd } from '../src/accel/simd-gemm.js';
import { i32c, get, set } from '../src/accel/simd-math.js';
import { emitModule, OP, T, simd, uleb, type WasmFunction } from '../src/accel/wasm-emit.js';
import { wasmFma } from '../src/accel/wasm-fma.js';

/**
 * The ceiling of the pure tier: wasm SIMD's float32 throughput on this machine, with nothing but multiply-adds in
 * registers. `peak(iters, out)` runs `iters` turns of 12 independent f32x4 multiply-add chains (96 flops a turn), each
 * term the instruction the pure tier's products use here (relaxed SIMD's relaxed_madd, or a multiply then an add: see
 * `wasmFma`), then stores the accumulators at byte `out` so that none is dead code. No dense GEMM in f32x4 can beat
 * this rate (the sparse one skips products by zero); the pure tier's rows are compared with it, every thread measured
 * at once, as the threads share the machine.
 */
const ACC = 12;
function peakFunction(madd: boolean): WasmFunction {
  const [iters, out, i] = [0, 1, 2];
  const acc = Array.from({ length: ACC }, (_, j) => 3 + j);
  const [a, b0, b1] = [3 + ACC, 4 + ACC, 5 + ACC];
  const splat = simd(0x13); // f32x4.splat
  const f32 = (x: number): number[] => [OP.f32Const, ...new Uint8Array(new Float32Array([x]).buffer)];
  return {
    name: 'peak',
    params: [T.i32, T.i32],
    locals: [T.i32, ...Array<number>(ACC + 3).fill(T.v128)],
    body: [
      ...f32(1e-7), ...splat, ...set(a),
      ...f32(0.5), ...splat, ...set(b0),
      ...f32(-0.25), ...splat, ...set(b1),
      ...acc.flatMap((x, j) => [...f32(j), ...splat, ...set(x)]),
      OP.block, OP.void, OP.loop, OP.void,
      ...get(i), ...get(iters), OP.i32GeU, OP.brIf, 1,
      ...acc.flatMap((x, j) => multiplyAdd(madd, x, a, get(j % 2 ? b1 : b0))),
      ...get(i), ...i32c(1), OP.i32Add, ...set(i), OP.br, 0,
      OP.end, OP.end,
      ...acc.flatMap((x, j) => [...get(out), ...get(x), ...simd(0x0b, 2, ...uleb(16 * j))]),
    ],
  };
}

const ITERS = 20_000_000; // 1.92 GFLOP a thread: ~40 ms at 48 GFLOP/s
/** The instruction of the rate: the products' (decided once per process, before the pure tier compiles its module). */
export const PEAK_MADD = wasmFma().madd;
const bytes = emitModule([peakFunction(PEAK_MADD)]);

/**
 * The script of each thread: time `peak`, the better of two runs (the first may still run V8's baseline code while
 * the optimized one compiles), and post the rate in GFLOP/s.
 */
const SOURCE = [
  "const { parentPort, workerData } = require('node:worker_threads');",
  'const mem = new WebAssembly.Memory({ initial: 1 });',
  'const x = new WebAssembly.Instance(workerData.module, { env: { mem } }).exports;',
  `const rate = () => { const t = performance.now(); x.peak(${ITERS}, 0); return ${ITERS * ACC * 8} / (performance.now() - t) / 1e6; };`,
  "parentPort.on('message', () => parentPort.postMessage(Math.max(rate(), rate())));",
].join('\n');

/** One worker thread per thread of the tier, started once, each running `peak`; each round all of them at once. */
export class WasmPeak {
  private readonly workers: Worker[];
  constructor(threads: number) {
    const module = new WebAssembly.Module(bytes);
    this.workers = Array.from({ length: Math.max(1, threads) }, () => new Worker(SOURCE, { eval: true, execArgv: [], workerData: { module } }));
  }
  /**
   * GFLOP/s of `count` threads running `peak` at once, summed.
   * @param count - how many of the threads run (default: all)
   * @returns the rate
   */
  async gflops(count = this.workers.length): Promise<number> {
    const running = this.workers.slice(0, Math.max(1, count));
    const rates = running.map((w) => new Promise<number>((resolve) => w.once('message', resolve)));
    for (const w of running) w.postMessage('go');
    return (await Promise.all(rates)).reduce((s, x) => s + x, 0);
  }
  close(): Promise<number[]> {
    return Promise.all(this.workers.map((w) => w.terminate()));
  }
}
