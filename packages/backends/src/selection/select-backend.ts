import { BackendError, type Registry } from '@vib/core';
import type { BackendPlugin, BackendSetupOptions, BackendTier, Environment } from '../backend-plugin.js';
import { detectEnvironment } from '../environment.js';
import type { GpuAdapterSummary } from '../plugins/webgpu/adapter-summary.js';

/** Options for {@link selectBackend}. */
export interface SelectBackendOptions extends BackendSetupOptions {
  /** Backend to try first (a plugin name); the others follow by priority. */
  readonly preferred?: string;
  /** Environment to select for; default the detected one. */
  readonly environment?: Environment;
  /** Only try `preferred`; throw instead of falling back. */
  readonly strict?: boolean;
}

/** The backend actually in use after {@link selectBackend}. */
export interface SelectedBackend {
  /** Plugin name (e.g. `wasm`, `tensorflow-gpu`). */
  readonly name: string;
  /** Acceleration tier. */
  readonly tier: BackendTier;
  /** Why this backend and tier, including why higher-priority ones were skipped. */
  readonly reason: string;
  /** Threads of the heavy kernels. */
  readonly threads: number;
  /** The GPU adapter in use, for webgpu. */
  readonly adapter?: GpuAdapterSummary;
  /** Backends tried before it and why each was skipped. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

/**
 * Set up the best available backend: `preferred` first, then by priority, falling back on failure.
 * The preferred backend is probed and set up with `requested: true` (webgpu then accepts a software adapter).
 * @param registry - registry with backend plugins
 * @param options - preferred name, environment, tier, threads
 * @returns the backend actually used and why
 * @throws {@link BackendError} when `preferred` is unknown, or none can be set up (listing each reason)
 * @example
 * ```ts
 * const used = await selectBackend(registry, { preferred: 'wasm' });
 * console.log(`${used.name} (${used.tier}): ${used.reason}`);
 * ```
 */
export async function selectBackend(registry: Registry, options: SelectBackendOptions = {}): Promise<SelectedBackend> {
  const environment = options.environment ?? detectEnvironment();
  const all = [...registry.list('backend')].sort((a, b) => b.priority - a.priority);
  if (options.preferred !== undefined && !all.some((p) => p.name === options.preferred)) {
    throw new BackendError(`unknown backend "${options.preferred}": choose one of ${all.map((p) => p.name).join(', ')}`, {
      details: { preferred: options.preferred },
    });
  }
  const first = all.filter((p) => p.name === options.preferred);
  const order: BackendPlugin[] = options.strict ? first : [...first, ...all.filter((p) => p.name !== options.preferred)];
  const skipped: { name: string; reason: string }[] = [];
  const setupOptions: BackendSetupOptions = {
    ...(options.tier ? { tier: options.tier } : {}),
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.wasmPaths !== undefined ? { wasmPaths: options.wasmPaths } : {}),
  };
  for (const plugin of order) {
    if (!plugin.environments.includes(environment)) {
      skipped.push({ name: plugin.name, reason: `runs in ${plugin.environments.join('/')} only, not ${environment}` });
      continue;
    }
    const requested = plugin.name === options.preferred;
    const availability = await plugin.isAvailable({ requested });
    if (!availability.available) {
      skipped.push({ name: plugin.name, reason: availability.reason });
      continue;
    }
    try {
      const r = await plugin.setup({ ...setupOptions, requested });
      const why = skipped.length ? `; skipped ${skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}` : '';
      const adapter = r.adapter === undefined ? {} : { adapter: r.adapter };
      return { name: plugin.name, tier: r.tier, reason: `${r.reason}${why}`, threads: r.threads, ...adapter, skipped };
    } catch (error) {
      skipped.push({ name: plugin.name, reason: `setup failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  throw new BackendError(`no backend could be set up for ${environment}: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`, {
    details: { skipped },
  });
}
