import * as tf from '@tensorflow/tfjs';
import { uninstallAcceleration } from '../accel/install-acceleration.js';
import { loadNativeBlas } from '../accel/load-native-blas.js';
import { wasmBackend } from '../plugins/wasm-backend.js';

/** The test runner's file-level hooks (vitest's, passed in: this folder ships in the build, without vitest). */
export interface FileHooks {
  beforeAll(f: () => Promise<void>): void;
  afterAll(f: () => void): void;
}

/**
 * For a test file of the wasm tiers: hooks that set the wasm backend up (stock kernels) before the file's tests and
 * remove every override after them, and the tiers there are to test: `pure` always, `native` once the addon has
 * loaded (the list is filled before the first test runs).
 * @param hooks - the runner's `beforeAll` and `afterAll`
 * @returns the tiers to test
 */
export function tiersUnderTest({ beforeAll, afterAll }: FileHooks): ('pure' | 'native')[] {
  const tiers: ('pure' | 'native')[] = ['pure'];
  beforeAll(async () => {
    await wasmBackend.setup({ tier: 'stock' });
    if ((await loadNativeBlas()).ok) tiers.push('native');
  });
  afterAll(() => {
    uninstallAcceleration();
    tf.setBackend('wasm');
  });
  return tiers;
}
