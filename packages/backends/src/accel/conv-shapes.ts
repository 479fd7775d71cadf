import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { CheckInput, KernelArgs } from './kernel-types.js';
import { wasmInternals, type WasmBackendInternals } from './wasm-internals.js';

// What the convolution kernels (conv-products.ts, depthwise-gradients.ts) read of a call: the convolution its shapes
// describe, its operands on the wasm heap, and the case its first-use check runs.

/** tfjs's description of a convolution: shapes, strides, padding. */
export type Conv2DInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

/** A window's or a stride's two sizes, from one number or a pair. */
export const pairOf = (v: number | readonly number[]): [number, number] => (typeof v === 'number' ? [v, v] : [v[0] as number, v[1] as number]);

/**
 * A convolution (or, `depthwise`, a depthwise one) of x and a filter of these shapes, NHWC with dilation 1, or null
 * for what these overrides leave below (other layouts and dilations, and no images, positions or channels: the
 * kernels below give the empty or zero result).
 */
export function convInfoOf(x: readonly number[], filterShape: readonly number[] | undefined, attrs: NamedAttrMap, depthwise = false): Conv2DInfo | null {
  if (x.length !== 4 || filterShape?.length !== 4) return null;
  if (attrs['dataFormat'] !== undefined && attrs['dataFormat'] !== 'NHWC') return null;
  const dilations = attrs['dilations'] as number | number[] | undefined;
  if (dilations !== undefined && !tf.backend_util.tupleValuesAreOne(dilations)) return null;
  const info = tf.backend_util.computeConv2DInfo(
    x as [number, number, number, number], filterShape as [number, number, number, number], attrs['strides'] as [number, number], 1,
    attrs['pad'] as 'same', attrs['dimRoundingMode'] as 'floor' | undefined, depthwise, 'channelsLast',
  );
  return info.batchSize * info.outHeight * info.outWidth * info.inChannels * info.outChannels > 0 ? info : null;
}

/**
 * The convolution (or, `depthwise`, the depthwise one) whose gradient a call computes, where dy (float32) has its
 * output's shape, or null.
 */
export function convOf(x: readonly number[], dy: TensorInfo, filterShape: readonly number[] | undefined, attrs: NamedAttrMap, depthwise = false): Conv2DInfo | null {
  const info = dy.dtype === 'float32' && dy.shape.length === 4 ? convInfoOf(x, filterShape, attrs, depthwise) : null;
  const want = info && [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  return info && want && dy.shape.every((d, i) => d === want[i]) ? info : null;
}

/** Which convolution a gradient call's shapes describe (input shape, dy, filter shape, attrs), or null. */
export type ConvOf = (xShape: readonly number[], dy: TensorInfo, filterShape: readonly number[] | undefined, attrs: NamedAttrMap) => Conv2DInfo | null;

/** A depthwise convolution's {@link ConvOf}. */
export const depthwiseOf: ConvOf = (xShape, dy, filterShape, attrs) => convOf(xShape, dy, filterShape, attrs, true);

/** A filter gradient's call ({x, dy}, attrs with the filter's shape) on the wasm heap. */
export interface FilterGradientCall {
  readonly be: WasmBackendInternals;
  readonly x: TensorInfo;
  readonly dy: TensorInfo;
  readonly c: Conv2DInfo;
}

/**
 * A filter gradient's operands and convolution, where `convOf` covers the call.
 * @param args - the call
 * @param of - the convolution its shapes describe
 * @returns the call, or null (then the kernel below answers)
 */
export function filterGradientCall(args: KernelArgs, of: ConvOf): FilterGradientCall | null {
  const be = wasmInternals(args.backend);
  const { x, dy } = args.inputs;
  const c = be && x?.dtype === 'float32' && dy ? of(x.shape, dy, args.attrs['filterShape'] as number[] | undefined, args.attrs) : null;
  return be && x && dy && c ? { be, x, dy, c } : null;
}

/** An input gradient's call ({dy, filter}, attrs with the input's shape) on the wasm heap. */
export interface InputGradientCall {
  readonly be: WasmBackendInternals;
  readonly dy: TensorInfo;
  readonly filter: TensorInfo;
  readonly xShape: number[];
  readonly c: Conv2DInfo;
}

/**
 * An input gradient's operands and convolution, where `convOf` covers the call.
 * @param args - the call
 * @param of - the convolution its shapes describe
 * @returns the call, or null (then the kernel below answers)
 */
export function inputGradientCall(args: KernelArgs, of: ConvOf): InputGradientCall | null {
  const be = wasmInternals(args.backend);
  const { dy, filter } = args.inputs;
  const xShape = args.attrs['inputShape'] as number[] | undefined;
  const c = be && filter?.dtype === 'float32' && dy && xShape ? of(xShape, dy, filter.shape, args.attrs) : null;
  return be && dy && filter && xShape && c ? { be, dy, filter, xShape, c } : null;
}

/**
 * A check case for a call's variant: its strides, padding and filter size, on two images of 2 channels (or
 * `channels`), with 3 filters (or, `depthwise`, a channel multiplier of 2).
 */
export function checkConv(attrs: NamedAttrMap, filterSize: readonly number[], random: () => number, depthwise = false, channels = 2): { x: CheckInput; dy: CheckInput; filter: CheckInput; xShape: number[] } {
  const [kh, kw] = filterSize as [number, number];
  const strides = attrs['strides'] as number | [number, number];
  const [sh, sw] = pairOf(strides);
  const xShape = [2, kh + 2 * sh + 1, kw + 2 * sw + 1, channels];
  const filterShape = [kh, kw, channels, depthwise ? 2 : 3];
  const c = tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], filterShape as [number, number, number, number], strides, 1, attrs['pad'] as 'same', attrs['dimRoundingMode'] as 'floor' | undefined, depthwise);
  const input = (shape: number[]): CheckInput => ({ shape, values: Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, random) });
  return { x: input(xShape), dy: input([2, c.outHeight, c.outWidth, c.outChannels]), filter: input(filterShape), xShape };
}

/** The variant a convolution's (or its gradient's) first-use check covers. */
export const convVariant = (attrs: NamedAttrMap, filterSize: readonly number[] | undefined): string =>
  JSON.stringify([attrs['strides'], attrs['pad'], attrs['dataFormat'], attrs['dimRoundingMode'], filterSize?.slice(0, 2)]);

/**
 * The channels of a first-use check case that takes the same orientation as a call of `channels` input channels
 * under a filter of `window` (filterHeight · filterWidth) positions: 2, or fewer or more to stay on the call's side of
 * `transposedFrom`.
 */
export function checkChannels(window: number, channels: number, transposedFrom: number): number {
  return window * channels >= transposedFrom ? Math.max(2, Math.ceil(transposedFrom / window)) : Math.min(2, channels);
}
