import type { Registry } from '@vib/core';
import { TASK_SHAPE } from './tasks/task-plugin.js';
import { classificationTask } from './tasks/classification.js';
import { reconstructionTask } from './tasks/reconstruction.js';

/**
 * Register the built-in tasks (`classification`, `reconstruction`) under kind `task`.
 * @param registry - the registry to fill
 * @throws {@link DuplicatePluginError} when a task of the same name is already registered
 * @example
 * ```ts
 * import { createRegistry } from '@vib/core';
 * const registry = createRegistry();
 * registerTasks(registry);
 * registry.names('task'); // ['classification', 'reconstruction']
 * ```
 */
export function registerTasks(registry: Registry): void {
  registry.defineKind('task', TASK_SHAPE);
  registry.register('task', classificationTask);
  registry.register('task', reconstructionTask);
}
