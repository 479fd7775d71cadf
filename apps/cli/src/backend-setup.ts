import { selectBackend, type SelectedBackend } from '@vib/backends';
import type { Registry } from '@vib/core';

/**
 * Activate a TensorFlow.js backend: `--backend` strictly when given, else the best available one.
 * @param registry - registry with the backend plugins
 * @param preferred - the --backend value, if any
 * @returns the backend in use and why
 * @throws {@link BackendError} when the named backend is unknown or cannot load here
 */
export async function setupBackend(registry: Registry, preferred: string | undefined): Promise<SelectedBackend> {
  return selectBackend(registry, preferred === undefined ? {} : { preferred, strict: true });
}
