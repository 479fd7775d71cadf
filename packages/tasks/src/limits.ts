// The `@vib/tasks/limits` entry: the sizes a config may ask for, as plain numbers. It imports nothing, so a tool
// that only shows these (a command's help, a form's bounds) loads neither TensorFlow.js nor zod.

/**
 * The widest hidden layer a config may ask for: a square layer of 8,192 holds 67M weights, 1 GiB with Adam's two
 * moments and the weights' moving average. A wider one would fail allocating, where the config can say so.
 */
export const MAX_LAYER_WIDTH = 8192;

/** The largest latent size K a config may ask for (the bottleneck holds hidden × 2K weights; Alemi et al. use K ≤ 256). */
export const MAX_LATENT_DIM = 4096;
