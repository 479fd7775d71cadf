import type { ExperimentConfig } from '../config/experiment-config.js';

/**
 * The learning rate for an epoch: lr₀·decayRate^(epoch/decayEpochs), the exponent floored when
 * `staircase` (Alemi et al. 2017 decayed by 0.97 every 2 epochs).
 * @param optimizer - the optimizer config
 * @param epoch - epoch index from 0
 * @returns the learning rate
 * @example
 * ```ts
 * learningRateAt({ learningRate: 1e-4, schedule: { type: 'exponential', decayRate: 0.97, decayEpochs: 2, staircase: true } }, 3);
 * // 1e-4 · 0.97
 * ```
 */
export function learningRateAt(optimizer: ExperimentConfig['optimizer'], epoch: number): number {
  const s = optimizer.schedule;
  if (s === undefined) return optimizer.learningRate;
  const e = epoch / s.decayEpochs;
  return optimizer.learningRate * s.decayRate ** (s.staircase ? Math.floor(e) : e);
}
