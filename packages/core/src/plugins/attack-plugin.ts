import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { PluginBase } from '../registry/plugin.js';

/**
 * What an attack increases: the per-example loss of a model at inputs x, built from tf ops so
 * that gradients flow to x (for a VIB classifier, −log q(y|x) through the mean code or through
 * S sampled codes).
 * @param x - inputs [B, ...]
 * @returns the loss of each example, [B]
 */
export type AttackLoss = (x: tf.Tensor) => tf.Tensor;

/** Options of {@link Attack.perturb}. */
export interface AttackOptions {
  /** Radius ε of the perturbation's norm ball (L∞ or L2, per the attack's `norm`); 0 returns x unchanged. */
  readonly epsilon: number;
  /** Box the adversarial input is clipped to, e.g. [0, 1] for pixel intensities; omitted: no clipping. */
  readonly bounds?: readonly [number, number];
  /** Seed of any random start. */
  readonly seed?: number;
}

/** A created attack. */
export interface Attack {
  /**
   * Perturb a batch to increase its loss, within the ε-ball of the attack's norm around x (and the bounds).
   * @param loss - per-example loss, differentiable in x
   * @param x - clean inputs [B, ...]
   * @param options - ε, bounds, seed
   * @returns adversarial inputs, same shape as x (a new tensor)
   */
  perturb(loss: AttackLoss, x: tf.Tensor, options: AttackOptions): tf.Tensor;
}

/**
 * An adversarial-attack plugin: registered under kind `attack` (FGSM, PGD, L2 PGD, ...).
 * @typeParam C - the parsed config type
 */
export interface AttackPlugin<C = unknown> extends PluginBase {
  /** The norm ε is measured in. */
  readonly norm: 'linf' | 'l2';
  /** Schema of the config (steps, step size, ...). */
  readonly configSchema: z.ZodType<C>;
  /**
   * Create the attack.
   * @param config - validated config
   * @returns the attack
   */
  create(config: C): Attack;
}
