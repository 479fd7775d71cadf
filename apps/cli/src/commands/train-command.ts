import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { configDiff, latentCodesAsync, parseExperimentConfig, saveVibModel, type LatentCodes, type TrainCheckpoint, type TypedTensorValues } from '@vib/tasks';
import { fileSystemIO } from '@vib/tasks/node';
import { setupBackend, threadsFlag } from '../backend-setup.js';
import type { CliIO, GlobalFlags } from '../cli-io.js';
import { checkSubsetFlags, loadConfigDataset, type SubsetFlags } from '../dataset-load.js';
import { buildRawConfig, type ExperimentFlags } from '../experiment-options.js';
import { CHECKPOINT_FILE, checkpointPieces, readCheckpointFile, type CliCheckpointExtras } from '../output/checkpoint-file.js';
import { defaultOutDir, withRunDir, type RunDir } from '../output/run-dir.js';
import { usageError } from '../util/cli-error.js';
import { parseCountFlag } from '../util/parse-flags.js';
import { pluginFlag } from '../util/plugin-flag.js';
import { parseTags } from '../store/store-flags.js';
import { latentSpec } from '../plots/latent-plot.js';
import { curvesSpec, informationSpec, klPerDimSpec } from '../plots/training-plots.js';
import { writePlots } from '../plots/write-plots.js';
import { rateText } from '../output/rate-text.js';
import { examples, FEW_TEST_EXAMPLES, fewTestNote } from '../output/split-size.js';
import { createCliRegistry } from '../registry.js';
import { recordRun } from '../store/run-recorder.js';
import { trainWithProgress, type RunSummary } from '../train-run.js';

/** Test inputs drawn in the 2-D latent plot. */
const LATENT_POINTS = 2000;

/** Flags of `vib train`. */
export type TrainFlags = GlobalFlags &
  ExperimentFlags &
  SubsetFlags & {
    readonly plots?: boolean;
    /** An interrupted run folder to continue. */
    readonly resume?: string;
    /** Steps between checkpoints inside an epoch (text, as commander hands it over). */
    readonly checkpointEvery?: string;
    /** Print the resolved config and exit. */
    readonly printConfig?: boolean;
  };

/** `VIB_FAULT_AT_STEP=<step>:<SIGNAL>` (tests only): the run signals itself after that step. */
function faultInjection(): { step: number; signal: NodeJS.Signals } | undefined {
  const m = /^(\d+):(SIG[A-Z]+)$/.exec(process.env['VIB_FAULT_AT_STEP'] ?? '');
  return m ? { step: Number(m[1]), signal: m[2] as NodeJS.Signals } : undefined;
}

/**
 * `vib train`: train one model and write model/, metrics.json, config.json and plots to a claimed run
 * folder; checkpoint.vib is rewritten atomically after every epoch (and every --checkpoint-every steps)
 * and removed when the run completes; `--resume <run-dir>` continues an interrupted run bitwise identically.
 * @param flags - parsed flags
 * @param io - stdout/stderr
 * @returns the summary, with `out` set to the final directory; null with --print-config
 */
export async function trainCommand(flags: TrainFlags, io: CliIO): Promise<(RunSummary & { out: string; runId: string }) | null> {
  if (flags.resume !== undefined && flags.out !== undefined) throw usageError('give --resume <run-dir> or --out <dir>, not both: a resumed run writes into its own folder');
  const checkpointEvery = flags.checkpointEvery === undefined ? 0 : parseCountFlag('--checkpoint-every', flags.checkpointEvery);
  // every flag is checked before --print-config returns, as a real run would check it
  checkSubsetFlags(flags);
  threadsFlag(flags.threads);
  parseTags(flags.tag);
  const registry = await createCliRegistry(flags.plugin ?? []);
  if (flags.backend !== undefined) pluginFlag(registry, 'backend', '--backend', flags.backend);
  const previous = flags.resume !== undefined ? await readCheckpointFile(resolve(flags.resume), flags.resume) : null;
  const config = parseExperimentConfig(await buildRawConfig(flags, registry, previous?.checkpoint.config), registry);
  if (flags.printConfig) {
    io.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
    return null;
  }
  if (previous) {
    // the subset first, by its flags' names: the config keeps it as subset.maxTrain and subset.maxTest
    for (const [k, flag] of [['maxTrain', '--max-train'], ['maxTest', '--max-test']] as const) {
      const was = previous.checkpoint.config.subset?.[k];
      if (config.subset?.[k] !== was) throw usageError(`--resume ${flags.resume}: the run was started with ${was === undefined ? `no ${flag}` : `${flag} ${was}`}, not ${flag} ${config.subset?.[k] ?? '(unset)'}: leave ${flag} out to continue it`);
    }
    const fields = configDiff(previous.checkpoint.config, config);
    if (fields.length > 0) throw usageError(`--resume ${flags.resume}: the run was started with other values of ${fields.join(', ')}: leave those flags out to continue it as it was`);
  }
  // --no-plots is kept in the checkpoint: a resumed run draws what the run it continues would have drawn
  const plots = flags.plots !== false && previous?.extras.plots !== false;
  const extras: CliCheckpointExtras = plots ? {} : { plots: false };
  return recordRun(flags, 'train', io.argv ?? ['train'], async (rec) => {
    rec.config(config);
    const backend = await setupBackend(registry, flags.backend, threadsFlag(flags.threads));
    rec.backend(backend.name, backend.tier);
    if (flags.verbose) io.stderr.write(`vib: backend ${backend.name} (${backend.tier}): ${backend.reason}\n`);
    const dataset = await loadConfigDataset(registry, config);
    const out = flags.resume ?? flags.out ?? defaultOutDir('train');
    let checkpointed = previous !== null;
    const body = async (dir: RunDir, signal: AbortSignal) => {
      // read again now that the folder is ours: its writer may have checkpointed once more before it died
      const resumeFrom = previous ? (await readCheckpointFile(dir.path, out)).checkpoint : undefined;
      const onCheckpoint = async (cp: TrainCheckpoint<TypedTensorValues>) => {
        await dir.write(CHECKPOINT_FILE, checkpointPieces(cp, extras));
        checkpointed = true;
      };
      const fault = faultInjection();
      const { result, summary } = await trainWithProgress({
        config, registry, dataset, backend: backend.name, io, signal, quiet: flags.quiet ?? false, onCheckpoint, checkpointEvery,
        onEpochEnd: async (m) => rec.epoch(m),
        ...(resumeFrom ? { resumeFrom } : {}),
        ...(fault ? { faultAtStep: fault } : {}),
      });
      // K = 2 classifiers get the embedding plot of Alemi et al. (2017), Fig. 2
      let codes: LatentCodes | null = null;
      try {
        await saveVibModel(result.model, fileSystemIO(dir.staging('model')));
        await dir.publish('model');
        if (config.latentDim === 2 && result.model.task.views.includes('latent-codes') && plots) {
          codes = await latentCodesAsync(result.model, dataset.test, LATENT_POINTS);
        }
      } finally {
        result.model.model.dispose();
      }
      await dir.write('config.json', `${JSON.stringify(config, null, 2)}\n`);
      await dir.write('metrics.json', `${JSON.stringify({ summary, history: result.history, evaluation: result.evaluation }, null, 2)}\n`);
      if (plots) {
        const lastKl = result.history[result.history.length - 1]?.klPerDimNats ?? null;
        await writePlots(dir, {
          curves: curvesSpec(result.history),
          information: informationSpec(result.history, summary.labelEntropyBits !== null ? { labelEntropyBits: summary.labelEntropyBits } : {}),
          ...(lastKl ? { 'kl-per-dim': klPerDimSpec(lastKl) } : {}),
          ...(codes ? { 'latent-codes': latentSpec(codes) } : {}),
        });
      }
      await rm(join(dir.path, CHECKPOINT_FILE), { force: true });
      return summary;
    };
    const { result: summary, path } = await withRunDir(out, body, {
      ...(flags.resume !== undefined ? { resume: true } : {}),
      stderr: io.stderr,
      holdsCheckpoint: () => checkpointed,
    });
    rec.artifact('dir', path);
    rec.artifact('model', join(path, 'model'));
    rec.artifact('metrics', join(path, 'metrics.json'));
    const full = { ...summary, out: path, runId: rec.id };
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(full)}\n`);
    } else {
      io.stdout.write(`test ${summary.headline}; test ${rateText(summary.rateBits, summary.rateExact)}; ${examples(summary.testExamples, 'test')}; ${summary.epochs} ${summary.epochs === 1 ? 'epoch' : 'epochs'} in ${summary.seconds.toFixed(1)}s on ${summary.backend}\nsaved to ${path} (run ${rec.id})\n`);
      if (summary.testExamples < FEW_TEST_EXAMPLES && !flags.quiet) io.stderr.write(`vib: note: ${fewTestNote(summary.testExamples, summary.accuracy !== null)}\n`);
    }
    return { result: full, summary: { ...summary } };
  });
}
