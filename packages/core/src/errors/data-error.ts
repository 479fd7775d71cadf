import { VibError, type VibErrorOptions } from './vib-error.js';

/** Thrown when a data file is missing, truncated or malformed; \`details.file\` names the file. */
export class DataError extends VibError {
  /** Always `'DataError'`: a stable name that survives minification (unlike `constructor.name`). */
  override readonly name = 'DataError';
  /**
   * @param message - what was wrong and what to do
   * @param options - cause and structured details
   */
  constructor(message: string, options: VibErrorOptions = {}) {
    super('E_DATA', message, options);
  }
}
