import { presetConfig } from '@vib/kit';
import type { ExperimentConfigInput } from '@vib/tasks';
import type { DemoDatasetName } from './demo-data.js';

/** The page's choices on top of a preset. */
export interface DemoChoices {
  /** Latent dimension K. */
  readonly latentDim: number;
  /** Prior plugin name (a uniform prior takes the squashed posterior). */
  readonly prior: string;
}

/** Which @vib/kit preset each demo dataset starts from: the same definitions `vib train --preset` uses. */
export const DEMO_PRESETS: Readonly<Record<DemoDatasetName, string>> = {
  mnist: 'digits-2d',
  'tishby-12bit': 'tishby-12bit',
};

/**
 * The classifier panel's experiment: the dataset's @vib/kit preset (network, optimizer, batch size), with
 * the page's K and prior, seed 0 and a one-sample evaluation per epoch; β and epochs are the session's.
 * @param dataset - the demo dataset
 * @param choices - K and the prior from the page
 * @returns the config as written
 */
export function demoExperiment(dataset: DemoDatasetName, choices: DemoChoices): Omit<ExperimentConfigInput, 'beta' | 'controller' | 'epochs'> {
  const { beta: _beta, controller: _controller, epochs: _epochs, ...preset } = presetConfig(DEMO_PRESETS[dataset]);
  return {
    ...(preset as Omit<ExperimentConfigInput, 'beta' | 'controller' | 'epochs'>),
    latentDim: choices.latentDim,
    posterior: choices.prior === 'uniform' ? 'squashed-gaussian' : 'diagonal-gaussian',
    prior: { name: choices.prior },
    evalSamples: 1,
    seed: 0,
  };
}
