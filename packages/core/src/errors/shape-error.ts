import { VibError, type VibErrorOptions } from './vib-error.js';

/** Thrown when a tensor or array has the wrong shape; the message gives expected and actual shapes. */
export class ShapeError extends VibError {
  /** Always `'ShapeError'`: a stable name that survives minification (unlike `constructor.name`). */
  override readonly name = 'ShapeError';
  /**
   * @param message - what was wrong and what to do
   * @param options - cause and structured details
   */
  constructor(message: string, options: VibErrorOptions = {}) {
    super('E_SHAPE', message, options);
  }
}
