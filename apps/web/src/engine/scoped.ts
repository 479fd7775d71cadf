import * as tf from '@tensorflow/tfjs';

/**
 * Compute a tensor, read it asynchronously and free every tensor the computation made. The read is
 * `await data()`, never `dataSync()`: tfjs-backend-webgpu's synchronous read goes through a WebGPU canvas
 * and a 2-D canvas copy, which on SwiftShader in Chromium loses the GPU instance ("A valid external
 * Instance reference no longer exists") or returns wrong values, and stalls the page on any GPU.
 * @param fn - work that returns the tensor to read
 * @returns its values
 */
export async function readScoped(fn: () => tf.Tensor): Promise<Float32Array> {
  const t = tf.tidy(fn);
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}
