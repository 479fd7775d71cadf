export * from './errors/index.js';
export { createRegistry, type Registry, type RegisterOptions } from './registry/registry.js';
export type { PluginBase, PluginKind, PluginKindMap, PluginOf } from './registry/plugin.js';
export { NATS_PER_BIT, natsToBits, bitsToNats, information, type Information } from './units/units.js';
export type { Distribution } from './distributions/distribution.js';
export type { PosteriorFamily, PriorContext, Prior, PriorPlugin } from './plugins/prior-plugin.js';
export type { RateObservation, RateController, ControllerPlugin } from './plugins/controller-plugin.js';
export type { DataSplit, Dataset, DatasetLoadOptions, DatasetPlugin } from './plugins/dataset-plugin.js';
export type {} from './plugins/kinds.js';
