import * as tf from '@tensorflow/tfjs';

/** A uniform value for tfjs-webgpu: one scalar field's value. */
export interface ProgramUniform {
  readonly type: 'float32' | 'int32';
  readonly data: number[];
}

/** The part of tfjs-backend-webgpu's backend used here (`runWebGPUProgram`, public in 4.22). */
export interface WebGpuBackendLike {
  runWebGPUProgram(program: object, inputs: tf.TensorInfo[], dtype: 'float32', uniforms?: ProgramUniform[]): tf.TensorInfo;
}

/**
 * A float32 program for tfjs-webgpu with one invocation per output element, `index` its flat index. `body` reads
 * the inputs as it needs: the element-wise programs at `index`, the row programs over a row. tfjs-webgpu writes
 * the shader's header: the bindings (an `array<f32>` per input, named as `variableNames`), the `uniforms` struct
 * (shapes, `size`, then `uniforms`) and `setOutputAtIndex`.
 */
export class ElementwiseProgram {
  readonly outputShape: number[];
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [128, 1, 1];
  readonly size = true;

  /**
   * @param shaderKey - the program's cache key (tfjs adds the shapes)
   * @param variableNames - the inputs' names in WGSL, in the order they are passed
   * @param body - WGSL statements ending in `setOutputAtIndex(index, …);`, with `index` the flat index
   * @param shape - the output's shape
   * @param uniforms - extra uniform fields (`name : f32,` or `name : i32,` each), or undefined
   */
  constructor(
    readonly shaderKey: string,
    readonly variableNames: string[],
    private readonly body: string,
    shape: readonly number[],
    readonly uniforms?: string,
  ) {
    this.outputShape = [...shape];
    this.dispatchLayout = { x: shape.map((_, i) => i) };
    this.dispatch = [Math.ceil(tf.util.sizeFromShape(this.outputShape) / this.workgroupSize[0]), 1, 1];
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${this.body}
        }
      }`;
  }
}

/**
 * Uniform values for tfjs-webgpu, one entry per scalar field (an entry of several values is laid out as a vector or
 * an array, which would not match scalar fields).
 * @param values - the f32 fields' values, in the order the program declares them
 * @returns the entries
 */
export const f32Uniforms = (values: readonly number[]): ProgramUniform[] => values.map((x) => ({ type: 'float32', data: [x] }));

/** Invocations that share one row in a {@link RowProgram}: a power of two. */
export const ROW_WORKGROUP = 64;

/**
 * A float32 program for tfjs-webgpu with one workgroup of {@link ROW_WORKGROUP} invocations per row of a
 * [rows, cols] input: `row` is the row, `lane` the invocation in it, `live` whether the row exists (a dispatch
 * reshaped past the device's limit has workgroups beyond the last row), `start` the row's first element. The lanes
 * take the row's columns in turn ({@link rowLoop}) and combine what they
 * found with `rowMax(v)` and `rowSum(v)` (a tree over the workgroup's memory; both end with every lane holding the
 * result, so each must be reached by every lane: call them outside any branch). The output is written by the lanes
 * as `body` says: one value per row (lane 0) or one per element. The row's work is O(cols), spread over the lanes.
 */
export class RowProgram {
  readonly outputShape: number[];
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [ROW_WORKGROUP, 1, 1];
  readonly size = true;
  readonly uniforms: string;

  /**
   * @param shaderKey - the program's cache key (tfjs adds the shapes)
   * @param variableNames - the inputs' names in WGSL, in the order they are passed
   * @param body - WGSL statements after `row`, `lane`, `live` and `start` are set
   * @param shape - the output's shape
   * @param rows - the rows of the input the workgroups take
   */
  constructor(
    readonly shaderKey: string,
    readonly variableNames: string[],
    private readonly body: string,
    shape: readonly number[],
    rows: number,
  ) {
    this.outputShape = [...shape];
    this.dispatchLayout = { x: [0] };
    // one workgroup per row; tfjs-webgpu folds a dispatch past the device's limit into two or three dimensions
    this.dispatch = [Math.max(rows, 1), 1, 1];
    this.uniforms = 'rows : i32, cols : i32,';
  }

  getUserCode(): string {
    const w = ROW_WORKGROUP;
    return `
      var<workgroup> rowShared : array<f32, ${w}>;
      fn rowSum(v : f32) -> f32 {
        rowShared[localId.x] = v;
        workgroupBarrier();
        for (var width = ${w / 2}u; width > 0u; width = width / 2u) {
          if (localId.x < width) { rowShared[localId.x] = rowShared[localId.x] + rowShared[localId.x + width]; }
          workgroupBarrier();
        }
        let r = rowShared[0];
        workgroupBarrier();
        return r;
      }
      fn rowMax(v : f32) -> f32 {
        rowShared[localId.x] = v;
        workgroupBarrier();
        for (var width = ${w / 2}u; width > 0u; width = width / 2u) {
          if (localId.x < width) { rowShared[localId.x] = max(rowShared[localId.x], rowShared[localId.x + width]); }
          workgroupBarrier();
        }
        let r = rowShared[0];
        workgroupBarrier();
        return r;
      }
      fn main(index : i32) {
        let row = index / ${w};
        let lane = i32(localId.x);
        let live = row < uniforms.rows;
        let start = row * uniforms.cols;
        ${this.body}
      }`;
  }
}

/**
 * A loop of a {@link RowProgram}'s lane over its columns of the row: `c` the column, `x` the element of input `X` there.
 * @param x - the input's WGSL name
 * @param statements - the loop's body
 * @returns WGSL
 */
export const rowLoop = (x: string, statements: string): string =>
  `for (var c = lane; live && c < uniforms.cols; c += ${ROW_WORKGROUP}) { let x = f32(${x}[start + c]); ${statements} }`;
