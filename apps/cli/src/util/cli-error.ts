import { VibError, type VibErrorOptions } from '@vib/core/errors';

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

/**
 * A usage error: a bad flag value, or flags that contradict each other. `vib` exits with code 2 for it.
 * @param message - `<flag> <value> ...: <what to do>`
 * @param options - cause and further details
 * @returns the error, with `details.exitCode` 2
 * @example
 * ```ts
 * throw usageError('--steps 1 is out of range: it must be an integer from 2 to 100, e.g. --steps 10');
 * ```
 */
export function usageError(message: string, options: VibErrorOptions = {}): CliError {
  return new CliError(message, { ...options, details: { ...options.details, exitCode: 2 } });
}

/**
 * Whether a thrown value is a usage error (`details.exitCode` 2): one the command line's own flags caused.
 * @param error - what was thrown
 * @returns true for a usage error
 * @example
 * ```ts
 * isUsageError(usageError('--steps 1 is out of range: it must be an integer from 2 to 100, e.g. --steps 10')); // true
 * ```
 */
export function isUsageError(error: unknown): boolean {
  return VibError.isInstance(error) && error.details['exitCode'] === 2;
}
