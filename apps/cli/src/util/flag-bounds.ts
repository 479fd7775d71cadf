import { MAX_LATENT_DIM, MAX_LAYER_WIDTH } from '@vib/tasks/limits';
import type { CountBounds } from './parse-flags.js';
import { usageError } from './cli-error.js';

// Upper bounds of the count flags whose value sizes an allocation. Each is far above what the papers use and
// well inside what a typed array (and a laptop) holds; the help text and the error message show the same numbers.

/** `--latent-dim`: K ≤ 4096 (the bottleneck's layer holds hidden × 2K weights; Alemi et al. use K ≤ 256). */
export const LATENT_DIM_BOUNDS: CountBounds = { max: MAX_LATENT_DIM, why: '(the bottleneck holds hidden × 2K weights)' };

/** `--hidden`: each width ≤ 8192 (a square layer of 8192 is 67M weights, 1 GiB with Adam's moments and the EMA). */
export const HIDDEN_BOUNDS: CountBounds = { max: MAX_LAYER_WIDTH, why: '(a layer holds width² weights)' };

/** `--samples` / `--iw-samples`: S ≤ 10,000 sampled codes per input (Alemi et al. average 12; Burda et al. use 5,000). */
export const SAMPLES_BOUNDS: CountBounds = { max: 10_000, why: '(each batch draws S codes per input)' };

/** `vib interpolate --steps`: 2 to 100 images per path (100 steps of a 28 × 28 image make a PNG about 5,800 px wide). */
export const INTERPOLATION_STEPS_BOUNDS: CountBounds = { min: 2, max: 100, why: '(one image per step in each row of the PNG)' };

/** `vib uncertainty --bins`: at most 1,000 bins in the reliability diagram. */
export const CALIBRATION_BINS_BOUNDS: CountBounds = { max: 1000, why: '(bins of the reliability diagram)' };

/** `--threads`: at most 256 threads of the heavy kernels (the pure tier's threaded wasm build uses at most 8 of them). */
export const THREADS_BOUNDS: CountBounds = { max: 256, why: '(threads of the heavy kernels)' };

/** `vib sweep --jobs`, `vib worker --concurrency`: at most 256 processes, each training one point. */
export const PROCESSES_BOUNDS: CountBounds = { max: 256, why: '(each process trains one point with its own copy of the data)' };

/** `vib infoplane --jobs`: 0 (estimate in the CLI's process) to 64 processes, each running one estimate at a time. */
export const ESTIMATE_PROCESSES_BOUNDS: CountBounds = { min: 0, max: 64, why: '(each process runs one estimate at a time)' };

/** `vib robustness --steps`: at most 1,000 steps of an iterative attack (Madry et al. 2018 attack MNIST with 40 and 100). */
export const ATTACK_STEPS_BOUNDS: CountBounds = { max: 1000, why: '(each step is a forward and a backward pass over the test set)' };

/** The most values one sampled tensor may hold: 2^28 float32 values, 1 GiB. */
export const MAX_TENSOR_VALUES = 2 ** 28;

/**
 * Refuse a sample count whose largest tensor, S × examples per batch × width, would pass
 * {@link MAX_TENSOR_VALUES}: the evaluation draws S codes for each input of a batch and decodes them all at once.
 * @param flag - the flag, e.g. `--samples`
 * @param samples - S
 * @param perBatch - examples per batch (the batch size, or fewer when the split is smaller)
 * @param width - the widest layer the S codes pass through (K, the decoder's layers and its output)
 * @throws {@link CliError} (exit code 2) naming the product and what to lower
 * @example
 * ```ts
 * checkSampleTensor('--samples', 12, 500, 784); // fine: 4.7M values
 * ```
 */
export function checkSampleTensor(flag: string, samples: number, perBatch: number, width: number): void {
  const values = samples * perBatch * width;
  if (values <= MAX_TENSOR_VALUES) return;
  throw usageError(
    `${flag} ${samples} is too big for this model: ${samples} samples × ${perBatch} examples per batch × width ${width} = ${values.toExponential(2)} values at once, more than ${MAX_TENSOR_VALUES} (1 GiB of float32): lower ${flag} (at most ${Math.floor(MAX_TENSOR_VALUES / (perBatch * width))} here) or --max-test`,
    { details: { flag, value: samples, values } },
  );
}
