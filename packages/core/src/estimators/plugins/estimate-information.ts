import { parseWithPath } from '../../config/parse-with-path.js';
import { ConfigError } from '../../errors/config-error.js';
import type { ActivationEstimateInput, EstimateResult } from '../../plugins/estimator-plugin.js';
import type { Registry } from '../../registry/registry.js';

/**
 * Estimate I(X;T) and I(T;Y) of one layer with the activation estimator registered under `name`
 * (built in: `binning`, `kde-upper`, `kde-lower`; plugins add their own).
 * @param registry - where the estimator is registered
 * @param name - the estimator's registered name
 * @param data - the layer's activations and the labels
 * @param config - the estimator's config (validated against its schema; defaults filled)
 * @returns the estimate (`ixt`, `ity`, extra figures in nats)
 * @throws {@link NoSuchPluginError} for an unknown name, listing the registered estimators
 * @throws {@link ConfigError} for a bad config, or an estimator that reads critic scores instead of activations
 * @example
 * ```ts
 * import { createRegistry, registerEstimators, estimateInformation } from '@vib/core';
 * const registry = createRegistry();
 * registerEstimators(registry);
 * const activations = { data: Float64Array.from([0, 0, 0, 1, 1, 0, 1, 1]), n: 4, d: 2 };
 * const r = estimateInformation(registry, 'binning', { activations, labels: [0, 0, 1, 1] }, { bins: 2 });
 * r.ixt?.bits;
 * ```
 */
export function estimateInformation(registry: Registry, name: string, data: ActivationEstimateInput, config?: unknown): EstimateResult {
  const plugin = registry.get('estimator', name);
  if (plugin.input !== 'activations') {
    const usable = registry.list('estimator').filter((p) => p.input === 'activations').map((p) => p.name);
    throw new ConfigError(
      `estimator "${name}" reads critic scores, not layer activations: use one of ${usable.join(', ')}`,
      { details: { field: 'estimator', value: name } },
    );
  }
  return plugin.estimate(data, parseWithPath(plugin.configSchema, config ?? {}, `estimator "${name}" config`));
}
