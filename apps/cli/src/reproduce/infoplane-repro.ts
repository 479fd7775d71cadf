import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { infoplaneCommand } from '../commands/infoplane-command.js';
import { infoPlaneSpec, type InfoPlanePoint } from '../plots/infoplane-plot.js';
import type { PublishedFigure, ReproContext, Reproduction, SeedResult } from './reproduction.js';

/** What one seed keeps in its record: the binning trajectories on all inputs, and how many inputs that was. */
interface InfoplaneDetail {
  readonly inputs: number;
  readonly trajectories: InfoPlanePoint[];
}

/**
 * Train the 12-bit network with one activation through `vib infoplane`, measured on all 4,096 inputs, and reduce its
 * binning trajectories to per-layer peak, final and compression (peak − final) of I(X;T), in bits.
 */
async function infoplaneSeed(ctx: ReproContext, activation: 'tanh' | 'relu'): Promise<SeedResult> {
  const tmp = await mkdtemp(join(tmpdir(), 'vib-repro-'));
  try {
    const out = join(tmp, 'run');
    await infoplaneCommand(
      {
        activation, preset: 'tishby-12bit', seed: String(ctx.seed), backend: ctx.backend, quiet: ctx.quiet, out, splits: 'all',
        bins: '30', noise: '0.01', estimator: 'binning', ...(ctx.quick ? { epochs: '12' } : {}),
      },
      { stdout: { write: () => true, isTTY: false }, stderr: ctx.io.stderr },
    );
    const json = JSON.parse(await readFile(join(out, 'infoplane.json'), 'utf8')) as { records: InfoPlanePoint[]; points: number; runs: { accuracy: number | null }[] };
    const binning = json.records.filter((p) => p.split === 'all' && p.estimator.startsWith('binning'));
    const metrics: Record<string, number> = { accuracy: json.runs[0]?.accuracy ?? NaN };
    for (const layer of [...new Set(binning.map((p) => p.layer))]) {
      const traj = binning.filter((p) => p.layer === layer).sort((a, b) => a.epoch - b.epoch);
      const peak = Math.max(...traj.map((p) => p.ixtBits));
      const final = traj.at(-1)?.ixtBits ?? NaN;
      metrics[`peakIxtBits:${layer}`] = peak;
      metrics[`finalIxtBits:${layer}`] = final;
      metrics[`compressionBits:${layer}`] = peak - final;
    }
    const detail: InfoplaneDetail = { inputs: json.points, trajectories: binning };
    return { metrics, configs: {}, plot: infoPlaneSpec(binning, { inputs: json.points, classes: 2 }), detail };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The seeds' binning trajectories averaged per epoch (mean ± sd), on the axes [0, 12] × [0, 1] bits that tanh and ReLU share. */
function combinedPlane(perSeed: readonly SeedResult[]) {
  const details = perSeed.map((s) => s.detail as InfoplaneDetail);
  return infoPlaneSpec(details.flatMap((d) => d.trajectories), { inputs: Math.max(...details.map((d) => d.inputs)), classes: 2 });
}

function infoplaneReproduction(name: string, activation: 'tanh' | 'relu', citation: string, published: PublishedFigure[]): Reproduction {
  return {
    name,
    citation,
    description: `the 12-10-7-5-4-3-2 ${activation} network on the 12-bit task (300 epochs; quick: 12): per-layer I(X;T) by binning (30 bins) on all 4,096 inputs (ceiling 12 bits), its peak, final value and compression = peak − final; the plot averages the seeds' trajectories (± 1 sd)`,
    published,
    run: (ctx) => infoplaneSeed(ctx, activation),
    combinePlots: combinedPlane,
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
