import { selectBackend, type SelectedBackend } from '@vib/backends';
import type { Registry } from '@vib/core';
import { THREADS_BOUNDS } from './util/flag-bounds.js';
import { parseCountFlag } from './util/parse-flags.js';
import { pluginFlag } from './util/plugin-flag.js';

/**
 * Activate a TensorFlow.js backend: `--backend` strictly when given, else the best available one.
 * @param registry - registry with the backend plugins
 * @param preferred - the --backend value, if any
 * @param threads - the --threads value, if any: the native tier's threads (products, Adam, draws), the threaded wasm build's threads in the pure tier
 * @returns the backend in use and why
 * @throws {@link CliError} (exit code 2) when `--backend` names no registered backend
 * @throws {@link BackendError} when the named backend cannot load here
 */
export async function setupBackend(registry: Registry, preferred: string | undefined, threads?: number): Promise<SelectedBackend> {
  if (preferred !== undefined) pluginFlag(registry, 'backend', '--backend', preferred);
  return selectBackend(registry, {
    ...(preferred === undefined ? {} : { preferred, strict: true }),
    ...(threads === undefined ? {} : { threads }),
  });
}

/**
 * Parse `--threads`.
 * @param value - the flag's text, if given
 * @returns the thread count, or undefined when not given
 * @throws {@link CliError} unless it is an integer ≥ 1
 */
export function threadsFlag(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseCountFlag('--threads', value, THREADS_BOUNDS);
}
