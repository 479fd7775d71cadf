import type { Dataset, Registry } from '@vib/core';
import { labelEntropy, natsToBits } from '@vib/core';
import { createTrainer, type EpochMetrics, type EvaluationResult, type ExperimentConfig, type StopReason, type TensorValues, type TrainCheckpoint, type Trainer, type TypedTensorValues, type VibModel } from '@vib/tasks';
import type { CliIO } from './cli-io.js';
import { ProgressBar } from './output/progress.js';
import { epochLine } from './output/epoch-line.js';
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
  /**
   * Seed of every sampled code in the test figures (the run's `seed`): each epoch's evaluation and the final one draw
   * the same codes, and `vib eval` draws them too unless given another `--seed`.
   */
  evalSeed: number;
  /** Test reconstruction −log p(x|z), nats per example (reconstruction), else null. */
  reconstructionNats: number | null;
  /** Test rate KL(p(z|x) ‖ r(z)) in bits: an upper bound on I(X;Z) when exact. The same number as {@link RunSummary.testRateBits}, kept under this name for the runs recorded before it. */
  rateBits: number;
  /** Test rate KL(p(z|x) ‖ r(z)) in bits (mean code's posterior over the test split), named for its split. */
  testRateBits: number;
  /** Whether the rate is a closed-form KL (true) or a Monte Carlo estimate (false). */
  rateExact: boolean;
  /** Last epoch's training H(Y_train) − CE_train in bits: a lower bound on I(Z;Y) (classification), else null. The same number as {@link RunSummary.trainIzyBits}, kept under this name for the runs recorded before it. */
  izyBits: number | null;
  /** Last epoch's training bound on I(Z;Y) in bits (see `izyBits`), named for its split. */
  trainIzyBits: number | null;
  /**
   * Held-out bound H(Y_test) − CE_test in bits, where CE_test is the final evaluation's test −log q(y|z) with
   * one sampled z ~ p(z|x) per example (an unbiased estimate of the CE term of the bound on I(Z;Y)); null for
   * reconstruction. The same number as {@link RunSummary.testIzyBits}.
   */
  izyTestBits: number | null;
  /** The held-out bound on I(Z;Y) in bits (see `izyTestBits`), named as the per-epoch history names it. */
  testIzyBits: number | null;
  /** Test −log q(y|z) in nats per example with one sampled z ~ p(z|x) per example (the final evaluation). */
  testCrossEntropyNats: number;
  /** Entropy of the training labels H(Y_train) in bits (classification), else null. */
  labelEntropyBits: number | null;
  /** Entropy of the test labels H(Y_test) in bits (classification), else null. */
  testLabelEntropyBits: number | null;
  beta: number;
  /** Examples in the training split the run used (after `--max-train`). */
  trainExamples: number;
  /** Examples in the test split every test figure is measured on (after `--max-test`). */
  testExamples: number;
  stopReason: string;
  /** The task's own line for the final evaluation (what `vib eval` prints), e.g. `accuracy 97.10% (mean code), ...`. */
  headline: string;
}

/** What a finished CLI training run hands back: the trained model, its history and final evaluation. */
export interface CliTrainResult {
  /** The trained model (EMA weights when the config keeps an EMA). */
  readonly model: VibModel;
  /** Metrics per completed epoch. */
  readonly history: readonly EpochMetrics[];
  /** Why the run ended. */
  readonly stopReason: StopReason;
  /** The final test evaluation with `evalSamples` codes. */
  readonly evaluation: EvaluationResult;
}

/** Checkpoints as the CLI takes them: typed values, written to a binary file (half a plain array's memory). */
const TYPED = { values: 'typed' } as const;

/**
 * Train once with a progress bar on stderr, driving @vib/tasks' open trainer, then summarize.
 * @param args - config, registry, dataset, backend name, IO, abort signal, quiet, a hook to adjust the
 *   trainer before the first step (e.g. `setBeta`), an extra per-epoch hook that sees the live trainer
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
  prepare?: (trainer: Trainer) => void;
  onEpochEnd?: (metrics: EpochMetrics, trainer: Trainer) => Promise<void> | void;
  /** A checkpoint to continue from. */
  resumeFrom?: TrainCheckpoint<TensorValues>;
  /** Called with a checkpoint after every epoch, every `checkpointEvery` steps, and when the run is interrupted. */
  onCheckpoint?: (checkpoint: TrainCheckpoint<TypedTensorValues>) => Promise<void>;
  /** Steps between checkpoints inside an epoch (0 or unset: only at epoch ends). */
  checkpointEvery?: number;
  /** Fault injection for tests: after this global step, send this signal to the process itself (e.g. SIGKILL). */
  faultAtStep?: { step: number; signal: NodeJS.Signals };
}): Promise<{ result: CliTrainResult; summary: RunSummary }> {
  const { config, dataset, signal } = args;
  const trainer = await createTrainer({ config, registry: args.registry, dataset, ...(args.resumeFrom ? { resumeFrom: args.resumeFrom } : {}) });
  args.prepare?.(trainer);
  const bar = new ProgressBar(args.io.stderr, config.epochs, trainer.stepsPerEpoch, args.quiet ?? false, args.label ?? '');
  const started = Date.now();
  const prefix = args.label ? `${args.label} ` : '';
  let stopReason: StopReason = 'completed';
  while (trainer.epochsDone < config.epochs) {
    const outcome = signal?.aborted === true
      ? ({ completed: false } as const)
      : await trainer.epoch({
          ...(signal ? { signal } : {}),
          onBatchEnd: async (b) => {
            const soFar = b.epochSoFar;
            const accuracy = soFar.metrics['accuracy'];
            bar.batch(b.epoch - 1, b.batch - 1, { loss: soFar.loss, rateBits: soFar.rateBits, rateExact: soFar.rateExact, ...(accuracy !== undefined ? { accuracy } : {}) });
            const step = trainer.stepsDone;
            const every = args.checkpointEvery ?? 0;
            // the epoch's last batch is checkpointed after the epoch's metrics, below
            if (args.onCheckpoint && every > 0 && b.batch < b.batches && step % every === 0) await args.onCheckpoint(await trainer.checkpoint(TYPED));
            if (args.faultAtStep?.step === step) process.kill(process.pid, args.faultAtStep.signal);
          },
        });
    if (!outcome.completed) {
      // stopped between two batches: that position resumes exactly
      if (args.onCheckpoint && trainer.stepsDone > 0) await args.onCheckpoint(await trainer.checkpoint(TYPED));
      await trainer.finish();
      trainer.model.model.dispose();
      throw new CliError('interrupted: the run was stopped', { details: { exitCode: 130 } });
    }
    const m = outcome.metrics;
    await args.onEpochEnd?.(m, trainer);
    if (args.onCheckpoint) await args.onCheckpoint(await trainer.checkpoint(TYPED));
    bar.epochEnd(`${prefix}${epochLine(m, config.epochs)}`);
    if (outcome.earlyStop) {
      stopReason = 'early-stopping';
      break;
    }
  }
  const result: CliTrainResult = { model: trainer.model, history: [...trainer.history], stopReason, evaluation: await trainer.finish() };
  const lastEpoch = result.history[result.history.length - 1];
  const ev = result.evaluation;
  // the task's own bound on I(Z;Y), on the test split with one sampled code per example (null when it has none)
  const izyTest = result.model.task.epochFigures({
    trainNllNats: ev.oneSample.nllNats,
    trainMetrics: ev.oneSample.metrics,
    test: ev.mean,
    trainSplit: dataset.test,
    numClasses: dataset.numClasses,
  }).izy;
  const hyTrain = izyTest !== null ? labelEntropy(dataset.train.y, dataset.numClasses) : null;
  const hyTest = izyTest !== null ? labelEntropy(dataset.test.y, dataset.numClasses) : null;
  const summary: RunSummary = {
    backend: args.backend,
    dataset: dataset.name,
    task: config.task.name,
    epochs: result.history.length,
    seconds: (Date.now() - started) / 1000,
    accuracy: ev.mean.accuracy,
    accuracySampled: ev.multiSample.accuracy,
    evalSamples: ev.multiSample.samples,
    evalSeed: config.seed,
    reconstructionNats: lastEpoch?.reconstructionNats ?? null,
    rateBits: natsToBits(ev.rateNats),
    testRateBits: natsToBits(ev.rateNats),
    rateExact: ev.rateExact,
    izyBits: lastEpoch?.izyBits ?? null,
    trainIzyBits: lastEpoch?.izyBits ?? null,
    izyTestBits: izyTest?.bits ?? null,
    testIzyBits: izyTest?.bits ?? null,
    testCrossEntropyNats: ev.oneSample.nllNats,
    labelEntropyBits: hyTrain?.bits ?? null,
    testLabelEntropyBits: hyTest?.bits ?? null,
    beta: lastEpoch?.beta ?? Number.NaN,
    trainExamples: dataset.train.n,
    testExamples: dataset.test.n,
    stopReason: result.stopReason,
    headline: result.model.task.describe([['mean code', ev.mean], [`${ev.multiSample.samples} samples`, ev.multiSample]]),
  };
  return { result, summary };
}
