export { infoPlaneSpec, type PlaneSpecPoint, type PlaneSpecOptions } from './info-plane-spec.js';
export { infoPlaneGridSpec, type PlaneGridPoint, type PlaneGridOptions } from './info-plane-grid-spec.js';
