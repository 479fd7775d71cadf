import type { TensorInfo } from '@tensorflow/tfjs';
import type { CheckInput, KernelArgs, KernelOverrideSpec } from './kernel-types.js';
import { simdKernels } from './simd-kernels.js';
import { heapOffset, wasmInternals } from './wasm-internals.js';

const sizeOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/**
 * Sums of fewer elements go to the stock kernel: at 100 × 10 it took 0.010 ms and this override 0.019, at 100 × 1,024
 * they were even (0.029 and 0.026 ms).
 */
export const BIAS_ADD_FROM = 1 << 14;

/** An `Add` of a bias: the whole operand, the bias (one value per last-axis column), which input the bias is. */
interface BiasAdd {
  readonly x: TensorInfo;
  readonly bias: TensorInfo;
  readonly cols: number;
  readonly biasInput: 'a' | 'b';
}

/**
 * The call as an Add of a bias to {@link BIAS_ADD_FROM} elements or more, or null: float32 operands, one of them (the
 * bias) of shape [n], [1, n], [1, 1, n], … of no higher rank than the other, whose last axis has the same n columns,
 * so that the sum has the other's shape.
 */
function biasAddOf(args: KernelArgs): BiasAdd | null {
  const { a, b } = args.inputs;
  if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  for (const [x, bias, biasInput] of [[a, b, 'b'], [b, a, 'a']] as const) {
    const cols = x.shape[x.shape.length - 1] ?? 0;
    const rowBias = bias.shape.length >= 1 && bias.shape.every((d, i) => d === (i === bias.shape.length - 1 ? cols : 1));
    if (cols > 0 && rowBias && bias.shape.length <= x.shape.length) return sizeOf(x.shape) >= BIAS_ADD_FROM ? { x, bias, cols, biasInput } : null;
  }
  return null;
}

/**
 * `Add` of a bias to a float32 tensor (a convolution's or a dense layer's output plus one value per channel, as tfjs
 * runs `tf.fused.conv2d` with a ReLU under a gradient, and `tf.layers` with a bias) in one pass of the SIMD module:
 * out[r][j] = x[r][j] + bias[j], the stock kernel's float32 sums bit for bit. tfjs-backend-wasm 4.22's Add with that
 * broadcast took 1.6 ms for 100 images of 28×28×32 plus 32 biases (2-core Zen 4), this pass 0.4 ms; its Add of two
 * tensors of one shape took as long as this would and stays. Sums of fewer than {@link BIAS_ADD_FROM} elements, other
 * broadcasts, other dtypes, and engines without wasm SIMD go to the stock kernel.
 * @param backendName - backend, e.g. `wasm`
 * @returns the override spec
 */
export function biasAddOverride(backendName: string): KernelOverrideSpec {
  return {
    kernelName: 'Add',
    backendName,
    tier: 'pure',
    run: (args: KernelArgs): TensorInfo | null => {
      const be = wasmInternals(args.backend);
      const simd = be && simdKernels(be);
      const call = simd ? biasAddOf(args) : null;
      if (!be || !simd || !call) return null;
      const out = be.makeOutput(call.x.shape, 'float32');
      simd.biasAddFrom(heapOffset(be, call.x), heapOffset(be, out), sizeOf(call.x.shape) / call.cols, call.cols, heapOffset(be, call.bias));
      return out;
    },
    // the bias's side and rank, the other's rank, and whether the columns leave a tail to the scalar loop
    variantKey: (args) => {
      const call = biasAddOf(args);
      return call ? `${call.biasInput}:${call.bias.shape.length}:${call.x.shape.length}:${call.cols % 4}` : 'other';
    },
    checkCase: (args, random) => {
      const call = biasAddOf(args);
      if (!call) return null;
      // the call's ranks and side, as many columns past a multiple of 4 as the call has, and just enough rows
      const cols = 4 + (call.cols % 4);
      const xShape = call.x.shape.map((_, i) => (i === call.x.shape.length - 1 ? cols : i === 0 ? Math.ceil(BIAS_ADD_FROM / cols) : 1));
      const biasShape = call.bias.shape.map((_, i) => (i === call.bias.shape.length - 1 ? cols : 1));
      const input = (shape: number[]): CheckInput => ({ shape, values: Float32Array.from({ length: sizeOf(shape) }, () => 4 * random()) });
      const [x, bias] = [input(xShape), input(biasShape)];
      return { inputs: call.biasInput === 'b' ? { a: x, b: bias } : { a: bias, b: x }, attrs: {} };
    },
    tolerance: { atol: 0, rtol: 0 },
  };
}
