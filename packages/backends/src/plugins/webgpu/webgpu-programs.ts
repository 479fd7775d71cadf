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
