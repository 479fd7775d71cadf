import { sweepSpec, type SweepPoint } from '../plots/sweep-plots.js';
import { alemiRecipe } from './alemi-configs.js';
import type { Reproduction } from './reproduction.js';

const FULL_BETAS = [1e-8, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1];
const QUICK_BETAS = [1e-4, 1e-1];

/** Alemi et al. (2017), Fig. 1: test error, rate and I(Z;Y) across β. */
export const alemiFig1: Reproduction = {
  name: 'alemi-fig1',
  citation: 'Alemi, Fischer, Dillon & Murphy (2017), Deep Variational Information Bottleneck, ICLR, Fig. 1',
  description: `a β sweep (${FULL_BETAS.join(', ')}; quick: ${QUICK_BETAS.join(', ')}) of the VIB classifier: 12-sample test error, test rate and H(Y) − CE per β`,
  published: [
    { metric: null, value: null, text: 'Fig. 1(a): the test error is lowest near β = 1e-3 (MNIST, K = 256) and rises sharply past β ≈ 1e-1; Fig. 1(b): I(Z;Y) falls and I(X;Z) shrinks as β grows' },
  ],
  async run(ctx) {
    const betas = ctx.quick ? QUICK_BETAS : FULL_BETAS;
    const points: SweepPoint[] = [];
    const metrics: Record<string, number> = {};
    const configs: Record<string, never> = {};
    for (const beta of betas) {
      const r = await ctx.train(alemiRecipe(ctx.quick, { beta }), `β=${beta}`);
      r.result.model.model.dispose();
      (configs as Record<string, unknown>)[`beta=${beta}`] = r.config;
      metrics[`error@beta=${beta}`] = 1 - (r.summary.accuracySampled ?? NaN);
      metrics[`rateBits@beta=${beta}`] = r.summary.rateBits;
      points.push({ beta, rateBits: r.summary.rateBits, izyBits: r.summary.izyTestBits, accuracy: r.summary.accuracySampled, reconstructionNats: null });
    }
    return { metrics, configs, plot: sweepSpec(points), detail: { points } };
  },
};
