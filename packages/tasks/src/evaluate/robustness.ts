import * as tf from '@tensorflow/tfjs';
import { inputGradient, type Attack, type DataSplit } from '@vib/core';
import type { VibModel } from '../model/vib-model.js';
import { pickedMargin, pickedNll, predictiveLogProbs, type PredictivePath } from './predictive.js';
import { checkSplitForModel, gatherBatch, ranges, span } from './split-batches.js';

/**
 * What the attack increases, per example, from the predictive's class log-probabilities [B,C] and the labels [B]:
 * `nll` (−log q(y|x), Alemi et al. 2017's choice), `margin` (max_{j≠y} log q_j − log q_y, which does not
 * saturate; see {@link pickedMargin}), or a function of your own.
 */
export type AttackObjective = 'nll' | 'margin' | ((logq: tf.Tensor, y: tf.Tensor) => tf.Tensor);

/** Options of {@link robustness}. */
export interface RobustnessOptions {
  /** The attack (a created `attack` plugin). */
  readonly attack: Attack;
  /** Radii ε to attack at (in the attack's norm). */
  readonly epsilons: readonly number[];
  /** What the attack increases (default `nll`). */
  readonly objective?: AttackObjective;
  /** Which predictive the attack's gradient goes through (default `mean`). */
  readonly through?: PredictivePath;
  /** S of the sampled predictive (default the config's `evalSamples`). */
  readonly samples?: number;
  /** Seed of the sampled codes. */
  readonly seed?: number;
  /** Examples per batch (default 250). */
  readonly batchSize?: number;
}

/** Accuracy and attack success at one ε. */
export interface RobustnessPoint {
  /** The radius. */
  readonly epsilon: number;
  /** Accuracy on the attacked inputs, mean code. */
  readonly accuracyMean: number;
  /** Accuracy on the attacked inputs, S sampled codes averaged. */
  readonly accuracySampled: number;
  /** Of the inputs the mean code classified correctly when clean, the fraction the attack turned wrong. */
  readonly successMean: number;
  /** The same for the S-sample predictive. */
  readonly successSampled: number;
}

/** What {@link robustness} returns. */
export interface RobustnessResult {
  /** Examples attacked. */
  readonly n: number;
  /** The predictive the gradient went through. */
  readonly through: PredictivePath;
  /** The objective the attack increased (`custom` for a function). */
  readonly objective: 'nll' | 'margin' | 'custom';
  /**
   * Fraction of the examples whose objective has an input gradient of exactly 0 (every entry, in float32) at
   * the clean input: a sign-gradient attack cannot move them. It is a lower bound on masking: on a saturated
   * softmax the `nll` gradient can also be non-zero but too small to point anywhere, and accuracy that stops
   * falling with ε is then the attack's failure, not robustness; compare with the `margin` objective.
   */
  readonly zeroGradient: number;
  /** S of the sampled predictive. */
  readonly samples: number;
  /** One point per ε, in the order given. */
  readonly points: RobustnessPoint[];
}

/**
 * Adversarial robustness of a classifier (Alemi et al. 2017, Sec. 4.2): attack each test batch at every ε,
 * with the gradient of the objective (−log q(y|x), or the logit margin) through the mean code or through the
 * S-sample predictive (a fixed noise draw per batch), and score both predictives on the attacked inputs.
 * Inputs in [0, 1] stay in [0, 1]. It also counts the inputs whose gradient is exactly 0, about which a
 * gradient attack says nothing (see `zeroGradient`).
 * @param vm - a classification model
 * @param split - the data attacked
 * @param options - attack, radii, objective, gradient path, S, seed
 * @returns accuracy and attack success per ε
 * @throws {@link ConfigError} when the model is not a classifier or an ε is negative
 * @example
 * ```ts
 * const r = await robustness(vm, dataset.test, { attack: fgsmAttack.create({}), epsilons: [0, 0.1] });
 * r.points[1].accuracyMean;
 * ```
 */
export async function robustness(vm: VibModel, split: DataSplit, options: RobustnessOptions): Promise<RobustnessResult> {
  checkSplitForModel(vm, split, 'robustness()');
  const through = options.through ?? 'mean';
  const samples = options.samples ?? vm.config.evalSamples;
  const bounds: [number, number] | undefined = vm.inputsInUnitInterval ? [0, 1] : undefined;
  const counts = options.epsilons.map(() => ({ am: 0, as: 0, sm: 0, ss: 0 }));
  const objective = options.objective ?? 'nll';
  const pick = objective === 'nll' ? pickedNll : objective === 'margin' ? pickedMargin : objective;
  let zeroGradient = 0;
  let cleanMean = 0;
  let cleanSampled = 0;
  let batch = 0;
  for (const [start, end] of ranges(split.n, options.batchSize ?? 250)) {
    const seed = (options.seed ?? 0) + 104729 * batch++;
    const { x, y } = gatherBatch(split, vm.inputShape, span(start, end));
    const predict = (input: tf.Tensor) =>
      tf.tidy(() => [
        tf.equal(tf.argMax(predictiveLogProbs(vm, input, { through: 'mean' }), -1), y),
        tf.equal(tf.argMax(predictiveLogProbs(vm, input, { through: 'samples', samples, seed }), -1), y),
      ]);
    const [okMean, okSampled] = predict(x) as [tf.Tensor, tf.Tensor];
    const cm = (await okMean.data()) as Uint8Array;
    const cs = (await okSampled.data()) as Uint8Array;
    cleanMean += cm.reduce((a, v) => a + v, 0);
    cleanSampled += cs.reduce((a, v) => a + v, 0);
    const loss = (input: tf.Tensor) => pick(predictiveLogProbs(vm, input, { through, samples, seed }), y);
    const peak = tf.tidy(() => tf.max(tf.abs(tf.reshape(inputGradient(loss, x), [end - start, -1])), 1));
    zeroGradient += ((await peak.data()) as Float32Array).reduce((a, v) => a + (v === 0 ? 1 : 0), 0);
    peak.dispose();
    for (const [i, epsilon] of options.epsilons.entries()) {
      const adv = options.attack.perturb(loss, x, { epsilon, ...(bounds ? { bounds } : {}), seed });
      const [am, as] = predict(adv) as [tf.Tensor, tf.Tensor];
      const a = (await am.data()) as Uint8Array;
      const b = (await as.data()) as Uint8Array;
      const c = counts[i]!;
      for (let j = 0; j < a.length; j++) {
        c.am += a[j]!;
        c.as += b[j]!;
        if (cm[j] === 1 && a[j] === 0) c.sm += 1;
        if (cs[j] === 1 && b[j] === 0) c.ss += 1;
      }
      tf.dispose([adv, am, as]);
      await tf.nextFrame();
    }
    tf.dispose([x, y, okMean, okSampled]);
  }
  const n = Math.max(split.n, 1);
  return {
    n: split.n,
    through,
    objective: typeof objective === 'function' ? 'custom' : objective,
    zeroGradient: zeroGradient / n,
    samples,
    points: options.epsilons.map((epsilon, i) => {
      const c = counts[i]!;
      return {
        epsilon,
        accuracyMean: c.am / n,
        accuracySampled: c.as / n,
        successMean: cleanMean === 0 ? 0 : c.sm / cleanMean,
        successSampled: cleanSampled === 0 ? 0 : c.ss / cleanSampled,
      };
    }),
  };
}
