import * as tf from '@tensorflow/tfjs';
import { cpuBackend, type BackendPlugin } from '@vib/backends';

/**
 * The plain-JavaScript backend, imported only when chosen (its own chunk): the page's `@tensorflow/tfjs`
 * is core and layers without backends (src/engine/tfjs-lean.ts). Otherwise @vib/backends' `cpu` plugin.
 */
export const cpuBrowser: BackendPlugin = {
  ...cpuBackend,
  description: 'Plain JavaScript backend (always available, slowest), loaded on demand',
  async setup(options) {
    if (!tf.findBackendFactory('cpu')) await import('@tensorflow/tfjs-backend-cpu');
    return { ...(await cpuBackend.setup(options)), reason: '@tensorflow/tfjs-backend-cpu, loaded on demand' };
  },
};
