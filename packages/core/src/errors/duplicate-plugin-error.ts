import { VibError } from './vib-error.js';

/** Thrown when registering a name that is already taken without asking to override it. */
export class DuplicatePluginError extends VibError {
  /** Always `'DuplicatePluginError'`: a stable name that survives minification (unlike `constructor.name`). */
  override readonly name = 'DuplicatePluginError';
  /**
   * @param kind - plugin kind
   * @param pluginName - the taken name
   */
  constructor(kind: string, pluginName: string) {
    super(
      'E_DUPLICATE_PLUGIN',
      `a ${kind} named "${pluginName}" is already registered; pick another name or pass { override: true }`,
      { details: { kind, name: pluginName } },
    );
  }
}
