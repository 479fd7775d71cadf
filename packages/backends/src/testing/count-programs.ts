import * as tf from '@tensorflow/tfjs';

/**
 * How many GPU programs `f` runs on the current backend: tfjs-webgpu's `runWebGPUProgram` calls (0 on a backend
 * without it).
 * @param f - the work, run once
 * @returns its result and the count
 */
export function countWebGpuPrograms<T>(f: () => T): { result: T; programs: number } {
  const be = tf.backend() as unknown as { runWebGPUProgram?: (...a: unknown[]) => unknown };
  const run = be.runWebGPUProgram;
  let programs = 0;
  if (run) be.runWebGPUProgram = (...a: unknown[]) => (programs++, run.apply(be, a));
  try {
    return { result: f(), programs };
  } finally {
    if (run) be.runWebGPUProgram = run;
  }
}
