import * as tf from '@tensorflow/tfjs';
import { float32Gradients, momentSlot, type AdamFields, type Apply, type Grads } from '../../accel/adam-fields.js';
import { ElementwiseProgram, f32Uniforms, type WebGpuBackendLike } from './webgpu-programs.js';

/** Which of Adam's results a program writes: the first moment, the second, or the parameter. */
type Part = 'm' | 'v' | 'p';

/**
 * The new first moment, second moment and parameter, as tfjs's Adam computes them (same operations in the
 * same order, in float32): m' = m·β₁ + g·(1−β₁), v' = v·β₂ + g²·(1−β₂),
 * p' = (m'/(1−β₁ᵗ)) / (√(v'/(1−β₂ᵗ)) + ε) · (−lr) + p, with β₁ᵗ and β₂ᵗ read from the optimizer's accBeta
 * variables on the GPU (no read back to the host). The gradient is read through `f32()`: tfjs-webgpu can keep an
 * int32 buffer under a float32 tensor (a cast without a copy).
 */
const WGSL: Record<Part, string> = {
  m: 'f32(G[index]) * uniforms.oneMinusBeta1 + M[index] * uniforms.beta1',
  v: '(f32(G[index]) * f32(G[index])) * uniforms.oneMinusBeta2 + V[index] * uniforms.beta2',
  p: '(newM / (1.0 - A1[0])) / (sqrt(newV / (1.0 - A2[0])) + uniforms.epsilon) * uniforms.negLr + P[index]',
};
const INPUTS: Record<Part, string[]> = { m: ['G', 'M'], v: ['G', 'V'], p: ['G', 'M', 'V', 'P', 'A1', 'A2'] };
const ADAM_UNIFORMS = 'beta1 : f32, oneMinusBeta1 : f32, beta2 : f32, oneMinusBeta2 : f32, epsilon : f32, negLr : f32,';

/** One of the three element-wise programs of the update; each reads the old state and writes one new tensor. */
const adamProgram = (part: Part, shape: number[]): ElementwiseProgram =>
  new ElementwiseProgram(`vibAdam_${part}`, INPUTS[part], `${part === 'p' ? `let newM = ${WGSL.m};\n          let newV = ${WGSL.v};\n          ` : ''}setOutputAtIndex(index, ${WGSL[part]});`, shape, ADAM_UNIFORMS);

let enabled = true;
const MARK = Symbol.for('vib.webgpuFusedAdam');

/**
 * Turn the fused webgpu Adam update on or off (on by default once {@link installWebGpuAdam} ran): for benches
 * and tests that compare it with tfjs's own update.
 * @param on - whether webgpu Adam steps use it
 */
export function setWebGpuFusedAdam(on: boolean): void {
  enabled = on;
}

/**
 * Replace tf.AdamOptimizer's update on the webgpu backend with three element-wise programs per variable (the
 * new first moment, second moment and parameter), instead of the dozen kernels tfjs dispatches per variable:
 * on tfjs-webgpu a train step is bound by the host's work per dispatch, not by the GPU. Other backends, and
 * steps with a missing or non-float32 gradient, go to the update that was installed before (wasm's fused one,
 * or tfjs's own). Idempotent.
 */
export function installWebGpuAdam(): void {
  const current = tf.AdamOptimizer.prototype.applyGradients as Apply & { [MARK]?: true };
  if (current[MARK]) return;
  const previous = current;
  const fused = function (this: tf.AdamOptimizer, grads: Grads) {
    const list = enabled && tf.getBackend() === 'webgpu' ? float32Gradients(grads) : null;
    if (!list) {
      previous.call(this, grads);
      return;
    }
    const be = tf.backend() as unknown as WebGpuBackendLike;
    const o = this as unknown as AdamFields;
    const uniforms = f32Uniforms([o.beta1, 1 - o.beta1, o.beta2, 1 - o.beta2, o.epsilon, -o.learningRate]);
    const run = (part: Part, inputs: tf.TensorInfo[], shape: number[]): tf.Tensor =>
      tf.engine().makeTensorFromTensorInfo(be.runWebGPUProgram(adamProgram(part, shape), inputs, 'float32', uniforms));
    list.forEach(({ name, tensor: g }, i) => {
      const p = tf.engine().registeredVariables[name] as tf.Variable;
      const m = momentSlot(o.accumulatedFirstMoment, i, name, 'm');
      const v = momentSlot(o.accumulatedSecondMoment, i, name, 'v');
      const next = [run('p', [g, m, v, p, o.accBeta1, o.accBeta2], p.shape), run('m', [g, m], p.shape), run('v', [g, v], p.shape)] as const;
      [p, m, v].forEach((target, j) => {
        target.assign(next[j] as tf.Tensor);
        (next[j] as tf.Tensor).dispose();
      });
    });
    tf.tidy(() => {
      o.accBeta1.assign(tf.mul(o.accBeta1, o.beta1));
      o.accBeta2.assign(tf.mul(o.accBeta2, o.beta2));
    });
    o.incrementIterations();
  };
  (fused as typeof fused & { [MARK]?: true })[MARK] = true;
  tf.AdamOptimizer.prototype.applyGradients = fused as never;
}
