import { DuplicatePluginError } from '../errors/duplicate-plugin-error.js';
import { NoSuchPluginError } from '../errors/no-such-plugin-error.js';
import type { PluginBase, PluginKind, PluginOf } from './plugin.js';
import { registerCoreInstance } from '../identity/core-instances.js';

registerCoreInstance();

/** Options for {@link Registry.register}. */
export interface RegisterOptions {
  /** Replace a plugin already registered under the same name instead of throwing. */
  override?: boolean;
}

/**
 * A set of plugins by kind and name. Create one with {@link createRegistry} and pass it
 * explicitly; there is no module-level singleton.
 */
export interface Registry {
  /**
   * Add a plugin.
   * @param kind - plugin kind, e.g. `prior`
   * @param plugin - the plugin record; `plugin.name` is its key
   * @param options - `{ override: true }` to replace an existing plugin
   * @throws {@link DuplicatePluginError} when the name is taken and override is not set
   */
  register<K extends PluginKind>(kind: K, plugin: PluginOf<K> & PluginBase, options?: RegisterOptions): void;
  /**
   * Look a plugin up.
   * @param kind - plugin kind
   * @param name - plugin name
   * @returns the plugin record
   * @throws {@link NoSuchPluginError} listing the registered names of that kind
   */
  get<K extends PluginKind>(kind: K, name: string): PluginOf<K>;
  /**
   * Whether a plugin is registered.
   * @param kind - plugin kind
   * @param name - plugin name
   * @returns true when present
   */
  has(kind: PluginKind, name: string): boolean;
  /**
   * All plugins of a kind, in registration order.
   * @param kind - plugin kind
   * @returns the plugin records
   */
  list<K extends PluginKind>(kind: K): PluginOf<K>[];
  /**
   * Names of all plugins of a kind.
   * @param kind - plugin kind
   * @returns names in registration order
   */
  names(kind: PluginKind): string[];
  /**
   * Kinds that have at least one plugin.
   * @returns kind names
   */
  kinds(): string[];
}

/**
 * Create an empty plugin registry.
 * @returns a new registry
 * @example
 * ```ts
 * import { createRegistry } from '@vib/core';
 * const registry = createRegistry();
 * registry.register('greeting', { name: 'hello', description: 'says hello' });
 * registry.get('greeting', 'hello').description; // 'says hello'
 * ```
 */
export function createRegistry(): Registry {
  const byKind = new Map<string, Map<string, PluginBase>>();
  const bucket = (kind: string): Map<string, PluginBase> => {
    let b = byKind.get(kind);
    if (!b) {
      b = new Map();
      byKind.set(kind, b);
    }
    return b;
  };
  return {
    register(kind, plugin, options = {}) {
      if (typeof plugin?.name !== 'string' || plugin.name.length === 0) {
        throw new TypeError(`a ${String(kind)} plugin must have a non-empty string "name"`);
      }
      const b = bucket(kind);
      if (b.has(plugin.name) && !options.override) throw new DuplicatePluginError(kind, plugin.name);
      b.set(plugin.name, plugin);
    },
    get(kind, name) {
      const p = byKind.get(kind)?.get(name);
      if (!p) throw new NoSuchPluginError(kind, name, [...(byKind.get(kind)?.keys() ?? [])]);
      return p as never;
    },
    has: (kind, name) => byKind.get(kind)?.has(name) ?? false,
    list: (kind) => [...(byKind.get(kind)?.values() ?? [])] as never,
    names: (kind) => [...(byKind.get(kind)?.keys() ?? [])],
    kinds: () => [...byKind.entries()].filter(([, b]) => b.size > 0).map(([k]) => k),
  };
}
