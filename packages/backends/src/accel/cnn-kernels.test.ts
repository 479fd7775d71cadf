import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAcceleration } from './install-acceleration.js';
import { installKernelOverride, type OverrideHandle } from './install-override.js';
import type { KernelOverrideSpec } from './kernel-types.js';
import { convFilterGradientOverride, convForwardOverride, convInputGradientOverride, TRANSPOSED_FIELDS } from './conv-products.js';
import { pureFields } from './conv-fields.js';
import { maxPoolGradientOverride } from './max-pool-gradient.js';
import { depthwiseFilterGradientOverride } from './depthwise-gradients.js';
import { segmentSumOverride } from './segment-sum.js';
import { tiersUnderTest } from '../testing/tiers-under-test.js';

const tiers = tiersUnderTest({ beforeAll, afterAll });

type Fn = (...xs: tf.Tensor[]) => tf.Tensor;

/** The gradients of Σ w ⊙ f(xs) (w fixed, uniform) on a backend, read back; xs uniform in [lo, hi) from fixed seeds. */
function gradients(backend: string, shapes: number[][], f: Fn, seed = 1): number[][] {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = shapes.map((s, i) => tf.randomUniform(s, -2, 2, 'float32', seed + i));
    const g = tf.grads((...a: tf.Tensor[]) => {
      const y = f(...a);
      return tf.sum(tf.mul(y, tf.randomUniform(y.shape, -1, 1, 'float32', seed + 99)));
    })(xs);
    return g.map((t) => Array.from(t.dataSync()));
  });
}

/** Each gradient on wasm within `rtol` of cpu's (relative to the largest |value| of that gradient). */
function expectLikeCpu(shapes: number[][], f: Fn, rtol = 1e-5): void {
  const [want, got] = [gradients('cpu', shapes, f), gradients('wasm', shapes, f)];
  expect(got.map((g) => g.length)).toEqual(want.map((g) => g.length));
  want.forEach((w, i) => {
    const scale = Math.max(1, ...w.map(Math.abs));
    const worst = Math.max(...w.map((v, j) => Math.abs(v - got[i]![j]!)));
    expect(worst / scale, `gradient ${i}`).toBeLessThan(rtol);
  });
}

const conv = (strides: number | [number, number], pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]]): Fn =>
  (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, strides, pad);

const handledBy = (overrides: readonly OverrideHandle[], kernelName: string): number => overrides.find((h) => h.kernelName === kernelName)?.handled ?? -1;

describe.each(['pure', 'native'] as const)('%s tier: the kernels tfjs-wasm 4.22 lacks, and its slow convolution input gradient', (tier) => {
  it('convolutions train on wasm: both gradients as on cpu for strides, same, valid and explicit padding, and conv2dTranspose', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    const { overrides } = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const [filter0, input0] = [handledBy(overrides, 'Conv2DBackpropFilter'), handledBy(overrides, 'Conv2DBackpropInput')];
    expectLikeCpu([[3, 7, 6, 3], [3, 3, 3, 4]], conv(1, 'same'));
    expectLikeCpu([[2, 9, 8, 2], [5, 5, 2, 3]], conv(2, 'valid'));
    expectLikeCpu([[2, 6, 7, 17], [2, 3, 17, 5]], conv([1, 2], [[0, 0], [1, 2], [2, 0], [0, 0]]));
    expectLikeCpu([[1, 4, 4, 3], [3, 3, 2, 3]], (x, w) => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [1, 8, 8, 2], 2, 'same'));
    // one call each for each function's gradients (conv2dTranspose's input gradient is a forward convolution)
    // no images: a zero filter gradient and an empty input gradient, from the kernels below
    expectLikeCpu([[0, 5, 5, 2], [3, 3, 2, 3]], conv(1, 'same'));
    expect(handledBy(overrides, 'Conv2DBackpropFilter') - filter0).toBe(4);
    expect(handledBy(overrides, 'Conv2DBackpropInput') - input0).toBe(3 + 1);
  });

  it('depthwise and separable convolutions, gather (an embedding) and segment sums take gradients on wasm as on cpu; einsum runs', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    const { overrides } = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const [sums0, dwFilter0, dwInput0] = [handledBy(overrides, 'UnsortedSegmentSum'), handledBy(overrides, 'DepthwiseConv2dNativeBackpropFilter'), handledBy(overrides, 'DepthwiseConv2dNativeBackpropInput')];
    expectLikeCpu([[2, 5, 5, 2], [3, 3, 2, 2]], (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'));
    expectLikeCpu([[3, 7, 6, 5], [2, 3, 5, 1]], (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, [2, 1], 'valid'));
    expectLikeCpu([[1, 6, 6, 3], [3, 3, 3, 2], [1, 1, 6, 4]], (x, d, p) => tf.separableConv2d(x as tf.Tensor4D, d as tf.Tensor4D, p as tf.Tensor4D, 2, 'valid'));
    expect([handledBy(overrides, 'DepthwiseConv2dNativeBackpropFilter') - dwFilter0, handledBy(overrides, 'DepthwiseConv2dNativeBackpropInput') - dwInput0]).toEqual([3, 3]);
    // the filter's gradient adds in cpu's order in float64: its numbers bit for bit
    const filterGradient = (backend: string): number[] => gradients(backend, [[2, 6, 5, 3], [3, 3, 3, 2]], (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'))[1]!;
    expect(filterGradient('wasm')).toEqual(filterGradient('cpu'));
    // a repeated index adds its rows; an unused row of the table gets 0
    expectLikeCpu([[6, 4]], (table) => tf.gather(table!, tf.tensor1d([4, 0, 4, 2, 4], 'int32')));
    expectLikeCpu([[3, 5]], (table) => tf.gather(table!, tf.tensor1d([1, 1, 3], 'int32'), 1));
    expect(handledBy(overrides, 'UnsortedSegmentSum') - sums0).toBe(2);
    const einsum = (backend: string): number[] => {
      tf.setBackend(backend);
      return tf.tidy(() => Array.from(tf.einsum('ij,jk->ik', tf.randomUniform([3, 4], -1, 1, 'float32', 5), tf.randomUniform([4, 2], -1, 1, 'float32', 6)).dataSync()));
    };
    expect(einsum('wasm')).toEqual(einsum('cpu'));
  });

  it('a segment sum drops ids outside [0, n) as cpu does, and keeps a NaN in its own segment', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const sums = (backend: string, x: number[][], ids: number[]): number[] => {
      tf.setBackend(backend);
      return tf.tidy(() => Array.from(tf.unsortedSegmentSum(tf.tensor2d(x), tf.tensor1d(ids, 'int32'), 3).dataSync()));
    };
    const x = [[1.5, -2], [0.25, 4], [8, 16], [3, 3], [1e-3, 7]];
    const ids = [2, 0, -1, 2, 3];
    expect(sums('wasm', x, ids)).toEqual(sums('cpu', x, ids));
    expect(sums('wasm', x, ids)).toEqual([0.25, 4, 0, 0, 4.5, 1]);
    // TensorFlow's semantics: NaN reaches its own segment only (tfjs's cpu kernel masks by multiplying: NaN everywhere)
    const got = sums('wasm', [[NaN, 1], [2, 3]], [1, 0]);
    expect(got.slice(0, 4)).toEqual([2, 3, NaN, 1]);
  });

  it('a batch past the unfolding bound is done a few images at a time, with the same gradients', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    const { overrides } = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    // two images' fields (2 · 6·5 positions · 3·3·2 fields = 1080 floats) a piece: five images in pieces of 2, 2 and 1
    const small = [installKernelOverride(convFilterGradientOverride('wasm', { unfoldFloats: 1200 }), (m) => expect.fail(m)), installKernelOverride(convInputGradientOverride('wasm', { unfoldFloats: 1200 }), (m) => expect.fail(m))];
    try {
      expectLikeCpu([[5, 6, 5, 2], [3, 3, 2, 4]], conv(1, 'same'));
      expect(small.map((h) => h.handled)).toEqual([1, 1]);
    } finally {
      for (const h of small.reverse()) h.uninstall();
    }
    expect(overrides.every((h) => h.active)).toBe(true);
  });
});

/** f(xs) on a backend, read back; xs uniform from fixed seeds (rounded to halves where `halves`, for ties). */
function values(backend: string, shapes: number[][], f: Fn, halves = false): number[] {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = shapes.map((s, i) => {
      const u = tf.randomUniform(s, -2, 2, 'float32', 40 + i);
      return halves ? tf.div(tf.round(tf.mul(u, 2)), 2) : u;
    });
    return Array.from(f(...xs).dataSync());
  });
}

describe.each(['pure', 'native'] as const)('%s tier: convolutions as products, and max pools\' gradients', (tier) => {
  it('Conv2D and FusedConv2D (bias, ReLU) as cpu computes them; dilated, ELU and PReLU convolutions left to the stock kernels', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    const { overrides } = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const [plain0, fused0] = [handledBy(overrides, 'Conv2D'), handledBy(overrides, 'FusedConv2D')];
    const close = (shapes: number[][], f: Fn): void => {
      const [want, got] = [values('cpu', shapes, f), values('wasm', shapes, f)];
      expect(got.length).toBe(want.length);
      want.forEach((w, i) => expect(Math.abs(got[i]! - w), `element ${i}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(w)) + 1e-5));
    };
    close([[3, 7, 6, 3], [3, 3, 3, 4]], conv(1, 'same'));
    close([[2, 9, 8, 17], [5, 5, 17, 3]], conv(2, 'valid'));
    close([[2, 6, 7, 2], [2, 3, 2, 5]], conv([1, 2], [[0, 0], [1, 2], [2, 0], [0, 0]]));
    close([[2, 6, 6, 3], [3, 3, 3, 4], [4]], (x, w, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu' }));
    close([[2, 6, 6, 3], [3, 3, 3, 4]], (x, w) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 2, pad: 'valid' }));
    // one bias value for every channel: the cpu kernel broadcasts it, tfjs-wasm's refuses it
    close([[2, 6, 6, 3], [3, 3, 3, 4], [1]], (x, w, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu' }));
    expect([handledBy(overrides, 'Conv2D') - plain0, handledBy(overrides, 'FusedConv2D') - fused0]).toEqual([3, 3]);
    close([[2, 7, 7, 2], [3, 3, 2, 3]], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same', 'NHWC', 2));
    close([[2, 6, 6, 3], [3, 3, 3, 4], [4]], (x, w, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'elu' }));
    close([[2, 6, 6, 3], [3, 3, 3, 4], [4]], (x, w, a) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', activation: 'prelu', preluActivationWeights: a }));
    expect([handledBy(overrides, 'Conv2D') - plain0, handledBy(overrides, 'FusedConv2D') - fused0]).toEqual([3, 3]);
  });

  it('a forward convolution past the unfolding bound is done a few images at a time', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const small = [installKernelOverride(convForwardOverride('Conv2D', 'wasm', { unfoldFloats: 1200 }), (m) => expect.fail(m)), installKernelOverride(convForwardOverride('FusedConv2D', 'wasm', { unfoldFloats: 1200 }), (m) => expect.fail(m))];
    try {
      const shapes = [[5, 6, 5, 2], [3, 3, 2, 4], [4]];
      const f: Fn = (x, w, b) => tf.add(conv(1, 'same')(x!, w!), tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu' }));
      const [want, got] = [values('cpu', shapes, f), values('wasm', shapes, f)];
      want.forEach((w, i) => expect(Math.abs(got[i]! - w), `element ${i}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(w))));
      expect(small.map((h) => h.handled)).toEqual([1, 1]);
    } finally {
      for (const h of small.reverse()) h.uninstall();
    }
  });

  it('wide receptive fields take the products transposed (filterᵀ · fieldsᵀ, dyᵀ · fields) with the same results, whole or in pieces', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    const { overrides } = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const close = (shapes: number[][], f: Fn): void => {
      const [want, got] = [values('cpu', shapes, f), values('wasm', shapes, f)];
      expect(got.length).toBe(want.length);
      want.forEach((w, i) => expect(Math.abs(got[i]! - w), `element ${i}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(w)) + 1e-5));
    };
    // the tier's own kernels at the default threshold: 3·3·32 = 288 fields
    expect(3 * 3 * 32).toBeGreaterThanOrEqual(TRANSPOSED_FIELDS);
    const [plain0, filter0] = [handledBy(overrides, 'Conv2D'), handledBy(overrides, 'Conv2DBackpropFilter')];
    close([[2, 5, 6, 32], [3, 3, 32, 5]], conv(1, 'same'));
    expectLikeCpu([[2, 5, 6, 32], [3, 3, 32, 5]], conv(2, 'same'), 2e-5);
    expect([handledBy(overrides, 'Conv2D') - plain0, handledBy(overrides, 'Conv2DBackpropFilter') - filter0]).toEqual([2, 1]);
    // every call transposed, in pieces of two images: fused bias and ReLU applied after the transpose
    const options = { fields: pureFields, tier, transposedFrom: 1, unfoldFloats: 1200 } as const;
    const forced = [
      installKernelOverride(convForwardOverride('Conv2D', 'wasm', options), (m) => expect.fail(m)),
      installKernelOverride(convForwardOverride('FusedConv2D', 'wasm', options), (m) => expect.fail(m)),
      installKernelOverride(convFilterGradientOverride('wasm', options), (m) => expect.fail(m)),
    ];
    try {
      close([[5, 6, 5, 2], [3, 3, 2, 4]], conv(1, 'same'));
      close([[3, 9, 8, 3], [5, 5, 3, 3]], conv(2, 'valid'));
      close([[5, 6, 6, 3], [3, 3, 3, 4], [4]], (x, w, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu' }));
      close([[2, 6, 6, 3], [3, 3, 3, 4], [4]], (x, w, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 2, pad: 'valid', bias: b }));
      close([[2, 6, 6, 3], [3, 3, 3, 4]], (x, w) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', activation: 'relu' }));
      close([[2, 6, 6, 3], [3, 3, 3, 4], [1]], (x, w, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu' }));
      expectLikeCpu([[5, 6, 5, 2], [3, 3, 2, 4]], conv(1, 'same'));
      expectLikeCpu([[2, 6, 7, 17], [2, 3, 17, 5]], conv([1, 2], [[0, 0], [1, 2], [2, 0], [0, 0]]));
      expect(forced.map((h) => h.handled)).toEqual([2 + 2, 4, 2]);
    } finally {
      for (const h of forced.reverse()) h.uninstall();
    }
  });

  it('max pools\' gradients are cpu\'s bit for bit: ties to the first maximum, overlapping windows, same padding', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    const { overrides } = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const before = handledBy(overrides, 'MaxPoolGrad');
    const grad = (backend: string, shape: number[], size: number | [number, number], stride: number | [number, number], pad: 'same' | 'valid'): number[] => {
      tf.setBackend(backend);
      return tf.tidy(() => {
        // inputs in halves: windows hold equal maxima
        const x = tf.div(tf.round(tf.mul(tf.randomUniform(shape, -2, 2, 'float32', 7), 2)), 2) as tf.Tensor4D;
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, size, stride, pad), tf.randomUniform(tf.maxPool(x, size, stride, pad).shape, -1, 1, 'float32', 8))))(x);
        return Array.from(g.dataSync());
      });
    };
    // windows apart: three channels (no group of four), eight with same padding (the SIMD module's pass on the pure
    // tier), six (a group of four, then two), strides past the window (inputs no window covers), 37 (vectors of
    // channels and a tail in C++); then overlapping windows (float64 sums)
    const cases: [number[], number | [number, number], number | [number, number], 'same' | 'valid'][] = [
      [[2, 6, 6, 3], 2, 2, 'valid'], [[2, 7, 9, 8], 2, 2, 'same'], [[3, 6, 6, 6], [2, 3], [2, 3], 'valid'], [[2, 7, 7, 4], 2, 3, 'valid'],
      [[2, 5, 7, 37], 2, 2, 'same'],
      [[2, 7, 5, 4], 3, 2, 'same'], [[1, 5, 5, 33], [2, 3], 1, 'valid'],
    ];
    for (const [shape, size, stride, pad] of cases) {
      expect(grad('wasm', shape, size, stride, pad), JSON.stringify([shape, size, stride, pad])).toEqual(grad('cpu', shape, size, stride, pad));
    }
    expect(handledBy(overrides, 'MaxPoolGrad') - before).toBe(cases.length);
  });
});

/** A small CNN (3×3 convolution to 4 channels, ReLU, 2×2 max pool, dense to 3 classes) after three Adam steps on a backend: its weights. */
function trainedCnn(backend: string): number[][] {
  tf.setBackend(backend);
  const v = (shape: number[], seed: number): tf.Variable => tf.variable(tf.randomUniform(shape, -0.5, 0.5, 'float32', seed));
  const [filter, bias, dense] = [v([3, 3, 1, 4], 11), v([4], 12), v([36, 3], 13)];
  const x = tf.randomUniform([5, 6, 6, 1], 0, 1, 'float32', 14) as tf.Tensor4D;
  const y = tf.oneHot(tf.tensor1d([0, 2, 1, 1, 0], 'int32'), 3);
  const opt = tf.train.adam(0.05);
  for (let step = 0; step < 3; step++) {
    opt.minimize(() => {
      const h = tf.maxPool(tf.relu(tf.add(tf.conv2d(x, filter as tf.Tensor4D, 1, 'same'), bias)) as tf.Tensor4D, 2, 2, 'valid');
      return tf.losses.softmaxCrossEntropy(y, tf.matMul(tf.reshape(h, [5, 36]), dense)) as tf.Scalar;
    });
  }
  const out = [filter, bias, dense].map((t) => Array.from(t.dataSync()));
  tf.dispose([filter, bias, dense, x, y]);
  opt.dispose();
  return out;
}

describe.each(['pure', 'native'] as const)('%s tier trains a small CNN', (tier) => {
  it('three Adam steps of a convolutional classifier give cpu\'s weights (the filter updated in place between steps)', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const [want, got] = [trainedCnn('cpu'), trainedCnn('wasm')];
    want.forEach((w, i) => w.forEach((value, j) => expect(Math.abs(got[i]![j]! - value), `weight ${i}[${j}]`).toBeLessThan(2e-5)));
    // the filter moved (each step's forward convolution must multiply by the filter the last step wrote in place)
    tf.setBackend('cpu');
    const start = tf.tidy(() => Array.from(tf.randomUniform([3, 3, 1, 4], -0.5, 0.5, 'float32', 11).dataSync()));
    expect(Math.max(...start.map((value, j) => Math.abs(value - got[0]![j]!)))).toBeGreaterThan(0.05);
  });
});

/** `spec` with every output it computes moved one element left: a kernel off by one. */
function shiftedByOne(spec: KernelOverrideSpec, warn: (m: string) => void): OverrideHandle {
  return installKernelOverride({
    ...spec,
    run: (args, below) => {
      const out = spec.run(args, below);
      if (!out) return null;
      const be = args.backend as unknown as { dataIdMap: Map<object, { memoryOffset: number }>; wasm: { HEAPF32: Float32Array } };
      const o = be.dataIdMap.get(out.dataId as object)!.memoryOffset / 4;
      be.wasm.HEAPF32.copyWithin(o, o + 1, o + out.shape.reduce((p, d) => p * d, 1));
      return out;
    },
  }, warn);
}

/** `spec` given another value for one input: `replace` maps its values (and keeps its shape; `dtype` of the replacement). */
function withInput(spec: KernelOverrideSpec, name: string, dtype: 'float32' | 'int32', replace: (values: Float32Array | Int32Array) => Float32Array | Int32Array, warn: (m: string) => void): OverrideHandle {
  return installKernelOverride({
    ...spec,
    run: (args, below) => {
      const t = args.inputs[name]!;
      const dataId = args.backend.write(replace(args.backend.readSync(t.dataId) as Float32Array), t.shape, dtype);
      try {
        return spec.run({ ...args, inputs: { ...args.inputs, [name]: { dataId, shape: t.shape, dtype } } }, below);
      } finally {
        args.backend.disposeData(dataId);
      }
    },
  }, warn);
}

describe('first-use checks of the gradient kernels', () => {
  it('convolution and depthwise gradients off by one element are caught, and cpu\'s numbers come out', async () => {
    tf.setBackend('wasm');
    await installAcceleration({ tier: 'pure', warn: (m) => expect.fail(m) });
    const warnings: string[] = [];
    const bad = [shiftedByOne(convFilterGradientOverride('wasm'), (m) => warnings.push(m)), shiftedByOne(convInputGradientOverride('wasm'), (m) => warnings.push(m)), shiftedByOne(depthwiseFilterGradientOverride('wasm'), (m) => warnings.push(m))];
    try {
      expectLikeCpu([[2, 6, 6, 2], [3, 3, 2, 3]], conv(1, 'same'));
      expectLikeCpu([[2, 5, 5, 2], [3, 3, 2, 1]], (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'));
      expect(warnings).toHaveLength(3);
      expect(warnings.join('\n')).toMatch(/DepthwiseConv2dNativeBackpropFilter override on wasm disagrees/);
      expect(warnings.join('\n')).toMatch(/Conv2DBackpropFilter override on wasm disagrees/);
      expect(warnings.join('\n')).toMatch(/Conv2DBackpropInput override on wasm disagrees/);
      expect(bad.map((h) => h.active)).toEqual([false, false, false]);
    } finally {
      for (const h of bad.reverse()) h.uninstall();
    }
  });

  it('a forward convolution off by one output and a max pool gradient sent to each window\'s minimum are caught at first use', async () => {
    tf.setBackend('wasm');
    await installAcceleration({ tier: 'pure', warn: (m) => expect.fail(m) });
    const warnings: string[] = [];
    const shiftedConv = shiftedByOne(convForwardOverride('Conv2D', 'wasm'), (m) => warnings.push(m));
    // the input negated: each window's gradient goes to its minimum
    const lastWins = withInput(maxPoolGradientOverride('wasm'), 'input', 'float32', (v) => Float32Array.from(v, (x) => -x), (m) => warnings.push(m));
    try {
      expect(values('wasm', [[2, 5, 5, 2], [3, 3, 2, 3]], conv(1, 'same'))).toEqual(values('cpu', [[2, 5, 5, 2], [3, 3, 2, 3]], conv(1, 'same')).map((v) => expect.closeTo(v, 4)));
      expectLikeCpu([[2, 4, 4, 3]], (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'));
      expect(warnings.join('\n')).toMatch(/Conv2D override on wasm disagrees/);
      expect(warnings.join('\n')).toMatch(/MaxPoolGrad override on wasm disagrees/);
      expect([shiftedConv.active, lastWins.active]).toEqual([false, false]);
    } finally {
      lastWins.uninstall();
      shiftedConv.uninstall();
    }
  });

  it('a segment sum that adds every row to segment 0 is caught at first use', async () => {
    tf.setBackend('wasm');
    await installAcceleration({ tier: 'pure', warn: (m) => expect.fail(m) });
    const warnings: string[] = [];
    const bad = withInput(segmentSumOverride('wasm'), 'segmentIds', 'int32', (v) => new Int32Array(v.length), (m) => warnings.push(m));
    try {
      expectLikeCpu([[5, 3]], (table) => tf.gather(table!, tf.tensor1d([1, 4, 1], 'int32')));
      expect(warnings.join('\n')).toMatch(/UnsortedSegmentSum override on wasm disagrees/);
      expect(bad.active).toBe(false);
    } finally {
      bad.uninstall();
    }
  });
});
