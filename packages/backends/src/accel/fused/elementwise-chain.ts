import type { TensorInfo } from '@tensorflow/tfjs';
import { heapOffset } from '../wasm-internals.js';
import type { FusedContext } from './fused-kernel-spec.js';

/**
 * A fresh output shaped like input `names[1]` holding the tier's elementwise chain `op` (a `FUSED_ELEMENTWISE`
 * number) of inputs a, b, c, by name (c defaults to b): the `fast` path of every elementwise fused kernel.
 * @param ctx - the kernel's heap access and the tier's chains
 * @param inputs - the kernel's inputs
 * @param op - the chain
 * @param names - the inputs read as a, b and (for chains that read it) c
 * @returns the output
 */
export function elementwiseChain(ctx: FusedContext, inputs: Record<string, TensorInfo>, op: number, names: [string, string, string?]): TensorInfo {
  const like = inputs[names[1]] as TensorInfo;
  const out = ctx.be.makeOutput(like.shape, 'float32');
  const n = like.shape.reduce((p, d) => p * d, 1);
  const [a, b] = [ctx.offset(names[0]), ctx.offset(names[1])];
  if (n > 0) ctx.elementwise(op, a, b, names[2] ? ctx.offset(names[2]) : b, heapOffset(ctx.be, out), n);
  return out;
}
