import { alemiRecipe } from './alemi-configs.js';
import type { Reproduction } from './reproduction.js';

/** Alemi et al. (2017), Fig. 2: a K = 2 full-covariance embedding of the classifier. */
export const alemiFig2: Reproduction = {
  name: 'alemi-fig2',
  citation: 'Alemi, Fischer, Dillon & Murphy (2017), Deep Variational Information Bottleneck, ICLR, Fig. 2',
  description: 'the VIB classifier with a 2-D full-covariance Gaussian code (β = 1e-3): test error and rate; `vib train --preset alemi-2d` draws the embedding itself',
  published: [{ metric: null, value: null, text: 'Fig. 2: with K = 2 the classes form separated clusters of overlapping ellipses; larger β shrinks the ellipses toward the prior' }],
  async run(ctx) {
    const r = await ctx.train(alemiRecipe(ctx.quick, { latentDim: 2, posterior: 'full-gaussian' }), 'K=2');
    r.result.model.model.dispose();
    return { metrics: { error: 1 - (r.summary.accuracySampled ?? NaN), errorMeanCode: 1 - (r.summary.accuracy ?? NaN), rateBits: r.summary.rateBits }, configs: { vib: r.config } };
  },
};
