import type { PluginKind, PluginOf, Registry } from '@vib/core';
import { usageError } from './cli-error.js';

/**
 * Look up the plugin a flag names (`--prior laplace`, `--task reconstruction`, `--backend cpu`): an unknown
 * name is a usage error (exit code 2) that lists the registered names of that kind.
 * @param registry - the CLI's registry, with the `--plugin` modules loaded
 * @param kind - plugin kind, e.g. `prior`
 * @param flag - the flag, e.g. `--prior`
 * @param name - its value
 * @returns the plugin
 * @throws {@link CliError} when no plugin of that kind has the name
 * @example
 * ```ts
 * pluginFlag(registry, 'prior', '--prior', 'laplace').name; // 'laplace'
 * ```
 */
export function pluginFlag<K extends PluginKind>(registry: Registry, kind: K, flag: string, name: string): PluginOf<K> {
  if (!registry.has(kind, name)) {
    const names = registry.names(kind);
    throw usageError(
      `${flag} ${name}: unknown ${kind} "${name}": registered ${kind}s are ${names.length > 0 ? names.join(', ') : '(none)'}; pass one of them, or --plugin a module that registers "${name}"`,
      { details: { flag, value: name, kind, available: names } },
    );
  }
  return registry.get(kind, name);
}
