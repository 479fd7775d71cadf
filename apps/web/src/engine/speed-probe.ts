import * as tf from '@tensorflow/tfjs';

/** One backend's probe result. */
export interface ProbeTiming {
  readonly name: string;
  /** Median time of one probe step in ms, or null when the backend could not be set up. */
  readonly ms: number | null;
  /** Why it was not measured, when `ms` is null. */
  readonly reason?: string;
}

/**
 * Time a training step the size of the demo's MNIST model (a batch of 100 digits through 784→128→10,
 * forward and backward) on the active backend: two warm-up steps (shader compilation, wasm start-up),
 * then the median of three.
 * @returns milliseconds per step
 */
export async function measureStepMs(): Promise<number> {
  const w1 = tf.variable(tf.randomNormal([784, 128], 0, 0.05, 'float32', 1));
  const w2 = tf.variable(tf.randomNormal([128, 10], 0, 0.05, 'float32', 2));
  const x = tf.randomUniform([100, 784], 0, 1, 'float32', 3);
  const y = tf.oneHot(tf.randomUniform([100], 0, 10, 'int32', 4) as tf.Tensor1D, 10);
  const step = async (): Promise<number> => {
    const t0 = performance.now();
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, tf.matMul(tf.relu(tf.matMul(x, w1)), w2)) as tf.Scalar);
    await Promise.all([value.data(), ...Object.values(grads).map((g) => g.data())]);
    tf.dispose([value, ...Object.values(grads)]);
    return performance.now() - t0;
  };
  try {
    await step();
    await step();
    const times = [await step(), await step(), await step()].sort((a, b) => a - b);
    return times[1]!;
  } finally {
    tf.dispose([w1, w2, x, y]);
  }
}

/**
 * The fastest measured backend (ties go to the earlier one in the list).
 * @param timings - probe results
 * @returns its name, or null when none was measured
 */
export function fastest(timings: readonly ProbeTiming[]): string | null {
  let best: ProbeTiming | null = null;
  for (const t of timings) if (t.ms !== null && (best === null || t.ms < (best.ms ?? Infinity))) best = t;
  return best?.name ?? null;
}

/**
 * Describe probe results for a tooltip or status line, e.g. `wasm 41 ms, webgl 230 ms, webgpu unavailable`.
 * @param timings - probe results
 * @returns one line
 */
export function describeTimings(timings: readonly ProbeTiming[]): string {
  return timings.map((t) => (t.ms === null ? `${t.name} unavailable` : `${t.name} ${t.ms.toFixed(0)} ms`)).join(', ');
}
