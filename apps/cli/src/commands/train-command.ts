import { join } from 'node:path';
import { latentCodes, parseExperimentConfig, saveVibModel, type LatentCodes } from '@vib/tasks';
import { fileSystemIO } from '@vib/tasks/node';
import { setupBackend, threadsFlag } from '../backend-setup.js';
import type { CliIO, GlobalFlags } from '../cli-io.js';
import { loadDataset, type SubsetFlags } from '../dataset-load.js';
import { buildRawConfig, type ExperimentFlags } from '../experiment-options.js';
import { defaultOutDir, withRunDir } from '../output/run-dir.js';
import { latentSpec } from '../plots/latent-plot.js';
import { curvesSpec, informationSpec, klPerDimSpec } from '../plots/training-plots.js';
import { writePlots } from '../plots/write-plots.js';
import { rateText } from '../output/rate-text.js';
import { createCliRegistry } from '../registry.js';
import { recordRun } from '../store/run-recorder.js';
import { trainWithProgress, type RunSummary } from '../train-run.js';

/** Test inputs drawn in the 2-D latent plot. */
const LATENT_POINTS = 2000;

/** Flags of `vib train`. */
export type TrainFlags = GlobalFlags & ExperimentFlags & SubsetFlags & { readonly plots?: boolean };

/**
 * `vib train`: train one model and write model/, metrics.json, config.json and plots to --out atomically.
 * @param flags - parsed flags
 * @param io - stdout/stderr
 * @returns the summary, with `out` set to the final directory
 */
export async function trainCommand(flags: TrainFlags, io: CliIO): Promise<RunSummary & { out: string; runId: string }> {
  return recordRun(flags, 'train', io.argv ?? ['train'], async (rec) => {
    const registry = await createCliRegistry(flags.plugin ?? []);
    const config = parseExperimentConfig(await buildRawConfig(flags, registry), registry);
    rec.config(config);
    const backend = await setupBackend(registry, flags.backend, threadsFlag(flags.threads));
    rec.backend(backend.name, backend.tier);
    if (flags.verbose) io.stderr.write(`vib: backend ${backend.name} (${backend.tier}): ${backend.reason}\n`);
    const dataset = await loadDataset(registry, config.dataset, flags);
    const out = flags.out ?? defaultOutDir('train');
    const { result: summary, path } = await withRunDir(out, async (dir, signal) => {
      const { result, summary } = await trainWithProgress({ config, registry, dataset, backend: backend.name, io, signal, quiet: flags.quiet ?? false, onEpochEnd: async (m) => rec.epoch(m) });
      // K = 2 classifiers get the embedding plot of Alemi et al. (2017), Fig. 2
      let codes: LatentCodes | null = null;
      try {
        await saveVibModel(result.model, fileSystemIO(join(dir.path, 'model')));
        if (config.latentDim === 2 && result.model.task.views.includes('latent-codes') && flags.plots !== false) {
          codes = latentCodes(result.model, dataset.test, LATENT_POINTS);
        }
      } finally {
        result.model.model.dispose();
      }
      await dir.write('config.json', `${JSON.stringify(config, null, 2)}\n`);
      await dir.write('metrics.json', `${JSON.stringify({ summary, history: result.history, evaluation: result.evaluation }, null, 2)}\n`);
      if (flags.plots !== false) {
        const lastKl = result.history[result.history.length - 1]?.klPerDimNats ?? null;
        await writePlots(dir, {
          curves: curvesSpec(result.history),
          information: informationSpec(result.history, summary.labelEntropyBits !== null ? { labelEntropyBits: summary.labelEntropyBits } : {}),
          ...(lastKl ? { 'kl-per-dim': klPerDimSpec(lastKl) } : {}),
          ...(codes ? { 'latent-codes': latentSpec(codes) } : {}),
        });
      }
      return summary;
    });
    rec.artifact('dir', path);
    rec.artifact('model', join(path, 'model'));
    rec.artifact('metrics', join(path, 'metrics.json'));
    const full = { ...summary, out: path, runId: rec.id };
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(full)}\n`);
    } else {
      io.stdout.write(`test ${summary.headline}; ${rateText(summary.rateBits, summary.rateExact)}; ${summary.epochs} epochs in ${summary.seconds.toFixed(1)}s on ${summary.backend}\nsaved to ${path} (run ${rec.id})\n`);
    }
    return { result: full, summary: { ...summary } };
  });
}
