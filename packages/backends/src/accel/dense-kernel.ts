import * as tf from '@tensorflow/tfjs';
import { denseKernelConfig, FUSED_KERNELS } from '@vib/core';
import type { OverrideHandle } from './install-override.js';

/**
 * Register `@vib/core`'s `VibDense` kernel on wasm, made of the `_FusedMatMul` kernel registered there at each call:
 * the tier's override (its product with the bias and ReLU in the epilogue, and that override's first-use
 * self-check). `fusedDense` then records a dense layer as one node of the gradient tape instead of three kernels
 * and their saved copies.
 * @param tier - the tier installing it, for reports
 * @returns a handle; `uninstall` removes the registration made here
 */
export function installDenseKernel(tier: 'pure' | 'native'): OverrideHandle {
  const config = denseKernelConfig('wasm');
  let handled = 0;
  const kernelFunc: tf.KernelFunc = (args) => {
    handled++;
    return config.kernelFunc(args);
  };
  if (tf.getKernel(FUSED_KERNELS.dense, 'wasm') !== undefined) tf.unregisterKernel(FUSED_KERNELS.dense, 'wasm');
  tf.registerKernel({ ...config, kernelFunc });
  return {
    kernelName: FUSED_KERNELS.dense,
    backendName: 'wasm',
    tier,
    // the product is checked by the _FusedMatMul override it calls, not here
    active: true,
    get handled() {
      return handled;
    },
    checks: new Map(),
    uninstall() {
      if (tf.getKernel(FUSED_KERNELS.dense, 'wasm')?.kernelFunc === kernelFunc) tf.unregisterKernel(FUSED_KERNELS.dense, 'wasm');
    },
  };
}
