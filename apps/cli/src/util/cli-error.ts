import { VibError, type VibErrorOptions } from '@vib/core';

/** An error of the command line itself (a bad flag value, a missing file); its message is shown as is. */
export class CliError extends VibError {
  override readonly name = 'CliError';
  /**
   * @param message - what was wrong, with the value, and what to do
   * @param options - cause and details
   */
  constructor(message: string, options: VibErrorOptions = {}) {
    super('E_CLI', message, options);
  }
}
