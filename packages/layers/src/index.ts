export { VIBBottleneck, type VIBBottleneckArgs, type BottleneckOutput } from './bottleneck/vib-bottleneck.js';
export {
  bottleneckConfigSchema,
  pluginRefSchema,
  type BottleneckConfig,
  type BottleneckConfigInput,
} from './bottleneck/bottleneck-config.js';
export { posteriorFromHeads, assembleTril, offDiagonalCount, type HeadOutputs } from './bottleneck/gaussian-heads.js';
export { rawToLogVar, rawToScale, SOFTPLUS_SHIFT, type ScaleParameterization } from './bottleneck/scale.js';
export { withRegistry, scopedRegistry } from './bottleneck/registry-scope.js';
export { parseWithPath, showValue } from './config/zod-error.js';
