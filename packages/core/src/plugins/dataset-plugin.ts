import type { z } from 'zod';
import type { PluginBase } from '../registry/plugin.js';

/** One split of a dataset, as plain typed arrays (backend-agnostic, nothing to dispose). */
export interface DataSplit {
  /** Inputs, row-major [n, ...inputShape], scaled as the dataset documents (images: [0, 1]). */
  readonly x: Float32Array;
  /** Integer class labels [n] (for unlabeled data: zeros). */
  readonly y: Int32Array;
  /** Number of examples. */
  readonly n: number;
  /** Real-valued targets [n, targetSize] row-major, for regression tasks (absent for class labels only). */
  readonly targets?: Float32Array;
  /**
   * The same inputs as `x`, one byte a value, where the dataset holds them so (image pixels): `x[i]` is
   * `coded.values[coded.codes[i]]`. Readers that take it ({@link copyInputRows}, {@link checkSplit}) leave `x`
   * unbuilt in a split made by {@link byteCodedSplit}, whose `x` is built on first read, and which drops `coded`
   * then. Absent for plain splits; a split that has it must keep the two in agreement.
   */
  readonly coded?: ByteCodedInputs | undefined;
}

/** Inputs as one byte a value and what each byte means: x[i] = values[codes[i]] (see {@link byteCodedSplit}). */
export interface ByteCodedInputs {
  /** One code per input value, row-major [n, ...inputShape]. */
  readonly codes: Uint8Array;
  /** The value of each code: 256 float32 values, e.g. b / 255 for pixels. */
  readonly values: Float32Array;
}

/** A loaded dataset. */
export interface Dataset {
  /** Dataset name (the plugin name or the path it came from). */
  readonly name: string;
  /** Shape of one input, e.g. [28, 28] for MNIST, [12] for the 12-bit task. */
  readonly inputShape: readonly number[];
  /** Number of classes of `y`. */
  readonly numClasses: number;
  /** Optional names of the classes. */
  readonly classNames?: readonly string[];
  /** Whether inputs lie in [0, 1] (so a Bernoulli likelihood fits). */
  readonly inputsInUnitInterval: boolean;
  /**
   * How raw values became `x`, in words, e.g. `'uint8 pixels / 255'` or `'CSV numbers as written'`. Saved
   * models record it, and `vib eval` shows it when data does not fit a model.
   */
  readonly preprocessing?: string;
  /** Width of the real-valued targets of each split (when the splits carry `targets`). */
  readonly targetSize?: number;
  /** The training split, the one a model is fitted on. */
  readonly train: DataSplit;
  /** The held-out test split, used only for evaluation (per-epoch test loss and accuracy, the final report). */
  readonly test: DataSplit;
}

/** Options passed to {@link DatasetPlugin.load}. */
export interface DatasetLoadOptions {
  /** Keep at most this many training examples (the first ones after the fixed split); undefined keeps all. */
  readonly maxTrain?: number | undefined;
  /** Keep at most this many test examples; undefined keeps all. */
  readonly maxTest?: number | undefined;
  /** Called with a fraction in [0, 1] during long loads. */
  readonly onProgress?: (fraction: number) => void;
}

/**
 * A dataset plugin: registered under kind `dataset`.
 * @typeParam C - the parsed config type
 */
export interface DatasetPlugin<C = unknown> extends PluginBase {
  /** Schema of the config (e.g. a directory path). */
  readonly configSchema: z.ZodType<C>;
  /** Environments where `load` works. */
  readonly environments: readonly ('node' | 'browser')[];
  /**
   * Load the data.
   * @param config - validated config
   * @param options - subset sizes, progress
   * @returns the dataset
   * @throws {@link DataError} on missing or malformed data
   */
  load(config: C, options?: DatasetLoadOptions): Promise<Dataset>;
}
