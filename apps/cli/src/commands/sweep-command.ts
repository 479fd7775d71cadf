import { parseExperimentConfig } from '@vib/tasks';
import { setupBackend } from '../backend-setup.js';
import type { CliIO, GlobalFlags } from '../cli-io.js';
import { loadDataset, type SubsetFlags } from '../dataset-load.js';
import { buildRawConfig, type ExperimentFlags } from '../experiment-options.js';
import { defaultOutDir, withRunDir } from '../output/run-dir.js';
import { sweepSpec, type SweepPoint } from '../plots/sweep-plots.js';
import { writePlots } from '../plots/write-plots.js';
import { createCliRegistry } from '../registry.js';
import { trainWithProgress, type RunSummary } from '../train-run.js';
import { CliError } from '../util/cli-error.js';
import { parseLogRange, parseNumberList } from '../util/parse-flags.js';

/** Flags of `vib sweep`. */
export type SweepFlags = GlobalFlags & ExperimentFlags & SubsetFlags & { readonly betas?: string; readonly betaRange?: string };

const CSV_COLUMNS = ['beta', 'accuracy', 'accuracySampled', 'reconstructionNats', 'rateBits', 'izyTestBits', 'izyBits', 'testCrossEntropyNats', 'testLabelEntropyBits', 'epochs', 'seconds'] as const;

/**
 * `vib sweep`: train once per β (same seed and data) and write sweep.csv, sweep.json and the IB-curve plot.
 * Each β's point is measured on the held-out test set: the rate KL(p(z|x) ‖ r(z)) averaged over test inputs
 * (≥ I(X;Z)) and H(Y_test) − CE_test with one sampled code per example (≤ I(Z;Y)); the last epoch's training
 * bound stays in the CSV as `izyBits`.
 * @param flags - parsed flags
 * @param io - stdout/stderr
 * @returns the summaries, one per β
 * @throws {@link CliError} when neither --betas nor --beta-range is given, or a β is negative
 */
export async function sweepCommand(flags: SweepFlags, io: CliIO): Promise<{ runs: RunSummary[]; out: string }> {
  if ((flags.betas === undefined) === (flags.betaRange === undefined)) {
    throw new CliError('give exactly one of --betas (e.g. 1e-4,1e-3,1e-2) and --beta-range (e.g. 1e-4:1:5)');
  }
  const betas = flags.betas !== undefined
    ? parseNumberList('--betas', flags.betas, [(v) => v >= 0, 'a number ≥ 0 (β weighs the rate term)'])
    : parseLogRange(flags.betaRange!);
  const registry = await createCliRegistry(flags.plugin ?? []);
  const raw = await buildRawConfig(flags, registry);
  const config = parseExperimentConfig(raw, registry);
  const backend = await setupBackend(registry, flags.backend);
  const dataset = await loadDataset(registry, config.dataset, flags);
  const { result: runs, path } = await withRunDir(flags.out ?? defaultOutDir('sweep'), async (dir, signal) => {
    const runs: RunSummary[] = [];
    for (const [i, beta] of betas.entries()) {
      const label = `[β=${beta.toPrecision(2)} ${i + 1}/${betas.length}]`;
      // one config, β set on each run's trainer before its first step
      const { result, summary } = await trainWithProgress({
        config, registry, dataset, backend: backend.name, io, signal, quiet: flags.quiet ?? false, label,
        prepare: (trainer) => trainer.setBeta(beta),
      });
      result.model.model.dispose();
      runs.push({ ...summary, beta });
    }
    const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
    await dir.write('sweep.csv', `${CSV_COLUMNS.join(',')}\n${runs.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(',')).join('\n')}\n`);
    await dir.write('sweep.json', `${JSON.stringify({ config: raw, runs }, null, 2)}\n`);
    const points: SweepPoint[] = runs.map((r) => ({ beta: r.beta, rateBits: r.rateBits, izyBits: r.izyTestBits, accuracy: r.accuracy, reconstructionNats: r.reconstructionNats }));
    const hy = runs[0]?.testLabelEntropyBits ?? null;
    await writePlots(dir, { 'ib-curve': sweepSpec(points, hy !== null ? { labelEntropyBits: hy } : {}) });
    return runs;
  });
  if (flags.json) io.stdout.write(`${JSON.stringify({ backend: backend.name, dataset: dataset.name, out: path, runs })}\n`);
  else {
    for (const r of runs) {
      io.stdout.write(`β=${r.beta.toPrecision(3)}: ${r.accuracy !== null ? `accuracy ${(r.accuracy * 100).toFixed(2)}%` : `recon ${(r.reconstructionNats ?? NaN).toFixed(2)} nats`}, test rate ${r.rateBits.toFixed(2)} bits, test I(Z;Y) ≥ ${r.izyTestBits?.toFixed(3) ?? '-'} bits\n`);
    }
    io.stdout.write(`saved to ${path}\n`);
  }
  return { runs, out: path };
}
