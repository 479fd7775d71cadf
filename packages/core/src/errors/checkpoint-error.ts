import { VibError, type VibErrorOptions } from './vib-error.js';

/** Thrown when a saved model or checkpoint cannot be read or written. */
export class CheckpointError extends VibError {
  /** Always `'CheckpointError'`: a stable name that survives minification (unlike `constructor.name`). */
  override readonly name = 'CheckpointError';
  /**
   * @param message - what was wrong and what to do
   * @param options - cause and structured details
   */
  constructor(message: string, options: VibErrorOptions = {}) {
    super('E_CHECKPOINT', message, options);
  }
}
