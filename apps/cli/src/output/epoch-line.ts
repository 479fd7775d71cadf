import type { EpochMetrics } from '@vib/tasks';
import { rateText } from './rate-text.js';

/** A task's own metrics other than accuracy (printed as `acc`), e.g. a regression task's `mse 0.1234`. */
function taskFigures(metrics: Readonly<Record<string, number>> | undefined, suffix: string): string[] {
  return Object.entries(metrics ?? {})
    .filter(([name]) => name !== 'accuracy')
    .map(([name, v]) => `${name} ${Math.abs(v) >= 1000 ? v.toPrecision(6) : v.toFixed(4)}${suffix}`);
}

/**
 * The line printed after an epoch, each figure under the split it was measured on: the training figures are means
 * over the epoch's batches (sampled codes; the loss is −log q(y|z) + β·KL), the test figures use the mean code (an
 * accuracy where the task has one, else −log q(y|z)), and a third party's task metrics (`mse`) beside them.
 * @param m - the epoch's metrics
 * @param epochs - epochs in the run
 * @returns e.g. `epoch 3/8 train: loss 0.2104, acc 0.9421, rate 61.20 bits, I(Z;Y) ≥ 3.071 bits | test: acc 0.9480
 *   (mean code), rate 60.85 bits | β=0.00100 (0.9s)`
 */
export function epochLine(m: EpochMetrics, epochs: number): string {
  const train = [
    `loss ${m.loss.toFixed(4)}`,
    ...(m.trainAccuracy !== null ? [`acc ${m.trainAccuracy.toFixed(4)}`] : []),
    ...taskFigures(m.trainTaskMetrics, ''),
    rateText(m.rateBits, m.rateExact),
    ...(m.izyBits !== null ? [`I(Z;Y) ≥ ${m.izyBits.toFixed(3)} bits`] : []),
  ];
  // Without an accuracy the test score is the task's −log q(y|z) alone (a VAE's reconstruction), not the training
  // loss's sum with β·KL: it does not share the word "loss" with the training figure.
  const score = m.testAccuracy !== null ? `acc ${m.testAccuracy.toFixed(4)} (mean code)` : `−log q(y|z) ${m.testLoss.toFixed(2)} nats (mean code)`;
  const test = [score, ...taskFigures(m.testTaskMetrics, ' (mean code)'), rateText(m.testRateBits, m.rateExact)];
  return `epoch ${m.epoch}/${epochs} train: ${train.join(', ')} | test: ${test.join(', ')} | β=${m.beta.toPrecision(3)} (${m.seconds.toFixed(1)}s)`;
}
