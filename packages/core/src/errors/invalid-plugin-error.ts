import { VibError } from './vib-error.js';

/** Thrown when a plugin record lacks a member its kind needs, or has one of the wrong type. */
export class InvalidPluginError extends VibError {
  /** Always `'InvalidPluginError'`: a stable name that survives minification (unlike `constructor.name`). */
  override readonly name = 'InvalidPluginError';
  /**
   * @param kind - plugin kind
   * @param pluginName - the plugin's name
   * @param problems - one phrase per missing or mistyped member, e.g. `create is missing (a function)`
   */
  constructor(kind: string, pluginName: string, problems: readonly string[]) {
    super(
      'E_INVALID_PLUGIN',
      `the ${kind} plugin "${pluginName}" cannot be registered: ${problems.join('; ')}: give it every member its kind needs (for a kind of @vib's, its plugin interface in the API docs lists them)`,
      { details: { kind, name: pluginName, problems } },
    );
  }
}
