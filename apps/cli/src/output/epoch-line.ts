import type { EpochMetrics } from '@vib/tasks';
import { rateText } from './rate-text.js';

/**
 * The line printed after an epoch, each figure under the split it was measured on: the training figures are means
 * over the epoch's batches (sampled codes; the loss is −log q(y|z) + β·KL), the test figures use the mean code (an
 * accuracy where the task has one, else −log q(y|z)).
 * @param m - the epoch's metrics
 * @param epochs - epochs in the run
 * @returns e.g. `epoch 3/8 train: loss 0.2104, acc 0.9421, rate 61.20 bits, I(Z;Y) ≥ 3.071 bits | test: acc 0.9480
 *   (mean code), rate 60.85 bits | β=0.00100 (0.9s)`
 */
export function epochLine(m: EpochMetrics, epochs: number): string {
  const train = [
    `loss ${m.loss.toFixed(4)}`,
    ...(m.trainAccuracy !== null ? [`acc ${m.trainAccuracy.toFixed(4)}`] : []),
    rateText(m.rateBits, m.rateExact),
    ...(m.izyBits !== null ? [`I(Z;Y) ≥ ${m.izyBits.toFixed(3)} bits`] : []),
  ];
  // Without an accuracy the test score is the task's −log q(y|z) alone (a VAE's reconstruction), not the training
  // loss's sum with β·KL: it does not share the word "loss" with the training figure.
  const score = m.testAccuracy !== null ? `acc ${m.testAccuracy.toFixed(4)} (mean code)` : `−log q(y|z) ${m.testLoss.toFixed(2)} nats (mean code)`;
  const test = [score, rateText(m.testRateBits, m.rateExact)];
  return `epoch ${m.epoch}/${epochs} train: ${train.join(', ')} | test: ${test.join(', ')} | β=${m.beta.toPrecision(3)} (${m.seconds.toFixed(1)}s)`;
}
