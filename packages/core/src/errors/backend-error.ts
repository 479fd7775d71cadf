import { VibError, type VibErrorOptions } from './vib-error.js';

/** Thrown when a requested backend cannot be loaded here; the message says why and what to use instead. */
export class BackendError extends VibError {
  /** Always `'BackendError'`: a stable name that survives minification (unlike `constructor.name`). */
  override readonly name = 'BackendError';
  /**
   * @param message - what was wrong and what to do
   * @param options - cause and structured details
   */
  constructor(message: string, options: VibErrorOptions = {}) {
    super('E_BACKEND', message, options);
  }
}
