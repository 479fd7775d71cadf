import type { Dataset, Registry } from '@vib/core';
import { izyLowerBound, labelEntropy, natsToBits } from '@vib/core';
import { train, type EpochMetrics, type ExperimentConfig, type TrainControl, type TrainResult } from '@vib/tasks';
import type { CliIO } from './cli-io.js';
import { ProgressBar } from './output/progress.js';
import { CliError } from './util/cli-error.js';

/** The numbers a training run reports (what `--json` prints, plus the output path). */
export interface RunSummary {
  backend: string;
  dataset: string;
  task: string;
  epochs: number;
  seconds: number;
  /** Test accuracy with the mean code (classification), else null. */
  accuracy: number | null;
  /** Test accuracy averaging q(y|z) over `evalSamples` sampled codes, else null. */
  accuracySampled: number | null;
  evalSamples: number;
  /** Test reconstruction −log p(x|z), nats per example (reconstruction), else null. */
  reconstructionNats: number | null;
  /** Test rate KL(p(z|x) ‖ r(z)) in bits: an upper bound on I(X;Z). */
  rateBits: number;
  /** Last epoch's training H(Y_train) − CE_train in bits: a lower bound on I(Z;Y) (classification), else null. */
  izyBits: number | null;
  /**
   * Held-out bound H(Y_test) − CE_test in bits, where CE_test is the final evaluation's test −log q(y|z) with
   * one sampled z ~ p(z|x) per example (an unbiased estimate of the CE term of the bound on I(Z;Y)); null for
   * reconstruction.
   */
  izyTestBits: number | null;
  /** Test −log q(y|z) in nats per example with one sampled z ~ p(z|x) per example (the final evaluation). */
  testCrossEntropyNats: number;
  /** Entropy of the training labels H(Y_train) in bits (classification), else null. */
  labelEntropyBits: number | null;
  /** Entropy of the test labels H(Y_test) in bits (classification), else null. */
  testLabelEntropyBits: number | null;
  beta: number;
  stopReason: string;
}

/**
 * Train once with a progress bar on stderr, then summarize.
 * @param args - config, registry, dataset, backend name, IO, abort signal, quiet, an extra per-epoch hook
 * @returns the training result and its summary
 * @throws {@link CliError} when interrupted
 */
export async function trainWithProgress(args: {
  config: ExperimentConfig;
  registry: Registry;
  dataset: Dataset;
  backend: string;
  io: CliIO;
  signal?: AbortSignal;
  quiet?: boolean;
  label?: string;
  onEpochEnd?: (metrics: EpochMetrics, control: TrainControl) => Promise<void>;
}): Promise<{ result: TrainResult; summary: RunSummary }> {
  const { config, dataset } = args;
  const batches = Math.ceil(dataset.train.n / config.batchSize);
  const bar = new ProgressBar(args.io.stderr, config.epochs, batches, args.quiet ?? false);
  const started = Date.now();
  let last: { accuracy?: number; rateBits?: number } = {};
  const prefix = args.label ? `${args.label} ` : '';
  const result = await train({
    config,
    registry: args.registry,
    dataset,
    ...(args.signal ? { signal: args.signal } : {}),
    callbacks: {
      onBatchEnd: (b) => bar.batch(b.epoch - 1, b.batch - 1, { loss: b.loss, ...last }),
      onEpochEnd: async (m, control) => {
        await args.onEpochEnd?.(m, control);
        last = { ...(m.testAccuracy !== null ? { accuracy: m.testAccuracy } : {}), rateBits: m.rateBits };
        const score = m.testAccuracy !== null ? `test acc ${m.testAccuracy.toFixed(4)}` : `test recon ${(m.reconstructionNats ?? m.testLoss).toFixed(2)} nats`;
        const izy = m.izyBits !== null ? ` I(Z;Y)≥${m.izyBits.toFixed(3)}` : '';
        bar.epochEnd(`${prefix}epoch ${m.epoch}/${config.epochs} loss ${m.loss.toFixed(4)} ${score} rate ${m.rateBits.toFixed(2)} bits${izy} β=${m.beta.toPrecision(3)} (${m.seconds.toFixed(1)}s)`);
      },
    },
  });
  if (result.stopReason === 'aborted') {
    result.model.model.dispose();
    throw new CliError('interrupted (SIGINT): the run was stopped and nothing was saved; run again to completion', { details: { exitCode: 130 } });
  }
  const lastEpoch = result.history[result.history.length - 1];
  const ev = result.evaluation;
  const classification = ev.mean.accuracy !== null;
  const hyTrain = classification ? labelEntropy(dataset.train.y, dataset.numClasses) : null;
  const hyTest = classification ? labelEntropy(dataset.test.y, dataset.numClasses) : null;
  const summary: RunSummary = {
    backend: args.backend,
    dataset: dataset.name,
    task: config.task.name,
    epochs: result.history.length,
    seconds: (Date.now() - started) / 1000,
    accuracy: ev.mean.accuracy,
    accuracySampled: ev.multiSample.accuracy,
    evalSamples: ev.multiSample.samples,
    reconstructionNats: lastEpoch?.reconstructionNats ?? null,
    rateBits: natsToBits(ev.rateNats),
    izyBits: lastEpoch?.izyBits ?? null,
    izyTestBits: hyTest ? izyLowerBound({ crossEntropyNats: ev.oneSample.nllNats, labelEntropyNats: hyTest.nats }).bits : null,
    testCrossEntropyNats: ev.oneSample.nllNats,
    labelEntropyBits: hyTrain?.bits ?? null,
    testLabelEntropyBits: hyTest?.bits ?? null,
    beta: lastEpoch?.beta ?? Number.NaN,
    stopReason: result.stopReason,
  };
  return { result, summary };
}
