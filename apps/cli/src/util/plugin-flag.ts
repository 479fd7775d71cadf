import { nearestKey, type PluginKind, type PluginOf, type Registry } from '@vib/core';
import { usageError, type CliError } from './cli-error.js';

/**
 * The usage error for a flag value that names no registered plugin: it lists the registered names of the kind
 * and suggests the nearest one when one is close (`--data mnsit`: did you mean "mnist"?).
 * @param flag - the flag, e.g. `--prior`
 * @param kind - plugin kind, e.g. `prior`
 * @param name - the flag's value
 * @param names - the registered names of that kind
 * @param alternatives - what else the flag takes, e.g. `, a folder of IDX files or a .csv file`
 * @returns the error (exit code 2), with `flag`, `value`, `kind` and `available` in its details
 * @example
 * ```ts
 * unknownPluginError('--prior', 'prior', 'laplce', ['standard-normal', 'laplace']).message;
 * // '--prior laplce: unknown prior "laplce" (did you mean "laplace"?): registered priors are standard-normal, laplace; pass one of them, or --plugin a module that registers "laplce"'
 * ```
 */
export function unknownPluginError(flag: string, kind: string, name: string, names: readonly string[], alternatives = ''): CliError {
  const near = nearestKey(name, names);
  const guess = near === undefined ? '' : ` (did you mean "${near}"?)`;
  return usageError(
    `${flag} ${name}: unknown ${kind} "${name}"${guess}: registered ${kind}s are ${names.length > 0 ? names.join(', ') : '(none)'}; pass one of them${alternatives}, or --plugin a module that registers "${name}"`,
    { details: { flag, value: name, kind, available: [...names] } },
  );
}

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
  if (!registry.has(kind, name)) throw unknownPluginError(flag, kind, name, registry.names(kind));
  return registry.get(kind, name);
}
