import { ConfigError } from '@vib/core';
import type { Registry } from '@vib/core';

let scoped: Registry | undefined;
let queue: Promise<unknown> = Promise.resolve();

/**
 * Run `fn` with `registry` visible to layers that are deserialized meanwhile (tfjs builds custom
 * layers from their config alone, with no way to pass a registry in). Calls are queued, so two
 * concurrent loads with different registries never see each other's.
 * @param registry - the registry that resolves prior and controller names
 * @param fn - the loading work (e.g. `tf.loadLayersModel`)
 * @returns what `fn` returns
 * @example
 * ```ts
 * const model = await withRegistry(registry, () => tf.loadLayersModel(io));
 * ```
 */
export function withRegistry<T>(registry: Registry, fn: () => Promise<T> | T): Promise<T> {
  const run = queue.then(async () => {
    scoped = registry;
    try {
      return await fn();
    } finally {
      scoped = undefined;
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

/**
 * The registry in scope during {@link withRegistry}.
 * @param what - who asks, for the error message
 * @returns the registry
 * @throws {@link ConfigError} outside a {@link withRegistry} scope
 */
export function scopedRegistry(what: string): Registry {
  if (scoped === undefined) {
    throw new ConfigError(
      `${what} needs a plugin registry: pass { registry } when constructing it, or load models with loadVibModel(io, { registry })`,
      { details: { field: 'registry' } },
    );
  }
  return scoped;
}
