export { createDefaultRegistry } from './create-default-registry.js';
