import { aupr, auroc, calibration } from '@vib/core';
import { uncertaintyScores } from '@vib/tasks';
import { alemiRecipe } from './alemi-configs.js';
import type { Reproduction } from './reproduction.js';

/** Alemi, Fischer & Dillon (2018): the rate and the predictive entropy as out-of-distribution signals. */
export const alemiUncertainty: Reproduction = {
  name: 'alemi-uncertainty',
  citation: 'Alemi, Fischer & Dillon (2018), Uncertainty in the Variational Information Bottleneck, UAI workshop, Sec. 4',
  description: 'a VIB classifier (β = 1e-3) on Fashion-MNIST with the MNIST digits as out-of-distribution inputs (quick: digits against Fashion-MNIST): AUROC/AUPR of the per-example rate and of the predictive entropy, and the ECE',
  published: [
    { metric: null, value: null, text: 'Sec. 4: the rate R = KL(p(z|x) ‖ r(z)) detects out-of-distribution inputs better than the predictive entropy H, and VIB predictions are better calibrated than the deterministic baseline\'s' },
  ],
  compare: ['aurocRate', 'aurocEntropy'],
  async run(ctx) {
    const r = await ctx.train(alemiRecipe(ctx.quick), 'vib');
    try {
      const ood = await ctx.load(ctx.quick ? 'fashion-mnist' : 'mnist');
      const sIn = await uncertaintyScores(r.result.model, r.dataset.test, { seed: ctx.seed });
      const sOut = await uncertaintyScores(r.result.model, ood.test, { seed: ctx.seed + 1 });
      const ece = calibration(sIn.maxProb, sIn.correct).ece;
      return {
        metrics: {
          aurocRate: auroc(sIn.rateNats, sOut.rateNats),
          auprRate: aupr(sIn.rateNats, sOut.rateNats),
          aurocEntropy: auroc(sIn.entropyNats, sOut.entropyNats),
          auprEntropy: aupr(sIn.entropyNats, sOut.entropyNats),
          ece,
        },
        configs: { vib: r.config },
        detail: { inDistribution: r.dataset.name, outOfDistribution: ood.name },
      };
    } finally {
      r.result.model.model.dispose();
    }
  },
};
