import type { Dataset, Registry } from '@vib/core';
import { natsToBits, resolvePluginRef } from '@vib/core';
import { checkDataFitsModel, evaluate, importanceWeightedEvaluation, type VibModel } from '@vib/tasks';
import { setupBackend, threadsFlag } from '../backend-setup.js';
import type { CliIO, GlobalFlags } from '../cli-io.js';
import { resolveDataFlag, type DatasetRef } from '../data-ref.js';
import { checkSubsetFlags, loadDataset } from '../dataset-load.js';
import { loadModelDir, resolveModelRef } from '../model-dir.js';
import { recordRun, type RunRecorder } from '../store/run-recorder.js';
import { createCliRegistry } from '../registry.js';
import { rateText } from '../output/rate-text.js';
import { checkSampleTensor, SAMPLES_BOUNDS } from '../util/flag-bounds.js';
import { parseCountFlag, parseSeedFlag } from '../util/parse-flags.js';
import { widthAfterBottleneck } from '../util/sample-width.js';
import { pluginFlag } from '../util/plugin-flag.js';

/** Flags of `vib eval`. */
export type EvalFlags = GlobalFlags & {
  readonly model: string;
  readonly data?: string;
  readonly labelColumn?: string;
  readonly samples: string;
  readonly maxTest?: string;
  /** Seed of the sampled codes (default: the seed the model was trained with). */
  readonly seed?: string;
  /** `--iw-samples K`: also report the importance-weighted bound on log p(x) (reconstruction models). */
  readonly iwSamples?: string;
};

/** Test examples per batch of the evaluation with S codes, and of the importance-weighted bound (the library's defaults). */
const EVAL_BATCH = 500;
const IW_BATCH = 100;

/** The flags of `vib eval`, checked: everything a usage error can be found in before the model is loaded. */
interface EvalPlan {
  readonly samples: number;
  readonly iwSamples: number | null;
  /** `--seed`; null for the model's own seed, read once the model is loaded. */
  readonly seed: number | null;
  readonly threads: number | undefined;
  readonly registry: Registry;
  /** `--data`, resolved; null for the model's own dataset. */
  readonly data: DatasetRef | null;
}

/** Check every flag of `vib eval` that needs no model, so a bad value is refused before a run is recorded. */
async function planEval(flags: EvalFlags): Promise<EvalPlan> {
  const samples = parseCountFlag('--samples', flags.samples, SAMPLES_BOUNDS);
  const iwSamples = flags.iwSamples === undefined ? null : parseCountFlag('--iw-samples', flags.iwSamples, SAMPLES_BOUNDS);
  const seed = flags.seed === undefined ? null : parseSeedFlag('--seed', flags.seed);
  const threads = threadsFlag(flags.threads);
  checkSubsetFlags(flags.maxTest !== undefined ? { maxTest: flags.maxTest } : {});
  const registry = await createCliRegistry(flags.plugin ?? []);
  if (flags.backend !== undefined) pluginFlag(registry, 'backend', '--backend', flags.backend);
  const data = flags.data !== undefined ? await resolveDataFlag(flags.data, registry, flags.labelColumn) : null;
  return { samples, iwSamples, seed, threads, registry, data };
}

/**
 * `vib eval`: load a saved model and evaluate it on a dataset's test split with the mean code,
 * one sampled code, and S sampled codes averaged.
 * @param flags - parsed flags
 * @param io - stdout/stderr
 * @returns the result object printed with --json
 * @throws {@link CliError} (exit code 2) for --samples or --iw-samples above 10,000, or whose S codes per batch would
 *   not fit in 2^28 values (1 GiB of float32)
 */
export async function evalCommand(flags: EvalFlags, io: CliIO) {
  const plan = await planEval(flags);
  return recordRun(flags, 'eval', io.argv ?? ['eval'], async (rec) => {
    const out = await runEval(plan, flags, io, rec);
    return { result: out, summary: out };
  });
}

async function runEval(plan: EvalPlan, flags: EvalFlags, io: CliIO, rec: RunRecorder) {
  const { samples, iwSamples, registry } = plan;
  const backend = await setupBackend(registry, flags.backend, plan.threads);
  rec.backend(backend.name, backend.tier);
  const vm = await loadModelDir(flags.model, registry, flags);
  // the trainer draws its evaluations' codes from the run's seed: by default `vib eval` draws the same ones, so that on
  // the run's own test split it gives the figures the run reported
  const seed = plan.seed ?? vm.config.seed;
  rec.artifact('model', await resolveModelRef(flags.model, flags));
  rec.config(vm.config);
  try {
    const ref = plan.data ?? vm.config.dataset;
    const dataset: Dataset = await loadDataset(registry, resolvePluginRef(registry, 'dataset', ref, 'dataset'), {
      ...(flags.maxTest !== undefined ? { maxTest: flags.maxTest } : {}),
      maxTrain: '1',
    });
    if (flags.data !== undefined) checkDataFitsModel(vm, dataset, { model: flags.model, data: `--data ${flags.data}` });
    const width = widthAfterBottleneck(vm);
    checkSampleTensor('--samples', samples, Math.min(dataset.test.n, EVAL_BATCH), width);
    if (iwSamples !== null) checkSampleTensor('--iw-samples', iwSamples, Math.min(dataset.test.n, IW_BATCH), width);
    const r = await evaluate(vm, dataset.test, { samples, seed, batchSize: EVAL_BATCH });
    const iw = iwSamples === null ? null : await importanceWeightedEvaluation(vm, dataset.test, { samples: iwSamples, seed, batchSize: IW_BATCH });
    const out = {
      backend: backend.name,
      dataset: dataset.name,
      n: r.n,
      accuracy: r.mean.accuracy,
      accuracySampled: r.multiSample.accuracy,
      accuracyOneSample: r.oneSample.accuracy,
      samples,
      seed,
      nllNats: r.mean.nllNats,
      nllSampledNats: r.multiSample.nllNats,
      metrics: r.mean.metrics,
      metricsSampled: r.multiSample.metrics,
      rateBits: natsToBits(r.rateNats),
      rateExact: r.rateExact,
      ...(iw ? { iwSamples: iw.samples, iwBoundNats: iw.boundNats, iwElboNats: iw.elboNats } : {}),
    };
    if (flags.json) io.stdout.write(`${JSON.stringify(out)}\n`);
    else {
      // the task says what its scores mean (accuracy, −log p(x|z), ...)
      const line = vm.task.describe([['mean code', r.mean], [`${samples} samples`, r.multiSample], ['1 sample', r.oneSample]]);
      io.stdout.write(`${dataset.name} test (${r.n}): ${line}; ${rateText(out.rateBits, r.rateExact)}; codes drawn with seed ${seed}${plan.seed === null ? " (the run's)" : ''}\n`);
      if (iw) io.stdout.write(`test log q(target|x) ≥ ${iw.boundNats.toFixed(2)} nats per example (importance-weighted bound, K = ${iw.samples} sampled codes; ELBO of the same draws ${iw.elboNats.toFixed(2)})\n`);
    }
    return out;
  } finally {
    vm.model.dispose();
  }
}
