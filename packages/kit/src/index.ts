export { createDefaultRegistry } from './create-default-registry.js';
export { PRESETS, DEFAULT_PRESET, presetConfig, type Preset } from './presets.js';
