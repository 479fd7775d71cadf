import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '@vib/core';
import { natsToBits } from '@vib/core';
import { seededPermutation } from '@vib/data';
import type { EpochRecord } from '../metrics/epoch-record.js';
import { inputSize } from './demo-data.js';
import { evaluateSplit, labelEntropyNats } from './epoch-evaluation.js';
import type { VibClassifier } from './vib-classifier.js';
import { PageYielder } from './yield.js';

/** Training settings; β may change while training runs (it is read at every step). */
export interface SessionSettings {
  beta: number;
  batchSize: number;
  learningRate: number;
}

/** Callbacks of {@link ClassifierSession.run}. */
export interface SessionCallbacks {
  /** After each optimizer step, with the epoch's progress in [0, 1]. */
  onBatchEnd?(epoch: number, progress: number): void;
  /** After each epoch, with the model's numbers (the page pushes them into the metrics sink). */
  onEpochEnd?(record: EpochRecord): void | Promise<void>;
}

/**
 * Trains a {@link VibClassifier} epoch by epoch on the main thread, yielding to the page every few
 * tens of milliseconds. Stopping keeps the model and optimizer; the next `run` resumes from there.
 */
export class ClassifierSession {
  /** Epochs completed so far. */
  epoch = 0;
  /** Every epoch's record, as reported to `onEpochEnd`. */
  readonly history: EpochRecord[] = [];
  private readonly optimizer: tf.Optimizer;
  private readonly features: number;
  private readonly hY: number;
  private stopRequested = false;
  private running = false;

  /**
   * @param model - the classifier (the session owns it from now on)
   * @param data - the dataset
   * @param settings - β, batch size, learning rate
   */
  constructor(
    readonly model: VibClassifier,
    readonly data: Dataset,
    readonly settings: SessionSettings,
  ) {
    this.optimizer = tf.train.adam(settings.learningRate);
    this.features = inputSize(data);
    this.hY = labelEntropyNats(data.test.y, data.numClasses);
  }

  /** Whether {@link ClassifierSession.run} is in progress. */
  get isRunning(): boolean {
    return this.running;
  }

  /** Ask the running loop to stop after the current step. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Train for up to `epochs` more epochs (an epoch cut short by `stop` is finished on the next run).
   * @param epochs - epochs to add
   * @param callbacks - progress and per-epoch reports
   * @returns the records of the epochs completed in this call
   */
  async run(epochs: number, callbacks: SessionCallbacks = {}): Promise<EpochRecord[]> {
    if (this.running) return [];
    this.running = true;
    this.stopRequested = false;
    const done: EpochRecord[] = [];
    const yielder = new PageYielder();
    try {
      for (let e = 0; e < epochs && !this.stopRequested; e++) {
        const record = await this.trainEpoch(yielder, callbacks);
        if (!record) break;
        done.push(record);
        await callbacks.onEpochEnd?.(record);
        await yielder.maybeYield();
      }
    } finally {
      this.running = false;
    }
    return done;
  }

  private order: Int32Array | null = null;
  private cursor = 0;
  private sums = { loss: 0, correct: 0, seen: 0 };

  private async trainEpoch(yielder: PageYielder, callbacks: SessionCallbacks): Promise<EpochRecord | null> {
    const { train } = this.data;
    const f = this.features;
    if (!this.order) {
      this.order = Int32Array.from(seededPermutation(train.n, this.epoch + 1));
      this.cursor = 0;
      this.sums = { loss: 0, correct: 0, seen: 0 };
    }
    const order = this.order;
    const vars = this.model.trainableVariables();
    while (this.cursor < train.n) {
      if (this.stopRequested) return null;
      const idx = order.subarray(this.cursor, Math.min(train.n, this.cursor + this.settings.batchSize));
      const bx = new Float32Array(idx.length * f);
      const by = new Int32Array(idx.length);
      idx.forEach((r, i) => {
        bx.set(train.x.subarray(r * f, (r + 1) * f), i * f);
        by[i] = train.y[r]!;
      });
      const beta = this.settings.beta;
      const [loss, hits] = tf.tidy(() => {
        const x = tf.tensor2d(bx, [idx.length, f]);
        const y = tf.tensor1d(by, 'int32');
        let correct: tf.Scalar = tf.scalar(0);
        const l = this.optimizer.minimize(
          () => {
            const enc = this.model.encode(x);
            const logits = this.model.decode(enc.posterior.sample() as tf.Tensor2D);
            correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'float32')));
            const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(y, this.data.numClasses), logits);
            return tf.add(ce, tf.mul(beta, tf.mean(this.model.kl(enc.posterior).total))) as tf.Scalar;
          },
          true,
          vars,
        );
        return [l ?? tf.scalar(Number.NaN), correct];
      });
      this.sums.loss += (await loss.data())[0]! * idx.length;
      this.sums.correct += (await hits.data())[0]!;
      this.sums.seen += idx.length;
      tf.dispose([loss, hits]);
      this.cursor += idx.length;
      callbacks.onBatchEnd?.(this.epoch + 1, this.cursor / train.n);
      await yielder.maybeYield();
    }
    this.order = null;
    this.epoch += 1;
    const test = evaluateSplit(this.model, this.data.test, f);
    const izy = this.hY - test.crossEntropyNats;
    const record: EpochRecord = {
      epoch: this.epoch,
      loss: this.sums.loss / Math.max(1, this.sums.seen),
      trainAccuracy: this.sums.correct / Math.max(1, this.sums.seen),
      testAccuracy: test.accuracy,
      rateNats: test.rateNats,
      rateBits: natsToBits(test.rateNats),
      izyNats: izy,
      izyBits: natsToBits(izy),
      beta: this.settings.beta,
      klPerDimNats: test.klPerDimNats,
    };
    this.history.push(record);
    return record;
  }

  /** Free the model and optimizer. */
  dispose(): void {
    this.stop();
    this.optimizer.dispose();
    this.model.dispose();
  }
}
