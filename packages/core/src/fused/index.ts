export { FUSED_KERNELS, hasFusedKernel, runFused, type FusedGradient, type FusedKernelName } from './fused-op.js';
export { stdNormalKLPerDim } from './std-normal-kl.js';
export { reparameterize } from './reparameterize.js';
export { softmaxCrossEntropyRows } from './softmax-cross-entropy.js';
export { bernoulliNllRows } from './bernoulli-nll.js';
export { SOFTPLUS_SCALE, softplusLogVar } from './softplus-log-var.js';
export { emaUpdate } from './ema-update.js';
export { denseKernelConfig, fusedDense, type DenseActivation } from './dense.js';
export { assignEma, setEmaInPlace, type EmaInPlace } from './ema-assign.js';
