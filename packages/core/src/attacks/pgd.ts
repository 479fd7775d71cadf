import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Attack, AttackPlugin } from '../plugins/attack-plugin.js';
import { tfSeed } from '../random/tf-seed.js';
import { checkEpsilon, clipToBounds, exampleNorm, inputGradient, projectToBall } from './attack-steps.js';

/** Config of the projected-gradient attacks. */
export const pgdConfigSchema = z
  .object({
    /** Gradient steps. */
    steps: z.number().int().min(1).default(10),
    /** Step size as a multiple of ε (default 2.5/steps, Madry et al. 2018's choice). */
    stepSize: z.number().positive().optional(),
    /** Start from a uniform random point of the ball instead of x. */
    randomStart: z.boolean().default(false),
  })
  .strict();

/** Parsed config of the projected-gradient attacks. */
export type PgdConfig = z.output<typeof pgdConfigSchema>;

function createPgd(config: PgdConfig, norm: 'linf' | 'l2'): Attack {
  return {
    perturb(loss, x, options) {
      checkEpsilon(options.epsilon);
      const eps = options.epsilon;
      if (eps === 0) return tf.clone(x);
      const alpha = eps * (config.stepSize ?? 2.5 / config.steps);
      let adv = tf.tidy(() => {
        if (!config.randomStart) return tf.clone(x);
        const noise = tf.randomUniform(x.shape, -eps, eps, 'float32', tfSeed(options.seed));
        return clipToBounds(tf.add(x, projectToBall(noise, eps, norm)), options);
      });
      for (let i = 0; i < config.steps; i++) {
        const next = tf.tidy(() => {
          const g = inputGradient(loss, adv);
          const step = norm === 'linf' ? tf.sign(g) : tf.div(g, tf.maximum(exampleNorm(g), 1e-12));
          const moved = tf.add(adv, tf.mul(step, alpha));
          return clipToBounds(tf.add(x, projectToBall(tf.sub(moved, x), eps, norm)), options);
        });
        adv.dispose();
        adv = next;
      }
      return adv;
    },
  };
}

/**
 * Projected gradient descent in the L∞ ball (iterated FGSM; Kurakin et al. 2017, Madry et al. 2018):
 * `steps` sign-gradient steps of size α, each projected back to ‖x' − x‖∞ ≤ ε and the bounds.
 * @example
 * ```ts
 * const xAdv = pgdAttack.create(pgdConfigSchema.parse({ steps: 20 })).perturb(loss, x, { epsilon: 0.1 });
 * ```
 */
export const pgdAttack: AttackPlugin<PgdConfig> = {
  name: 'pgd',
  description: 'iterative L∞ attack: projected sign-gradient steps within ‖δ‖∞ ≤ ε (Madry et al. 2018)',
  norm: 'linf',
  configSchema: pgdConfigSchema,
  create: (config) => createPgd(config, 'linf'),
};

/**
 * Projected gradient descent in the L2 ball: `steps` steps along the normalized gradient, each projected to
 * ‖x' − x‖₂ ≤ ε per example (the L2 counterpart of {@link pgdAttack}; Alemi et al. 2017 used an L2
 * optimization attack of Carlini & Wagner 2017, which this budgeted form stands in for).
 * @example
 * ```ts
 * const xAdv = pgdL2Attack.create(pgdConfigSchema.parse({})).perturb(loss, x, { epsilon: 2 });
 * ```
 */
export const pgdL2Attack: AttackPlugin<PgdConfig> = {
  name: 'pgd-l2',
  description: 'iterative L2 attack: normalized-gradient steps projected to ‖δ‖₂ ≤ ε per example',
  norm: 'l2',
  configSchema: pgdConfigSchema,
  create: (config) => createPgd(config, 'l2'),
};
