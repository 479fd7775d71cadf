import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { infoplaneCommand } from '../commands/infoplane-command.js';
import type { InfoPlanePoint } from '../plots/infoplane-plot.js';
import { infoPlaneSpec } from '../plots/infoplane-plot.js';
import type { PublishedFigure, ReproContext, Reproduction, SeedResult } from './reproduction.js';

/**
 * Train the 12-bit network with one activation through `vib infoplane` and reduce its binning trajectories (training
 * inputs) to per-layer peak, final and compression (peak − final) of I(X;T), in bits.
 */
async function infoplaneSeed(ctx: ReproContext, activation: 'tanh' | 'relu'): Promise<SeedResult> {
  const tmp = await mkdtemp(join(tmpdir(), 'vib-repro-'));
  try {
    const out = join(tmp, 'run');
    await infoplaneCommand(
      {
        activation, preset: 'tishby-12bit', seed: String(ctx.seed), backend: ctx.backend, quiet: ctx.quiet, out,
        bins: '30', noise: '0.01', maxPoints: ctx.quick ? '400' : '4096', ...(ctx.quick ? { epochs: '12' } : {}),
      },
      { stdout: { write: () => true, isTTY: false }, stderr: ctx.io.stderr },
    );
    const json = JSON.parse(await readFile(join(out, 'infoplane.json'), 'utf8')) as { records: InfoPlanePoint[]; runs: { accuracy: number | null }[] };
    const binning = json.records.filter((p) => p.split === 'train' && p.estimator.startsWith('binning'));
    const metrics: Record<string, number> = { accuracy: json.runs[0]?.accuracy ?? NaN };
    for (const layer of [...new Set(binning.map((p) => p.layer))]) {
      const traj = binning.filter((p) => p.layer === layer).sort((a, b) => a.epoch - b.epoch);
      const peak = Math.max(...traj.map((p) => p.ixtBits));
      const final = traj.at(-1)?.ixtBits ?? NaN;
      metrics[`peakIxtBits:${layer}`] = peak;
      metrics[`finalIxtBits:${layer}`] = final;
      metrics[`compressionBits:${layer}`] = peak - final;
    }
    return { metrics, configs: {}, plot: infoPlaneSpec(json.records), detail: { trajectories: binning } };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function infoplaneReproduction(name: string, activation: 'tanh' | 'relu', citation: string, published: PublishedFigure[]): Reproduction {
  return {
    name,
    citation,
    description: `the 12-10-7-5-4-3-2 ${activation} network on the 12-bit task (300 epochs; quick: 12): per-layer I(X;T) by binning (30 bins) on the training inputs, its peak, final value and compression = peak − final`,
    published,
    run: (ctx) => infoplaneSeed(ctx, activation),
  };
}

/** Shwartz-Ziv & Tishby (2017): fitting then compression of the tanh network's layers. */
export const tishbyInfoplane = infoplaneReproduction('tishby-infoplane', 'tanh', 'Shwartz-Ziv & Tishby (2017), Opening the Black Box of Deep Neural Networks via Information, Fig. 3', [
  { metric: null, value: null, text: 'Fig. 3: every tanh layer first gains I(X;T) (fitting), then loses it (compression) while I(T;Y) stays near H(Y); the deeper layers compress most' },
]);

/** Saxe et al. (2018): the same network with ReLU shows no such compression under binning. */
export const saxeRelu = infoplaneReproduction('saxe-relu', 'relu', 'Saxe et al. (2018), On the Information Bottleneck Theory of Deep Learning, ICLR, Fig. 1', [
  { metric: null, value: null, text: 'Fig. 1: with ReLU the binned I(X;T) of the hidden layers does not fall after fitting (no compression phase), unlike tanh' },
]);
