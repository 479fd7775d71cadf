import type { Registry } from '@vib/core';
import { studentTPrior } from './student-t-prior.js';

/**
 * Register the `student-t` prior under kind `prior`. Nothing in `@vib/*` changes: any registry
 * that a training run, the CLI or the web demo resolves names through can be given this prior.
 * @param registry - the registry to add it to
 * @throws {@link DuplicatePluginError} when a prior named `student-t` is already registered
 * @example
 * ```ts
 * import { createRegistry } from '@vib/core';
 * import { registerStudentTPrior } from 'vib-prior-student-t';
 * const registry = createRegistry();
 * registerStudentTPrior(registry);
 * registry.get('prior', 'student-t').description;
 * ```
 */
export function registerStudentTPrior(registry: Registry): void {
  registry.register('prior', studentTPrior);
}
