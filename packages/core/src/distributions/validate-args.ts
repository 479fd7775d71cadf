import * as tf from '@tensorflow/tfjs';
import { InvalidParameterError } from '../errors/invalid-parameter-error.js';

/** Options every distribution constructor takes. */
export interface DistributionOptions {
  /**
   * Check the parameters when the distribution is built (reads them back: a device sync). Default: the
   * process-wide default, {@link getDefaultValidateArgs} (true). Training passes `false` in its hot path.
   */
  readonly validateArgs?: boolean;
}

let defaultValidateArgs = true;

/**
 * Set whether distributions check their parameters by default (as torch's
 * `Distribution.set_default_validate_args`); a constructor's `validateArgs` option wins over it.
 * @param value - true to check (the default), false to skip
 */
export function setDefaultValidateArgs(value: boolean): void {
  defaultValidateArgs = value;
}

/**
 * Whether distributions check their parameters by default.
 * @returns the current default
 */
export function getDefaultValidateArgs(): boolean {
  return defaultValidateArgs;
}

/** What a parameter must satisfy: `finite`; `positive` (finite and > 0); `not-nan` (±∞ allowed, e.g. logits). */
export type ParameterRule = 'finite' | 'positive' | 'not-nan';

/**
 * Check parameters when validation is on: each value must meet its rule. Skipped on webgpu, which has no
 * synchronous read in Node.
 * @param typeName - the distribution, for messages
 * @param options - the constructor's options
 * @param checks - `[parameter name, tensor, rule]` triples
 * @throws {@link InvalidParameterError} naming the distribution, the parameter, the index and the value
 */
export function validateParameters(typeName: string, options: DistributionOptions | undefined, checks: readonly [string, tf.Tensor, ParameterRule][]): void {
  if (!(options?.validateArgs ?? defaultValidateArgs) || tf.getBackend() === 'webgpu') return;
  for (const [name, t, rule] of checks) {
    const values = t.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      const ok = rule === 'not-nan' ? !Number.isNaN(v) : rule === 'positive' ? Number.isFinite(v) && v > 0 : Number.isFinite(v);
      if (!ok) {
        const need = rule === 'not-nan' ? 'not NaN' : rule === 'positive' ? 'a finite number > 0' : 'a finite number';
        throw new InvalidParameterError(
          `${typeName} ${name}[${i}] is ${v}, but it must be ${need}: check what produced it (or pass { validateArgs: false } to skip this check)`,
          { details: { distribution: typeName, parameter: name, index: i, value: v } },
        );
      }
    }
  }
}

/**
 * Check that low < high elementwise (a box with positive width), when validation is on.
 * @param typeName - the distribution
 * @param options - the constructor's options
 * @param low - lower bounds
 * @param high - upper bounds
 * @throws {@link InvalidParameterError} naming the first empty or inverted interval
 */
export function validateInterval(typeName: string, options: DistributionOptions | undefined, low: tf.Tensor, high: tf.Tensor): void {
  if (!(options?.validateArgs ?? defaultValidateArgs)) return;
  validateParameters(typeName, options, [['low', low, 'finite'], ['high', high, 'finite']]);
  const width = tf.tidy(() => tf.sub(high, low).dataSync());
  for (let i = 0; i < width.length; i++) {
    if (!(width[i]! > 0)) {
      throw new InvalidParameterError(`${typeName} interval ${i} has width ${width[i]} (high ≤ low): give every dimension low < high`, {
        details: { distribution: typeName, parameter: 'high - low', index: i, value: width[i] },
      });
    }
  }
}
