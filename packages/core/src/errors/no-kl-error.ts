import { VibError, type VibErrorOptions } from './vib-error.js';

/** Thrown when no KL rule is registered for a pair and no Monte Carlo fallback is possible. */
export class NoKLError extends VibError {
  /** Always `'NoKLError'`: a stable name that survives minification (unlike `constructor.name`). */
  override readonly name = 'NoKLError';
  /**
   * @param message - what was wrong and what to do
   * @param options - cause and structured details
   */
  constructor(message: string, options: VibErrorOptions = {}) {
    super('E_NO_KL', message, options);
  }
}
