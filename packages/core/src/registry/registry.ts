import { DuplicatePluginError } from '../errors/duplicate-plugin-error.js';
import { InvalidPluginError } from '../errors/invalid-plugin-error.js';
import { NoSuchPluginError } from '../errors/no-such-plugin-error.js';
import { shapeProblems, type PluginShape } from './plugin-shape.js';
import type { PluginBase, PluginKind, PluginOf } from './plugin.js';
import { registerCoreInstance } from '../identity/core-instances.js';

registerCoreInstance();

/** What else is wrong with a plugin of a kind (see {@link Registry.defineKind}): one phrase per problem, empty when none. */
export type PluginValidator = (plugin: Readonly<Record<string, unknown>>) => string[];

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
   * @throws {@link InvalidPluginError} when the kind has a shape (see {@link Registry.defineKind}) the plugin does not fit
   */
  register<K extends PluginKind>(kind: K, plugin: PluginOf<K> & PluginBase, options?: RegisterOptions): void;
  /**
   * Say which members a plugin of a kind needs, so that a plugin without them is refused when it is registered
   * (naming what it lacks) rather than failing later where it is used. Each package that defines a kind does this
   * from its register function; a third party can do the same for its own kinds. Defining a kind again adds
   * members; plugins already registered are checked too.
   * @param kind - plugin kind
   * @param shape - member name to type, e.g. `{ create: 'function', configSchema: 'schema' }`
   * @param validate - optional: what else is wrong with a plugin of the kind, as phrases (empty when nothing is),
   *   for rules a type cannot say (a value from a fixed list, a member another one calls for); defining the kind
   *   again with another adds it
   * @throws {@link InvalidPluginError} when a plugin already registered does not fit
   */
  defineKind(kind: PluginKind, shape: PluginShape, validate?: PluginValidator): void;
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
  const shapes = new Map<string, PluginShape>();
  const validators = new Map<string, PluginValidator[]>();
  const check = (kind: string, plugin: PluginBase) => {
    const shape = shapes.get(kind);
    const problems = shape ? shapeProblems(plugin, shape) : [];
    // the validators read members the shape has checked, so they run only on a plugin that fits it
    if (problems.length === 0) for (const v of validators.get(kind) ?? []) problems.push(...v(plugin as unknown as Record<string, unknown>));
    if (problems.length > 0) throw new InvalidPluginError(kind, plugin.name, problems);
  };
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
      if (typeof plugin !== 'object' || plugin === null) throw new InvalidPluginError(kind, '(none)', [`the plugin is ${plugin === null ? 'null' : typeof plugin}, not an object`]);
      if (typeof plugin.name !== 'string' || plugin.name.trim().length === 0) {
        throw new InvalidPluginError(kind, String(plugin.name ?? '(no name)'), ['name is missing or blank (a non-empty string, kebab-case by convention: what configs and flags refer to)']);
      }
      check(kind, plugin);
      const b = bucket(kind);
      if (b.has(plugin.name) && !options.override) throw new DuplicatePluginError(kind, plugin.name);
      b.set(plugin.name, plugin);
    },
    get(kind, name) {
      const p = byKind.get(kind)?.get(name);
      if (!p) throw new NoSuchPluginError(kind, name, [...(byKind.get(kind)?.keys() ?? [])]);
      return p as never;
    },
    defineKind(kind, shape, validate) {
      shapes.set(kind, { ...shapes.get(kind), ...shape });
      if (validate !== undefined && !(validators.get(kind) ?? []).includes(validate)) validators.set(kind, [...(validators.get(kind) ?? []), validate]);
      for (const plugin of byKind.get(kind)?.values() ?? []) check(kind, plugin);
    },
    has: (kind, name) => byKind.get(kind)?.has(name) ?? false,
    list: (kind) => [...(byKind.get(kind)?.values() ?? [])] as never,
    names: (kind) => [...(byKind.get(kind)?.keys() ?? [])],
    kinds: () => [...byKind.entries()].filter(([, b]) => b.size > 0).map(([k]) => k),
  };
}
