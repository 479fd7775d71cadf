export {
  infoPlaneSpec,
  infoPlanePanel,
  BOTTLENECK_LAYER,
  IXT_CEILING_SLACK_BITS,
  atIxtCeiling,
  type PlaneSpecPoint,
  type PlaneSpecOptions,
} from './info-plane-spec.js';
export { infoPlaneGridSpec, type PlaneGridPoint, type PlaneGridOptions } from './info-plane-grid-spec.js';
export { scoreHistogramSpec, type HistogramBins, type ScoreHistogramOptions } from './score-histogram-spec.js';
