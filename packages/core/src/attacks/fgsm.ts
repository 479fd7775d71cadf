import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { AttackPlugin } from '../plugins/attack-plugin.js';
import { checkEpsilon, clipToBounds, inputGradient } from './attack-steps.js';

/**
 * The fast gradient sign method (Goodfellow, Shlens & Szegedy 2015): one step
 * x' = clip(x + ε·sign(∇ₓ loss)), the L∞ attack of Alemi et al. (2017), Sec. 4.2.
 * For a linear model the step is the exact maximizer of the loss in the L∞ ball.
 * @example
 * ```ts
 * const xAdv = fgsmAttack.create({}).perturb(loss, x, { epsilon: 0.1, bounds: [0, 1] });
 * ```
 */
export const fgsmAttack: AttackPlugin<Record<string, never>> = {
  name: 'fgsm',
  description: 'fast gradient sign method: one L∞ step x + ε·sign(∇ₓ loss) (Goodfellow et al. 2015)',
  norm: 'linf',
  configSchema: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
  create: () => ({
    perturb(loss, x, options) {
      checkEpsilon(options.epsilon);
      if (options.epsilon === 0) return tf.clone(x);
      return tf.tidy(() => clipToBounds(tf.add(x, tf.mul(tf.sign(inputGradient(loss, x)), options.epsilon)), options));
    },
  }),
};
