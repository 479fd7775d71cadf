import { VibError, type VibErrorOptions } from './vib-error.js';

/**
 * Thrown when a Monte Carlo KL(p ‖ q) estimate is negative beyond what sampling can explain: a log-density that is
 * not normalized (a constant left out), or a `sample` that does not draw from its own density.
 */
export class NegativeKLError extends VibError {
  /** Always `'NegativeKLError'`: a stable name that survives minification (unlike `constructor.name`). */
  override readonly name = 'NegativeKLError';
  /**
   * @param message - what was wrong and what to do
   * @param options - cause and structured details
   */
  constructor(message: string, options: VibErrorOptions = {}) {
    super('E_NEGATIVE_KL', message, options);
  }
}
