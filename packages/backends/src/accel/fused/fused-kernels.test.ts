import * as tf from '@tensorflow/tfjs';
import { bernoulliNllRows, emaUpdate, FUSED_KERNELS, hasFusedKernel, reparameterize, runFused, softmaxCrossEntropyRows, softplusLogVar, stdNormalKLPerDim } from '@vib/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAcceleration } from '../install-acceleration.js';
import type { OverrideHandle } from '../install-override.js';
import { uniformGenerator } from '../self-check.js';
import { FUSED_TOLERANCE, chainsOrSimd, installFusedKernel } from './install-fused.js';
import { stdNormalKLKernel } from './gaussian-kernels.js';
import { bernoulliNllGradKernel, bernoulliNllKernel } from './likelihood-kernels.js';
import { FUSED_ELEMENTWISE } from './fused-elementwise.js';
import type { FusedContext } from './fused-kernel-spec.js';
import { simdKernels, type SimdKernels } from '../simd-kernels.js';
import { heapOffset, wasmInternals, type WasmBackendInternals } from '../wasm-internals.js';
import { bitsOneNaN } from '../../testing/float-bits.js';
import { tiersUnderTest } from '../../testing/tiers-under-test.js';

type Inputs = Record<string, { shape: number[]; values: Float32Array }>;
/** An op over named inputs, summed against fixed weights so every output element gets its own gradient. */
interface Case { name: string; kernels: string[]; op: (t: Record<string, tf.Tensor>) => tf.Tensor; make: (shape: [number, number]) => Inputs; grads: string[] }

const random = uniformGenerator(17);
const fill = (shape: [number, number], f: (r: number, i: number) => number) => ({ shape, values: Float32Array.from({ length: shape[0] * shape[1] }, (_, i) => f(random(), i)) });
const oneHot = (shape: [number, number]) => fill(shape, (_, i) => (i % shape[1] === (Math.floor(i / shape[1]) * 3) % shape[1] ? 1 : 0));
const CASES: Case[] = [
  { name: 'Gaussian KL to N(0, I)', kernels: ['VibStdNormalKL', 'VibStdNormalKLGrad'], op: (t) => stdNormalKLPerDim(t['mu']!, t['logVar']!), make: (s) => ({ mu: fill(s, (r) => 5 * r), logVar: fill(s, (r) => 14 * r) }), grads: ['mu', 'logVar'] },
  { name: 'reparameterized sample', kernels: ['VibReparameterize', 'VibReparameterizeGrad'], op: (t) => reparameterize(t['mu']!, t['logVar']!, t['eps']!), make: (s) => ({ mu: fill(s, (r) => 5 * r), logVar: fill(s, (r) => 14 * r), eps: fill(s, (r) => 3 * r) }), grads: ['mu', 'logVar', 'eps'] },
  { name: 'softmax cross-entropy', kernels: ['VibSoftmaxCrossEntropy', 'VibSoftmaxCrossEntropyGrad'], op: (t) => softmaxCrossEntropyRows(t['logits']!, t['labels']!), make: (s) => ({ logits: fill(s, (r) => 40 * r), labels: oneHot(s) }), grads: ['logits', 'labels'] },
  { name: 'Bernoulli log-likelihood', kernels: ['VibBernoulliNll', 'VibBernoulliNllGrad'], op: (t) => bernoulliNllRows(t['logits']!, t['targets']!), make: (s) => ({ logits: fill(s, (r) => 60 * r), targets: fill(s, (r) => (r + 1) / 2) }), grads: ['logits', 'targets'] },
  // raw − 5 from −35 (σ at its 1e-6 floor) to 25 (softplus linear)
  { name: 'softplus scale log σ²', kernels: ['VibSoftplusLogVar', 'VibSoftplusLogVarGrad'], op: (t) => softplusLogVar(t['raw']!), make: (s) => ({ raw: fill(s, (r) => 5 + 30 * r) }), grads: ['raw'] },
  // the mask of fusedDense's ReLU gradient: the kernel where the backend has it (wasm here), tfjs's Step and Multiply on cpu
  {
    name: 'ReLU mask dy·step(y)', kernels: ['VibReluGrad'], grads: [],
    op: (t) => (hasFusedKernel(FUSED_KERNELS.reluGrad, [t['dy']!, t['y']!]) ? runFused(FUSED_KERNELS.reluGrad, { dy: t['dy']!, y: t['y']! }) : tf.mul(t['dy']!, tf.step(t['y']!))),
    make: (s) => ({ dy: fill(s, (r) => 4 * r), y: fill(s, (r) => (r < -0.3 ? 0 : 3 * r)) }),
  },
];
// odd shapes: one element, a row with a vector tail, a 10-class batch, a VAE-sized row
const SHAPES: [number, number][] = [[1, 1], [3, 7], [37, 10], [2, 1031]];
const SPECIAL = [Number.NaN, Infinity, -Infinity, 0, -0, 1e-40, 88, -104, 1e4, -1e4];

/** Value and gradients (of Σ w·op, w fixed) on one backend, read back as plain arrays. */
function evaluate(backend: string, c: Case, inputs: Inputs): number[][] {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const ts = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v.values, v.shape)]));
    const out = c.op(ts);
    // the weights from JavaScript, the same bits on both backends (a backend's linspace rounds its point near 0 its own
    // way, which a gradient scaled by σ = e^7 turns into a visible difference)
    const w = tf.tensor(Float32Array.from({ length: out.size }, (_, i) => -1 + (3 * i) / Math.max(out.size - 1, 1)), out.shape);
    const names = c.grads;
    if (names.length === 0) return [Array.from(out.dataSync())];
    const g = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(c.op(Object.fromEntries(names.map((n, i) => [n, xs[i]!]).concat(Object.entries(ts).filter(([k]) => !names.includes(k))))), w)));
    return [out, ...g(names.map((n) => ts[n]!))].map((t) => Array.from(t.dataSync()));
  });
}

/** Same as the unfused cpu composition: NaN where it is NaN, the same infinity, else within the self-check tolerance. */
function expectAgree(got: number[], want: number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  want.forEach((w, i) => {
    const g = got[i] as number;
    const ok = Number.isNaN(w) ? Number.isNaN(g) : !Number.isFinite(w) ? g === w : Math.abs(g - w) <= 10 * (FUSED_TOLERANCE.atol + FUSED_TOLERANCE.rtol * Math.abs(w));
    expect(ok, `${what}[${i}] = ${g}, unfused cpu ${w}`).toBe(true);
  });
}

const tiers = tiersUnderTest({ beforeAll, afterAll });

describe.each(['pure', 'native'] as const)('%s tier fused kernels', (tier) => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s and its gradients agree with the unfused cpu composition on odd shapes and special values', async (_, c) => {
    if (!tiers.includes(tier)) return; // native addon not built here: covered by the pure tier
    tf.setBackend('wasm');
    const report = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const handles = report.overrides.filter((h) => c.kernels.includes(h.kernelName));
    expect(handles.map((h) => `${h.kernelName}/${h.tier}`).sort()).toEqual(c.kernels.map((k) => `${k}/${tier}`).sort());
    for (const shape of SHAPES) {
      const inputs = c.make(shape);
      tf.setBackend('wasm');
      const before = { tensors: tf.memory().numTensors, bytes: tf.memory().numBytes };
      const [got, want] = [evaluate('wasm', c, inputs), evaluate('cpu', c, inputs)];
      tf.setBackend('wasm');
      expect({ tensors: tf.memory().numTensors, bytes: tf.memory().numBytes }, 'nothing left on the wasm backend').toEqual(before);
      got.forEach((g, k) => expectAgree(g, want[k] as number[], `${c.name} ${shape} output ${k}`));
    }
    // special values in the first input (μ or logits), then in logVar where there is one
    for (const key of Object.keys(c.make([1, 1]))) {
      if (key === 'labels' || key === 'eps') continue;
      const inputs = c.make([1, SPECIAL.length]);
      inputs[key] = { shape: [1, SPECIAL.length], values: Float32Array.from(SPECIAL) };
      const [got, want] = [evaluate('wasm', c, inputs), evaluate('cpu', c, inputs)];
      expectAgree(got[0] as number[], want[0] as number[], `${c.name} with special ${key}`);
    }
    for (const h of handles) expect(h.handled, `${h.kernelName} ran`).toBeGreaterThan(0);
    expect(handles.every((h: OverrideHandle) => h.active)).toBe(true);
  });
});

describe.each(['pure', 'native'] as const)('%s tier fused EMA update', (tier) => {
  it('is bitwise the stock Mul, Mul, Add on cpu, on odd shapes and special values', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    const report = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const values = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => (i < SPECIAL.length && k === 0 ? SPECIAL[i]! : 7 * random()));
    // 300,007: long enough for the native tier to split the pass over threads
    for (const [n, decay] of [[1, 0.5], [3, 0.9], [1031, 0.999], [SPECIAL.length, 0.25], [300_007, 0.999]] as const) {
      const [a, v] = [values(n, 0), values(n, 1)];
      const on = (backend: string) => {
        tf.setBackend(backend);
        return tf.tidy(() => Array.from(emaUpdate(tf.tensor1d(a), tf.tensor1d(v), decay).dataSync()));
      };
      expect(on('wasm')).toEqual(on('cpu'));
    }
    expect(report.overrides.find((h) => h.kernelName === 'VibEmaUpdate')?.handled).toBeGreaterThan(0);
  });
});

describe('Bernoulli kernels without the SIMD module', () => {
  it('sum and scale their rows in JavaScript to the bits of the wasm row passes', () => {
    tf.setBackend('wasm');
    const be = wasmInternals(tf.backend()) as WasmBackendInternals;
    const simd = simdKernels(be) as SimdKernels;
    for (const [b, c] of [[1, 1], [3, 7], [5, 1031], [100, 784]] as const) {
      const logits = fill([b, c], (r, i) => (i < SPECIAL.length ? SPECIAL[i]! : 60 * r));
      const inputs = {
        logits: tf.tensor2d(logits.values, [b, c]),
        targets: tf.tensor2d(fill([b, c], (r) => (r + 1) / 2).values, [b, c]),
        dy: tf.tensor1d(fill([1, b], (r, i) => (i === 1 ? -0 : 3 * r)).values),
      };
      const run = (spec: typeof bernoulliNllKernel, withSimd: boolean): number[] => {
        const ctx: FusedContext = {
          be, simd: withSimd ? simd : null, ema: null,
          elementwise: (op, a, bb, cc, o, n) => simd.fused(op, a, bb, cc, o, n),
          offset: (name) => heapOffset(be, inputs[name as keyof typeof inputs]),
        };
        const out = tf.engine().makeTensorFromTensorInfo(spec.fast(ctx, inputs, {}));
        const got = bitsOneNaN(out.dataSync() as Float32Array);
        out.dispose();
        return got;
      };
      for (const spec of [bernoulliNllKernel, bernoulliNllGradKernel]) {
        expect(run(spec, false), `${spec.kernelName} ${b}×${c}`).toEqual(run(spec, true));
      }
      tf.dispose(Object.values(inputs));
    }
  });
});

describe('native chains an older addon lacks', () => {
  it('run on the SIMD module: a chain the addon declines gets the SIMD chain\'s bits, one it computes is left alone', () => {
    tf.setBackend('wasm');
    const be = wasmInternals(tf.backend()) as WasmBackendInternals;
    const simd = simdKernels(be) as SimdKernels;
    const n = 1031;
    const [a, b] = [tf.tensor1d(fill([1, n], (r) => 3 * r).values), tf.tensor1d(fill([1, n], (r) => 5 + 20 * r).values)];
    const [outA, outB] = [tf.zeros([n]), tf.zeros([n])];
    const at = (t: tf.Tensor) => heapOffset(be, t);
    const asked: number[] = [];
    // an addon that knows chains 0–6 only and computes nothing (so what it claims stays zero)
    const old = chainsOrSimd(be, (op) => (asked.push(op), op <= FUSED_ELEMENTWISE.reluGrad));
    old(FUSED_ELEMENTWISE.softplusLogVarGrad, at(a), at(b), at(b), at(outA), n);
    old(FUSED_ELEMENTWISE.reluGrad, at(a), at(b), at(b), at(outB), n);
    const want = tf.zeros([n]);
    simd.fused(FUSED_ELEMENTWISE.softplusLogVarGrad, at(a), at(b), at(b), at(want), n);
    expect(asked).toEqual([FUSED_ELEMENTWISE.softplusLogVarGrad, FUSED_ELEMENTWISE.reluGrad]);
    expect(bitsOneNaN(outA.dataSync() as Float32Array)).toEqual(bitsOneNaN(want.dataSync() as Float32Array));
    expect(Array.from(outA.dataSync()).some((v) => v !== 0)).toBe(true);
    expect(Array.from(outB.dataSync()).every((v) => v === 0)).toBe(true);
    tf.dispose([a, b, outA, outB, want]);
  });
});

describe('fused kernel self-check', () => {
  it('a wrong kernel is caught at first use, warned about once, and every call is computed unfused', async () => {
    tf.setBackend('wasm');
    await installAcceleration({ tier: 'stock' });
    const warnings: string[] = [];
    const broken = { ...stdNormalKLKernel, fast: (ctx: Parameters<typeof stdNormalKLKernel.fast>[0], inputs: Parameters<typeof stdNormalKLKernel.fast>[1]) => {
      const out = stdNormalKLKernel.fast(ctx, inputs, {}); // then 1 % too large everywhere
      const at = ctx.be.dataIdMap.get(out.dataId)!.memoryOffset / 4;
      const n = out.shape.reduce((p, d) => p * d, 1);
      for (let i = 0; i < n; i++) ctx.be.wasm.HEAPF32[at + i] = (ctx.be.wasm.HEAPF32[at + i] ?? 0) * 1.01;
      return out;
    } };
    const handle = installFusedKernel(broken, 'pure', () => null, (m) => warnings.push(m));
    try {
      // KL(N(1, e^0) ‖ N(0, 1)) = ½·1² = 0.5 per dimension
      const got = tf.tidy(() => Array.from(stdNormalKLPerDim(tf.tensor2d([[1, 1]]), tf.tensor2d([[0, 0]])).dataSync()));
      const again = tf.tidy(() => Array.from(stdNormalKLPerDim(tf.tensor2d([[1]]), tf.tensor2d([[0]])).dataSync()));
      expect(got).toEqual([0.5, 0.5]);
      expect(again).toEqual([0.5]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/fused VibStdNormalKL kernel disagrees with the unfused cpu composition/);
      expect(handle.active).toBe(false);
      expect(handle.handled).toBe(0);
    } finally {
      handle.uninstall();
    }
  });
});
