export { infoPlaneSpec, type PlaneSpecPoint, type PlaneSpecOptions } from './info-plane-spec.js';
