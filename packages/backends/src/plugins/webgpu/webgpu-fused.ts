import * as tf from '@tensorflow/tfjs';
import { denseKernelConfig, FUSED_KERNELS, SOFTPLUS_SCALE } from '@vib/core';
import { ElementwiseProgram, f32Uniforms, RowProgram, rowLoop, type ProgramUniform, type WebGpuBackendLike } from './webgpu-programs.js';

/** Uniform fields of a program and their values, from the inputs' shapes and the attributes. */
interface Uniforms {
  readonly fields: string;
  values(shapes: readonly number[][], attrs: tf.NamedAttrMap): ProgramUniform[];
}

/** One of @vib/core's fused kernels on webgpu: its inputs, and the program that computes it. */
interface FusedSpec {
  readonly kernelName: string;
  /**
 * The kernel's input names; the program reads them as `X0`, `X1`, `X2` in this order, each read through `f32()`:
 * tfjs-webgpu can keep an int32 buffer under a float32 tensor (the labels of a classifier, cast without a copy).
 */
  readonly inputs: readonly string[];
  /** The output's shape, from the inputs' shapes. */
  outputShape(shapes: readonly number[][]): number[];
  /**
   * WGSL statements: of an {@link ElementwiseProgram} (ending in `setOutputAtIndex(index, …);`), or of a
   * {@link RowProgram} where `row` is set.
   */
  readonly body: string;
  readonly uniforms?: Uniforms;
  /** A row program: the input whose [rows, cols] the workgroups take, one row each. */
  readonly row?: number;
}

/**
 * Element-wise: the inputs' elements at `index` as `a`, `b`, `c`, and the value in the stock composition's order,
 * after `prelude`'s statements (which may define more names for it).
 */
const elementwise = (
  kernelName: string,
  inputs: string[],
  value: string,
  extra: { uniforms?: Uniforms; prelude?: string } = {},
): FusedSpec => ({
  kernelName,
  inputs,
  outputShape: (shapes) => [...(shapes[0] as number[])],
  body: `${inputs.map((_, i) => `let ${'abc'[i]} = f32(X${i}[index]);`).join(' ')}${extra.prelude ?? ''}\n          setOutputAtIndex(index, ${value});`,
  ...(extra.uniforms ? { uniforms: extra.uniforms } : {}),
});

/** A WGSL float literal of a number. */
const wgslFloat = (x: number): string => (Number.isInteger(x) ? x.toFixed(1) : String(x));

/**
 * An element-wise kernel of the softplus scale σ = softplus(raw − shift) + floor (@vib/core's SOFTPLUS_SCALE), raw
 * the last input: `t` = raw − shift and `sigma` = softplus(t) + floor are in scope for `value`. softplus(t) =
 * max(t, 0) + log1p(u), u = e^−|t|, with log1p(u) by its series below u = 1/64: WGSL's log is only within 2^−21
 * absolute near 1, so log(1 + u) of a small u (σ near its floor, where log σ² then magnifies the error) lost most of
 * its digits.
 */
const softplusScale = (kernelName: string, inputs: string[], value: string): FusedSpec =>
  elementwise(kernelName, inputs, value, {
    prelude: `
          let t = ${'abc'[inputs.length - 1]} - ${wgslFloat(SOFTPLUS_SCALE.shift)};
          let u = exp(-abs(t));
          let l1p = select(log(1.0 + u), u * (1.0 - u * (0.5 - u * (0.33333334 - u * 0.25))), u < 0.015625);
          let sigma = (max(t, 0.0) + l1p) + ${wgslFloat(SOFTPLUS_SCALE.floor)};`,
  });

/** The row's length, `cols`, of a [rows, cols] input (the second of a row kernel's inputs, or the first). */
const colsUniform = (input: number): Uniforms => ({ fields: 'cols : i32,', values: (shapes) => [{ type: 'int32', data: [(shapes[input] as number[])[1] as number] }] });

/**
 * The row's max m, Σ exp(x − m) as `s`, and (when `t` names the labels) Σ labels as `total`, of logits `x` in the
 * row: each lane over its columns, then combined across the workgroup (the loss, which needs no `total`, makes one
 * reduction fewer).
 */
const softmaxRow = (x: string, t?: string): string => `
          // every lane starts its max at the row's first element (WGSL has no −∞ constant); a row past the last reads
          // nothing it keeps
          var m = select(0.0, f32(${x}[start]), live);
          ${rowLoop(x, 'm = max(m, x);')}
          m = rowMax(m);
          var s = 0.0;${t ? '\n          var total = 0.0;' : ''}
          ${rowLoop(x, `s += exp(x - m);${t ? ` total += f32(${t}[start + c]);` : ''}`)}
          s = rowSum(s);${t ? '\n          total = rowSum(total);' : ''}`;

/**
 * @vib/core's {@link FUSED_KERNELS} on webgpu, one program each where the stock composition runs 3–10 kernels.
 * The element-wise ones follow the stock composition's operations and order. The row ones (the softmax
 * cross-entropy, its gradient, and the Bernoulli negative log-likelihood) take one workgroup per row, whose lanes
 * share its columns and combine their partial max and sums: O(cols) work per row, where the gradient once
 * recomputed its row's softmax for every element (O(cols²)).
 */
const SPECS: readonly FusedSpec[] = [
  elementwise(FUSED_KERNELS.stdNormalKL, ['mu', 'logVar'], '((b + 1.0) - (a * a + exp(b))) * -0.5'),
  elementwise(FUSED_KERNELS.stdNormalKLGrad, ['dy', 'logVar'], '(a * (exp(b) - 1.0)) * 0.5'),
  elementwise(FUSED_KERNELS.reparameterize, ['mu', 'logVar', 'eps'], 'a + exp(b * 0.5) * c'),
  elementwise(FUSED_KERNELS.reparameterizeGrad, ['dy', 'logVar', 'eps'], '((a * c) * exp(b * 0.5)) * 0.5'),
  // tfjs-webgpu's Step: the input where it is NaN, else 1 where it is positive, else 0
  elementwise(FUSED_KERNELS.reluGrad, ['dy', 'y'], 'a * select(select(0.0, 1.0, b > 0.0), b, isnan(b))'),
  softplusScale(FUSED_KERNELS.softplusLogVar, ['raw'], 'log(sigma) * 2.0'),
  softplusScale(FUSED_KERNELS.softplusLogVarGrad, ['dy', 'raw'], '((a * 2.0) / sigma) * (1.0 / (1.0 + exp(-t)))'),
  elementwise(FUSED_KERNELS.emaUpdate, ['average', 'value'], 'a * uniforms.decay + b * uniforms.oneMinusDecay', {
    uniforms: {
      fields: 'decay : f32, oneMinusDecay : f32,',
      values: (_, attrs) => f32Uniforms([Number(attrs['decay']), 1 - Number(attrs['decay'])]),
    },
  }),
  {
    // −Σ_c labels·logSoftmax(logits), one row per workgroup
    kernelName: FUSED_KERNELS.softmaxCrossEntropy,
    inputs: ['logits', 'labels'],
    outputShape: (shapes) => [(shapes[0] as number[])[0] as number],
    body: `${softmaxRow('X0')}
          let lse = log(s);
          var ce = 0.0;
          ${rowLoop('X0', 'ce += ((x - m) - lse) * f32(X1[start + c]);')}
          ce = rowSum(ce);
          if (live && lane == 0) { setOutputAtIndex(row, -ce); }`,
    row: 0,
  },
  {
    // dy·(softmax(logits)·Σ labels − labels), one row per workgroup: its max and sums once, then each element
    kernelName: FUSED_KERNELS.softmaxCrossEntropyGrad,
    inputs: ['dy', 'logits', 'labels'],
    outputShape: (shapes) => [...(shapes[1] as number[])],
    body: `${softmaxRow('X1', 'X2')}
          ${rowLoop('X1', 'setOutputAtIndex(start + c, f32(X0[row]) * ((exp(x - m) / s) * total - f32(X2[start + c])));')}`,
    row: 1,
  },
  {
    // Σ_d softplus(logits) − targets·logits, one row per workgroup; softplus as max(x, 0) + log(1 + e^−|x|)
    kernelName: FUSED_KERNELS.bernoulliNll,
    inputs: ['logits', 'targets'],
    outputShape: (shapes) => [(shapes[0] as number[])[0] as number],
    body: `var nll = 0.0;
          ${rowLoop('X0', 'nll += (max(x, 0.0) + log(1.0 + exp(-abs(x)))) - f32(X1[start + c]) * x;')}
          nll = rowSum(nll);
          if (live && lane == 0) { setOutputAtIndex(row, nll); }`,
    row: 0,
  },
  {
    // dy·(sigmoid(logits) − targets)
    kernelName: FUSED_KERNELS.bernoulliNllGrad,
    inputs: ['dy', 'logits', 'targets'],
    outputShape: (shapes) => [...(shapes[1] as number[])],
    body: `setOutputAtIndex(index, f32(X0[index / uniforms.cols]) * (1.0 / (1.0 + exp(-f32(X1[index]))) - f32(X2[index])));`,
    uniforms: colsUniform(1),
  },
];

/** Names of the kernels {@link registerWebGpuFusedKernels} registers. */
export const WEBGPU_FUSED_KERNELS: readonly string[] = [...SPECS.map((s) => s.kernelName), FUSED_KERNELS.dense];

/**
 * Register @vib/core's fused kernels (KL per dimension, the reparameterized sample, the softmax cross-entropy and
 * Bernoulli losses, their gradients, the softplus scale's log σ² and its gradient, the EMA step) for the webgpu
 * backend: one program each, where the stock composition dispatches 3–10 kernels; and `VibDense`, made of
 * tfjs-webgpu's fused product, so a dense layer is one node of the gradient tape. On tfjs-webgpu a training step is
 * bound by the host's work per dispatch. Idempotent.
 */
export function registerWebGpuFusedKernels(): void {
  // a dense layer as one tape node: tfjs-webgpu's own fused product (bias and ReLU in one program)
  if (tf.getKernel(FUSED_KERNELS.dense, 'webgpu') === undefined) tf.registerKernel(denseKernelConfig('webgpu'));
  for (const spec of SPECS) {
    if (tf.getKernel(spec.kernelName, 'webgpu') !== undefined) continue;
    const names = spec.inputs.map((_, i) => `X${i}`);
    tf.registerKernel({
      kernelName: spec.kernelName,
      backendName: 'webgpu',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const ins = spec.inputs.map((n) => inputs[n] as tf.TensorInfo);
        const shapes = ins.map((t) => t.shape);
        const gpu = backend as unknown as WebGpuBackendLike;
        const key = `vibFused_${spec.kernelName}`;
        if (spec.row !== undefined) {
          const [rows, cols] = shapes[spec.row] as [number, number];
          const uniforms: ProgramUniform[] = [{ type: 'int32', data: [rows] }, { type: 'int32', data: [cols] }];
          return gpu.runWebGPUProgram(new RowProgram(key, names, spec.body, spec.outputShape(shapes), rows), ins, 'float32', uniforms);
        }
        const program = new ElementwiseProgram(key, names, spec.body, spec.outputShape(shapes), spec.uniforms?.fields);
        return gpu.runWebGPUProgram(program, ins, 'float32', spec.uniforms?.values(shapes, attrs ?? {}));
      },
    });
  }
}

/** Remove the kernels {@link registerWebGpuFusedKernels} registered: @vib/core's ops then use the stock composition. */
export function unregisterWebGpuFusedKernels(): void {
  for (const name of WEBGPU_FUSED_KERNELS) if (tf.getKernel(name, 'webgpu') !== undefined) tf.unregisterKernel(name, 'webgpu');
}
