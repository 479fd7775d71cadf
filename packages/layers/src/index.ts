export { VIBBottleneck, type VIBBottleneckArgs, type BottleneckOutput } from './bottleneck/vib-bottleneck.js';
export { parseBottleneckConfig } from './bottleneck/parse-bottleneck-config.js';
export { BOTTLENECK_FORMAT, readSavedBottleneck, writeSavedBottleneck, type SavedBottleneck } from './bottleneck/saved-bottleneck.js';
export { saveControllerState, restoreControllerState } from './controllers/controller-state.js';
export {
  bottleneckConfigSchema,
  pluginRefSchema,
  scaleSchema,
  inferenceSchema,
  klSamplesSchema,
  type BottleneckConfig,
  type BottleneckConfigInput,
} from './bottleneck/bottleneck-config.js';
export {
  posteriorFromHeads,
  assembleTril,
  offDiagonalCount,
  createHeadWeights,
  applyHeads,
  type HeadOutputs,
  type HeadWeight,
  type HeadWeights,
  type AddHeadWeight,
} from './encoder/gaussian-heads.js';
export {
  GaussianEncoder,
  gaussianEncoderConfigSchema,
  gaussianHeadsFields,
  type GaussianEncoderArgs,
  type GaussianEncoderConfig,
  type GaussianEncoderConfigInput,
} from './encoder/gaussian-encoder.js';
export { rawToLogVar, rawToScale, SOFTPLUS_SHIFT, type ScaleParameterization } from './encoder/scale.js';
export { applyLayer } from './dense/apply-layer.js';
export { withRegistry, scopedRegistry } from './bottleneck/registry-scope.js';
export { registerControllers, builtinControllers } from './register.js';
export { fixedController, fixedConfigSchema, type FixedControllerConfig } from './controllers/fixed.js';
export { hingeController, hingeConfigSchema, type HingeControllerConfig } from './controllers/hinge.js';
export { capacityController, capacityConfigSchema, capacityAt, type CapacityControllerConfig } from './controllers/capacity.js';
export { dualAscentController, dualAscentConfigSchema, type DualAscentControllerConfig } from './controllers/dual-ascent.js';
export { freeBitsController, freeBitsConfigSchema, type FreeBitsControllerConfig } from './controllers/free-bits.js';
export { warmupController, warmupConfigSchema, warmupBetaAt, type WarmupControllerConfig } from './controllers/warmup.js';
export { cyclicalController, cyclicalConfigSchema, cyclicalBetaAt, type CyclicalControllerConfig } from './controllers/cyclical.js';
