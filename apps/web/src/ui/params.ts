import { ConfigError } from '@vib/core';
import { BROWSER_BACKENDS, type BrowserBackendName } from '../engine/browser-backends-names.js';
import type { DemoDatasetName } from '../engine/demo-data.js';

/** Priors the page offers (names of @vib/priors plugins). */
export const DEMO_PRIORS = ['standard-normal', 'uniform', 'mixture-of-gaussians'] as const;

/** The page's settings, from the URL query (so a link or a test can set them). */
export interface DemoParams {
  readonly backend: BrowserBackendName;
  readonly dataset: DemoDatasetName;
  /** Training examples to use. */
  readonly train: number;
  /** Test examples to use. */
  readonly test: number;
  /** Epochs per press of Train. */
  readonly epochs: number;
  /** β, the rate weight. */
  readonly beta: number;
  readonly prior: (typeof DEMO_PRIORS)[number];
  /** Latent dimension K. */
  readonly k: number;
  /** Start training once loaded. */
  readonly autostart: boolean;
}

/** Defaults: the fastest backend measured here, MNIST digits, 2,000 training examples, β = 10⁻³, K = 2 (Alemi et al.'s Figure 2). */
export const DEFAULT_PARAMS: DemoParams = {
  backend: 'auto',
  dataset: 'mnist',
  train: 2000,
  test: 500,
  epochs: 10,
  beta: 1e-3,
  prior: 'standard-normal',
  k: 2,
  autostart: false,
};

function oneOf<T extends string>(key: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`URL parameter ${key}=${value} is not one of ${allowed.join(', ')}`, { details: { field: key, value } });
  }
  return value as T;
}

function number(key: string, value: string, lo: number, hi: number, integer: boolean): number {
  const v = Number(value);
  if (!Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw new ConfigError(`URL parameter ${key}=${value} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}]`, {
      details: { field: key, value },
    });
  }
  return v;
}

/**
 * Read the page settings from a query string, filling in defaults.
 * @param search - e.g. `?backend=cpu&dataset=tishby-12bit&epochs=3`
 * @returns the settings
 * @throws {@link ConfigError} naming the parameter and value when one is unknown or out of range
 * @example
 * ```ts
 * parseParams('?beta=0.01&k=2').beta; // 0.01
 * ```
 */
export function parseParams(search: string): DemoParams {
  const q = new URLSearchParams(search);
  const known = new Set(Object.keys(DEFAULT_PARAMS));
  for (const key of q.keys()) {
    // `tfjsflags` belongs to TensorFlow.js (e.g. `tfjsflags=WEBGL_PACK:false`); it reads it from the URL itself.
    if (key !== 'tfjsflags' && !known.has(key)) throw new ConfigError(`unknown URL parameter "${key}": use ${[...known].join(', ')}`, { details: { field: key } });
  }
  const get = (k: keyof DemoParams): string | null => q.get(k);
  const d = DEFAULT_PARAMS;
  const p = {
    backend: get('backend') === null ? d.backend : oneOf('backend', get('backend')!, BROWSER_BACKENDS),
    dataset: get('dataset') === null ? d.dataset : oneOf('dataset', get('dataset')!, ['mnist', 'tishby-12bit'] as const),
    train: get('train') === null ? d.train : number('train', get('train')!, 16, 8000, true),
    test: get('test') === null ? d.test : number('test', get('test')!, 16, 2000, true),
    epochs: get('epochs') === null ? d.epochs : number('epochs', get('epochs')!, 1, 500, true),
    beta: get('beta') === null ? d.beta : number('beta', get('beta')!, 1e-7, 10, false),
    prior: get('prior') === null ? d.prior : oneOf('prior', get('prior')!, DEMO_PRIORS),
    k: get('k') === null ? d.k : number('k', get('k')!, 1, 64, true),
    autostart: get('autostart') === null ? d.autostart : oneOf('autostart', get('autostart')!, ['0', '1', 'true', 'false'] as const).match(/1|true/) !== null,
  };
  return p;
}
