import type { Dataset } from '@vib/core';
import { natsToBits, resolvePluginRef } from '@vib/core';
import { checkDataFitsModel, evaluate, importanceWeightedEvaluation } from '@vib/tasks';
import { setupBackend, threadsFlag } from '../backend-setup.js';
import type { CliIO, GlobalFlags } from '../cli-io.js';
import { resolveDataFlag } from '../data-ref.js';
import { loadDataset } from '../dataset-load.js';
import { loadModelDir, resolveModelRef } from '../model-dir.js';
import { recordRun, type RunRecorder } from '../store/run-recorder.js';
import { createCliRegistry } from '../registry.js';
import { rateText } from '../output/rate-text.js';
import { parseCountFlag, parseNumberFlag } from '../util/parse-flags.js';

/** Flags of `vib eval`. */
export type EvalFlags = GlobalFlags & {
  readonly model: string;
  readonly data?: string;
  readonly labelColumn?: string;
  readonly samples: string;
  readonly maxTest?: string;
  readonly seed: string;
  /** `--iw-samples K`: also report the importance-weighted bound on log p(x) (reconstruction models). */
  readonly iwSamples?: string;
};

/**
 * `vib eval`: load a saved model and evaluate it on a dataset's test split with the mean code,
 * one sampled code, and S sampled codes averaged.
 * @param flags - parsed flags
 * @param io - stdout/stderr
 * @returns the result object printed with --json
 */
export async function evalCommand(flags: EvalFlags, io: CliIO) {
  return recordRun(flags, 'eval', io.argv ?? ['eval'], async (rec) => {
    const out = await runEval(flags, io, rec);
    return { result: out, summary: out };
  });
}

async function runEval(flags: EvalFlags, io: CliIO, rec: RunRecorder) {
  const samples = parseCountFlag('--samples', flags.samples);
  const seed = parseNumberFlag('--seed', flags.seed, [(v) => Number.isInteger(v) && v >= 0, 'an integer ≥ 0'], '1');
  const registry = await createCliRegistry(flags.plugin ?? []);
  const backend = await setupBackend(registry, flags.backend, threadsFlag(flags.threads));
  rec.backend(backend.name, backend.tier);
  const vm = await loadModelDir(flags.model, registry, flags);
  rec.artifact('model', await resolveModelRef(flags.model, flags));
  rec.config(vm.config);
  try {
    const ref = flags.data !== undefined ? await resolveDataFlag(flags.data, registry, flags.labelColumn) : vm.config.dataset;
    const dataset: Dataset = await loadDataset(registry, resolvePluginRef(registry, 'dataset', ref, 'dataset'), {
      ...(flags.maxTest !== undefined ? { maxTest: flags.maxTest } : {}),
      maxTrain: '1',
    });
    if (flags.data !== undefined) checkDataFitsModel(vm, dataset, { model: flags.model, data: flags.data });
    const r = await evaluate(vm, dataset.test, { samples, seed });
    const iw = flags.iwSamples === undefined ? null : await importanceWeightedEvaluation(vm, dataset.test, { samples: parseCountFlag('--iw-samples', flags.iwSamples), seed });
    const out = {
      backend: backend.name,
      dataset: dataset.name,
      n: r.n,
      accuracy: r.mean.accuracy,
      accuracySampled: r.multiSample.accuracy,
      accuracyOneSample: r.oneSample.accuracy,
      samples,
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
      io.stdout.write(`${dataset.name} test (${r.n}): ${line}; ${rateText(out.rateBits, r.rateExact)}\n`);
      if (iw) io.stdout.write(`log q(target|x) ≥ ${iw.boundNats.toFixed(2)} nats (importance-weighted bound, K = ${iw.samples}; ELBO of the same draws ${iw.elboNats.toFixed(2)})\n`);
    }
    return out;
  } finally {
    vm.model.dispose();
  }
}
