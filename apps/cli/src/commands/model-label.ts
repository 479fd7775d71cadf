import { basename, dirname } from 'node:path';
import type { VibModel } from '@vib/tasks';

/**
 * A short legend label for a loaded model: its run folder's name, and "deterministic" or its β.
 * @param path - the --model value
 * @param vm - the loaded model
 * @returns e.g. `fashion-vib (β=0.001)`
 */
export function modelLabel(path: string, vm: VibModel): string {
  const trimmed = path.replace(/\/+$/, '');
  const name = basename(trimmed) === 'model' ? basename(dirname(trimmed)) : basename(trimmed);
  const kind = vm.config.model === 'deterministic' ? 'deterministic' : `β=${Number(vm.bottleneck.controller.beta.toPrecision(3))}`;
  return `${name} (${kind})`;
}
