import type { Dataset, Registry } from '@vib/core';
import { aupr, auroc, calibration, NATS_PER_BIT, resolvePluginRef } from '@vib/core';
import { uncertaintyScores, type UncertaintyScores } from '@vib/tasks';
import { setupBackend, threadsFlag } from '../backend-setup.js';
import type { CliIO, GlobalFlags } from '../cli-io.js';
import { resolveDataFlag } from '../data-ref.js';
import { loadDataset } from '../dataset-load.js';
import { loadModelDir } from '../model-dir.js';
import { recordMeta } from '../output/record-meta.js';
import { defaultOutDir, withRunDir } from '../output/run-dir.js';
import { uncertaintySpec } from '../plots/uncertainty-plot.js';
import { writePlots } from '../plots/write-plots.js';
import { createCliRegistry } from '../registry.js';
import { CliError } from '../util/cli-error.js';
import { CALIBRATION_BINS_BOUNDS, checkSampleTensor, SAMPLES_BOUNDS } from '../util/flag-bounds.js';
import { widthAfterBottleneck } from '../util/sample-width.js';
import { parseCountFlag, parseSeedFlag } from '../util/parse-flags.js';
import { modelLabel } from './model-label.js';

/** Test examples per batch of the S-sample scores (the library's default). */
const UNCERTAINTY_BATCH = 500;

/** Flags of `vib uncertainty`. */
export type UncertaintyFlags = GlobalFlags & {
  readonly model: string;
  readonly ood: string;
  readonly data?: string;
  readonly samples: string;
  readonly bins: string;
  readonly maxTest?: string;
  readonly seed: string;
  readonly plots?: boolean;
};

async function testSplit(registry: Registry, ref: { name: string; config?: unknown }, maxTest: string | undefined): Promise<Dataset> {
  return loadDataset(registry, resolvePluginRef(registry, 'dataset', ref, 'dataset'), { ...(maxTest !== undefined ? { maxTest } : {}), maxTrain: '1' });
}

/** Each score oriented so that higher means "more likely out of distribution". */
function oodScores(s: UncertaintyScores): Record<'rate' | 'entropy' | 'oneMinusMaxProb', Float64Array> {
  return { rate: s.rateNats, entropy: s.entropyNats, oneMinusMaxProb: s.maxProb.map((p) => 1 - p) };
}

/**
 * `vib uncertainty`: per-example rate, predictive entropy and confidence of a saved classifier on its test set and
 * on an out-of-distribution test set; AUROC and AUPR of each score (OOD = positive), expected calibration error with
 * a reliability diagram; writes uncertainty.json and a plot.
 * @param flags - parsed flags
 * @param io - stdout/stderr
 * @returns the record written
 * @throws {@link CliError} when the OOD data has another input shape
 */
export async function uncertaintyCommand(flags: UncertaintyFlags, io: CliIO) {
  const started = performance.now();
  const samples = parseCountFlag('--samples', flags.samples, SAMPLES_BOUNDS);
  const bins = parseCountFlag('--bins', flags.bins, CALIBRATION_BINS_BOUNDS);
  const seed = parseSeedFlag('--seed', flags.seed);
  const registry = await createCliRegistry(flags.plugin ?? []);
  const backend = await setupBackend(registry, flags.backend, threadsFlag(flags.threads));
  const vm = await loadModelDir(flags.model, registry);
  try {
    const inData = await testSplit(registry, flags.data !== undefined ? await resolveDataFlag(flags.data, registry) : vm.config.dataset, flags.maxTest);
    const oodData = await testSplit(registry, await resolveDataFlag(flags.ood, registry, undefined, '--ood'), flags.maxTest);
    if (oodData.inputShape.join('x') !== vm.inputShape.join('x')) {
      throw new CliError(`--ood ${flags.ood}: inputs ${oodData.inputShape.join('x')} do not fit the model's ${vm.inputShape.join('x')}: pick a dataset of the same shape (e.g. mnist against fashion-mnist)`);
    }
    checkSampleTensor('--samples', samples, Math.min(Math.max(inData.test.n, oodData.test.n), UNCERTAINTY_BATCH), widthAfterBottleneck(vm));
    const sIn = await uncertaintyScores(vm, inData.test, { samples, seed, batchSize: UNCERTAINTY_BATCH });
    const sOut = await uncertaintyScores(vm, oodData.test, { samples, seed: seed + 1, batchSize: UNCERTAINTY_BATCH });
    const [oIn, oOut] = [oodScores(sIn), oodScores(sOut)];
    const detection = Object.fromEntries(
      (Object.keys(oIn) as (keyof typeof oIn)[]).map((k) => [k, { auroc: auroc(oIn[k], oOut[k]), aupr: aupr(oIn[k], oOut[k]) }]),
    );
    const calib = calibration(sIn.maxProb, sIn.correct, bins);
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((x, v) => x + v, 0) / Math.max(a.length, 1);
    const label = modelLabel(flags.model, vm);
    const record = {
      kind: 'uncertainty',
      model: { path: flags.model, label, model: vm.config.model, beta: vm.bottleneck.controller.beta },
      inDistribution: { dataset: inData.name, split: 'test', n: inData.test.n, accuracy: mean(sIn.correct), accuracySampled: mean(sIn.correct), meanRateBits: mean(sIn.rateNats) / NATS_PER_BIT, meanEntropyNats: mean(sIn.entropyNats) },
      outOfDistribution: { dataset: oodData.name, split: 'test', n: oodData.test.n, meanRateBits: mean(sOut.rateNats) / NATS_PER_BIT, meanEntropyNats: mean(sOut.entropyNats) },
      samples,
      seed,
      detection,
      calibration: calib,
      ...recordMeta(backend.name, started),
    };
    const { path } = await withRunDir(flags.out ?? defaultOutDir('uncertainty'), async (dir) => {
      await dir.write('uncertainty.json', `${JSON.stringify(record, null, 2)}\n`);
      if (flags.plots !== false) {
        const toBits = (a: Float64Array) => a.map((v) => v / NATS_PER_BIT);
        const rates = { [`${inData.name} (in)`]: toBits(sIn.rateNats), [`${oodData.name} (OOD)`]: toBits(sOut.rateNats) };
        await writePlots(dir, { uncertainty: uncertaintySpec(rates, calib.bins, `${label}: ${inData.name} against ${oodData.name}, ${samples}-sample predictive`) });
      }
    });
    if (flags.json) io.stdout.write(`${JSON.stringify({ ...record, out: path })}\n`);
    else {
      const d = (k: string) => `AUROC ${detection[k]!.auroc.toFixed(3)}, AUPR ${detection[k]!.aupr.toFixed(3)}`;
      io.stdout.write(
        `${label}: ${inData.name} test (${inData.test.n}, in) against ${oodData.name} test (${oodData.test.n}, OOD): rate ${d('rate')}; entropy ${d('entropy')}; 1 − max q ${d('oneMinusMaxProb')} (both of the ${samples}-sample predictive); ECE ${(calib.ece * 100).toFixed(2)}% (${bins} bins)\nsaved to ${path}\n`,
      );
    }
    return { ...record, out: path };
  } finally {
    vm.model.dispose();
  }
}
