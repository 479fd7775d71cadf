import type { PriorPlugin } from '@vib/core';
import { z } from 'zod';
import { ScaledNormal } from './scaled-normal.js';

/** Config of {@link scaledNormalPrior}. */
export const scaledNormalConfigSchema = z.strictObject({
  /** The prior's standard deviation s > 0. */
  scale: z.number().positive().default(2),
});

/** Parsed config of {@link scaledNormalPrior}. */
export type ScaledNormalConfig = z.output<typeof scaledNormalConfigSchema>;

/** The prior r(z) = N(0, s²I), registered under kind `prior` as `scaled-normal`. */
export const scaledNormalPrior: PriorPlugin<ScaledNormalConfig> = {
  name: 'scaled-normal',
  description: 'N(0, s²I): a standard normal prior with a configurable width s',
  configSchema: scaledNormalConfigSchema,
  posteriors: ['diagonal-gaussian'],
  create: (config, context) => {
    const r = new ScaledNormal(context.latentDim, config.scale);
    return { distribution: () => r };
  },
};
