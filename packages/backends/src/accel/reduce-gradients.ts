import * as tf from '@tensorflow/tfjs';

/**
 * dy reshaped to x's rank with a 1 on each reduced axis, and tfjs's float32 1-filled tensor of x's shape made by the
 * backend's `Fill` kernel: tfjs's own gradients of Sum and Mean build that tensor with `tf.ones`, a JavaScript array
 * written to the backend (129 µs for [100, 256] on wasm, where `Fill` takes a few).
 */
function broadcastParts(dy: tf.Tensor, x: tf.Tensor, axis: unknown): { expanded: tf.Tensor; ones: tf.Tensor; reduceSize: number } {
  const axes = tf.util.parseAxisParam(axis as number | number[], x.shape);
  const shape = x.shape.slice();
  for (const a of axes) shape[a] = 1;
  const reduceSize = axes.reduce((p, a) => p * (x.shape[a] as number), 1);
  return { expanded: tf.reshape(dy, shape), ones: tf.fill(x.shape, 1, 'float32'), reduceSize };
}

/** Sum's gradient: tfjs's dy·1 broadcast to x, with the ones from `Fill`. */
const SUM_GRADIENT: tf.GradConfig = {
  kernelName: 'Sum',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => ({
    x: () => {
      const { expanded, ones } = broadcastParts(dy as tf.Tensor, (saved as tf.Tensor[])[0] as tf.Tensor, attrs['axis']);
      return tf.mul(expanded, ones);
    },
  }),
};

/** Mean's gradient: tfjs's dy·1 broadcast to x, divided by the count, with the ones from `Fill`. */
const MEAN_GRADIENT: tf.GradConfig = {
  kernelName: 'Mean',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => ({
    x: () => {
      const { expanded, ones, reduceSize } = broadcastParts(dy as tf.Tensor, (saved as tf.Tensor[])[0] as tf.Tensor, attrs['axis']);
      return tf.div(tf.mul(expanded, ones), reduceSize);
    },
  }),
};

/** The gradients registered before ours, by kernel name, while ours are installed. */
const replaced = new Map<string, tf.GradConfig | undefined>();

/**
 * Register gradients of Sum and Mean that make their tensor of ones with the backend's `Fill` kernel instead of a
 * JavaScript array: the same operations otherwise (dy reshaped, times ones, Mean's divided by the count), so the
 * same values on every backend. tfjs's gradient registry is global, so this holds for every backend while it is
 * installed. Idempotent.
 */
export function installReduceGradients(): void {
  for (const config of [SUM_GRADIENT, MEAN_GRADIENT]) {
    const current = tf.getGradient(config.kernelName);
    if (current === config) continue;
    replaced.set(config.kernelName, current);
    tf.registerGradient(config);
  }
}

/** Put back the gradients {@link installReduceGradients} replaced, where ours are still the ones registered. */
export function uninstallReduceGradients(): void {
  for (const config of [SUM_GRADIENT, MEAN_GRADIENT]) {
    const before = replaced.get(config.kernelName);
    if (tf.getGradient(config.kernelName) === config && before) tf.registerGradient(before);
    replaced.delete(config.kernelName);
  }
}
