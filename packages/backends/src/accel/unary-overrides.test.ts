import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAcceleration, uninstallAcceleration } from './install-acceleration.js';
import { installKernelOverride } from './install-override.js';
import { simdKernels } from './simd-kernels.js';
import { simdModuleBytes } from './simd-module.js';
import { UNARY_OPS, UNARY_TOLERANCE, unaryOverride, type UnaryKernelName } from './unary-override.js';
import { heapOffset, wasmInternals, type WasmBackendInternals } from './wasm-internals.js';
import { tiersUnderTest } from '../testing/tiers-under-test.js';

// The closed forms, in float64: what tfjs's cpu kernels compute before rounding to float32.
const exact: Record<UnaryKernelName, (x: number) => number> = {
  Exp: Math.exp,
  Log: Math.log,
  Log1p: Math.log1p,
  Softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  Tanh: Math.tanh,
  Sigmoid: (x) => 1 / (1 + Math.exp(-x)),
};
const op: Record<UnaryKernelName, (x: tf.Tensor) => tf.Tensor> = {
  Exp: tf.exp, Log: tf.log, Log1p: tf.log1p, Softplus: tf.softplus, Tanh: tf.tanh, Sigmoid: tf.sigmoid,
};
// Inputs over each function's useful range, from tiny to large magnitudes (sizes 1, 3, 5×7 and 1031 exercise
// the vector tails); special values are compared separately.
const domain: Record<UnaryKernelName, (u: number) => number> = {
  Exp: (u) => 170 * u - 85,
  Log: (u) => Math.exp(160 * u - 80),
  Log1p: (u) => (u < 0.5 ? -0.999 * (1 - 2 * u) : Math.expm1(40 * u - 30)),
  Softplus: (u) => 200 * u - 100,
  Tanh: (u) => Math.sinh(24 * u - 12) / 1000,
  Sigmoid: (u) => 120 * u - 60,
};
const SHAPES = [[1], [3], [5, 7], [1031]];
const SPECIAL = [Number.NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-40, 1, -1];
const names = Object.keys(UNARY_OPS) as UnaryKernelName[];
const tiers = tiersUnderTest({ beforeAll, afterAll });

const close = (got: number, want: number): boolean =>
  Object.is(Math.fround(want), got) || Math.abs(got - want) <= UNARY_TOLERANCE.atol + UNARY_TOLERANCE.rtol * Math.abs(want);

describe.each(['pure', 'native'] as const)('%s tier exp/log family', (tier) => {
  it.each(names)('%s agrees with the closed form within atol 1e-6 + rtol 2e-6 on odd shapes and special values', async (name) => {
    if (!tiers.includes(tier)) return; // native addon not built here: covered by the pure tier
    tf.setBackend('wasm');
    const report = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    for (const shape of SHAPES) {
      const n = shape.reduce((p, d) => p * d, 1);
      const xs = Float32Array.from({ length: n }, (_, i) => domain[name]((i + 0.5) / n));
      const got = tf.tidy(() => op[name](tf.tensor(xs, shape)).dataSync());
      xs.forEach((x, i) => expect(close(got[i] as number, exact[name](x)), `${name}(${x}) = ${got[i]}, want ${exact[name](x)}`).toBe(true));
    }
    const got = tf.tidy(() => op[name](tf.tensor1d(SPECIAL)).dataSync());
    SPECIAL.forEach((x, i) => expect(close(got[i] as number, exact[name](Math.fround(x))), `${name}(${x}) = ${got[i]}`).toBe(true));
    const top = report.overrides.filter((o) => o.kernelName === name).at(-1);
    if (tier === 'pure' && name === 'Sigmoid') {
      expect(top).toBeUndefined(); // stock wasm Sigmoid is already XNNPACK SIMD; the module's kernel is tested below
      return;
    }
    expect(top?.tier).toBe(tier);
    expect(top?.active).toBe(true);
    expect(top?.handled ?? 0).toBeGreaterThan(0); // computed by this tier, not delegated
    expect(top?.checks.get('float32')).toMatch(/^max \|error\|/); // and checked against the cpu kernel first
  });
});

describe.each(['pure', 'native'] as const)('%s tier softplus', (tier) => {
  it('is within 3e-7 relative of the float64 closed form over [−100, 100] (its atanh form of log1p)', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const n = 40_001;
    const xs = Float32Array.from({ length: n }, (_, i) => -100 + (200 * i) / (n - 1));
    const got = tf.tidy(() => tf.softplus(tf.tensor1d(xs)).dataSync());
    let worst = 0;
    xs.forEach((x, i) => {
      const want = exact.Softplus(x);
      if (want > 1e-30) worst = Math.max(worst, Math.abs((got[i] as number) - want) / want);
      else expect(Math.abs(got[i] as number)).toBeLessThan(1e-30); // e^−|x| below e^−87 flushes to 0
    });
    expect(worst).toBeLessThan(3e-7);
    expect(worst).toBeGreaterThan(0); // float32 results of a float64 reference: some error must show
  });
});

describe('exp/log family overrides', () => {
  it('leave int32 inputs to the stock kernel', async () => {
    tf.setBackend('wasm');
    await installAcceleration({ tier: 'pure', warn: (m) => expect.fail(m) });
    expect(Array.from(tf.tidy(() => tf.exp(tf.tensor1d([0, 1], 'int32')).dataSync()))).toEqual([1, Math.fround(Math.E)]);
  });

  it('a wrong kernel fails its first-use self-check and hands every call to the stock kernel', () => {
    uninstallAcceleration();
    tf.setBackend('wasm');
    const warnings: string[] = [];
    // no kernel on this backend: the override delegates
    const handle = installKernelOverride(unaryOverride('Exp', 'pure', () => null), (m) => warnings.push(m));
    expect(Array.from(tf.tidy(() => tf.exp(tf.tensor1d([0, 1])).dataSync()))).toEqual([1, Math.fround(Math.E)]);
    expect(handle.checks.get('float32')).toBe('delegated to the stock kernel');
    handle.uninstall();
    // deliberately wrong: computes log where exp was asked for
    const logInstead = unaryOverride('Exp', 'pure', (be) => (_op, i, o, n) => {
      for (let k = 0; k < n; k++) be.wasm.HEAPF32[o + k] = Math.log(be.wasm.HEAPF32[i + k] as number);
    });
    const wrong = installKernelOverride(logInstead, (m) => warnings.push(m));
    const got = tf.tidy(() => tf.exp(tf.tensor1d([0, 2])).dataSync());
    expect(Array.from(got)).toEqual([1, Math.fround(Math.exp(2))]);
    expect(wrong.active).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/pure Exp override on wasm disagrees with the stock kernel/);
    wrong.uninstall();
  });

  it('emits a module that validates, whose sigmoid agrees with the closed form', () => {
    expect(WebAssembly.validate(simdModuleBytes())).toBe(true);
    tf.setBackend('wasm');
    const be = wasmInternals(tf.backend()) as WasmBackendInternals;
    const kernels = simdKernels(be);
    expect(kernels).not.toBeNull();
    const xs = Float32Array.from({ length: 1031 }, (_, i) => domain.Sigmoid((i + 0.5) / 1031));
    const [x, y] = [tf.tensor1d(xs), tf.zeros([1031])];
    kernels?.unary(UNARY_OPS.Sigmoid, heapOffset(be, x), heapOffset(be, y), 1031);
    const got = y.dataSync();
    xs.forEach((v, i) => expect(close(got[i] as number, exact.Sigmoid(v)), `sigmoid(${v}) = ${got[i]}`).toBe(true));
    tf.dispose([x, y]);
  });
});
