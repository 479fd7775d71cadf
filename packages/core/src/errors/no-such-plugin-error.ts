import { VibError } from './vib-error.js';

/** Thrown when a registry has no plugin of the asked kind and name; the message lists what is registered. */
export class NoSuchPluginError extends VibError {
  /** Always `'NoSuchPluginError'`: a stable name that survives minification (unlike `constructor.name`). */
  override readonly name = 'NoSuchPluginError';
  /**
   * @param kind - plugin kind, e.g. `prior`
   * @param pluginName - the name that was asked for
   * @param available - names registered for that kind
   */
  constructor(kind: string, pluginName: string, available: readonly string[]) {
    const list = available.length > 0 ? available.join(', ') : '(none registered)';
    super('E_NO_SUCH_PLUGIN', `unknown ${kind} "${pluginName}": registered ${kind}s are ${list}`, {
      details: { kind, name: pluginName, available: [...available] },
    });
  }
}
