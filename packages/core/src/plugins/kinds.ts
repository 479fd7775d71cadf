import type { ControllerPlugin } from './controller-plugin.js';
import type { DatasetPlugin } from './dataset-plugin.js';
import type { EstimatorPlugin } from './estimator-plugin.js';
import type { PriorPlugin } from './prior-plugin.js';

declare module '../registry/plugin.js' {
  interface PluginKindMap {
    prior: PriorPlugin<any>;
    controller: ControllerPlugin<any>;
    dataset: DatasetPlugin<any>;
    estimator: EstimatorPlugin<any>;
  }
}

export {};
