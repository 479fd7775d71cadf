import { VibError, type VibErrorOptions } from './vib-error.js';

/** Thrown when a distribution gets a parameter outside its domain: NaN, ±∞, a scale ≤ 0, an empty box. */
export class InvalidParameterError extends VibError {
  /** Always `'InvalidParameterError'`: a stable name that survives minification. */
  override readonly name = 'InvalidParameterError';
  /**
   * @param message - which parameter, the bad value and where, and what to do
   * @param options - cause and structured details
   */
  constructor(message: string, options: VibErrorOptions = {}) {
    super('E_INVALID_PARAMETER', message, options);
  }
}
