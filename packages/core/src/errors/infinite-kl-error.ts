import { VibError, type VibErrorOptions } from './vib-error.js';

/** Thrown when KL(p ‖ q) is infinite, e.g. a posterior with support outside a uniform prior's box. */
export class InfiniteKLError extends VibError {
  /** Always `'InfiniteKLError'`: a stable name that survives minification (unlike `constructor.name`). */
  override readonly name = 'InfiniteKLError';
  /**
   * @param message - what was wrong and what to do
   * @param options - cause and structured details
   */
  constructor(message: string, options: VibErrorOptions = {}) {
    super('E_INFINITE_KL', message, options);
  }
}
