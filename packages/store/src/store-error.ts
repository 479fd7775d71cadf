import { VibError, type VibErrorOptions } from '@vib/core/errors';

/** A run-store failure: an unreadable or too-new store file, an unknown or ambiguous run id, a bad filter. */
export class StoreError extends VibError {
  override readonly name = 'StoreError';
  /**
   * @param code - stable code, e.g. `E_NO_SUCH_RUN`
   * @param message - what was wrong, with the value, and what to do
   * @param options - cause and details
   */
  constructor(code: string, message: string, options: VibErrorOptions = {}) {
    super(code, message, options);
  }
}
