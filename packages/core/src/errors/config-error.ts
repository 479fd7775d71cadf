import { VibError, type VibErrorOptions } from './vib-error.js';

/** Thrown when a configuration value or flag is invalid; \`details.field\` names the field. */
export class ConfigError extends VibError {
  /** Always `'ConfigError'`: a stable name that survives minification (unlike `constructor.name`). */
  override readonly name = 'ConfigError';
  /**
   * @param message - what was wrong and what to do
   * @param options - cause and structured details
   */
  constructor(message: string, options: VibErrorOptions = {}) {
    super('E_CONFIG', message, options);
  }
}
