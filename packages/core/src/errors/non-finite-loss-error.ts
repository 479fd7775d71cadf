import { VibError, type VibErrorOptions } from './vib-error.js';

/** Thrown when a training loss becomes NaN or infinite; \`details\` holds epoch and batch. */
export class NonFiniteLossError extends VibError {
  /** Always `'NonFiniteLossError'`: a stable name that survives minification (unlike `constructor.name`). */
  override readonly name = 'NonFiniteLossError';
  /**
   * @param message - what was wrong and what to do
   * @param options - cause and structured details
   */
  constructor(message: string, options: VibErrorOptions = {}) {
    super('E_NON_FINITE_LOSS', message, options);
  }
}
