import * as tf from '@tensorflow/tfjs';
import { emaUpdate } from '@vib/core';
import { deserializeTensor, serializeTensor, type SerializedTensor } from './serialized-tensor.js';

/**
 * An exponential moving average of weights, w̄ ← d_t·w̄ + (1 − d_t)·w after step t
 * (Alemi et al. 2017 evaluate with d = 0.999).
 *
 * The decay warms up as in TensorFlow's `ExponentialMovingAverage` with `num_updates`:
 * d_t = min(d, (1 + t)/(10 + t)), so a short run is not evaluated on an average still dominated
 * by the initial weights (with d = 0.999 and no warm-up, 500 steps leave 61% of the weight on them).
 */
export class WeightAverage {
  private readonly shadows: tf.Variable[];

  /**
   * @param vars - the weights to average (the shadows start at their current values)
   * @param decay - d in [0, 1]
   */
  constructor(
    private readonly vars: readonly tf.Variable[],
    private readonly decay: number,
  ) {
    this.shadows = vars.map((v) => tf.variable(v.clone(), false));
  }

  /**
   * The decay used after global step `step` (from 0): min(d, (1 + step)/(10 + step)).
   * @param step - global step index
   * @returns the effective decay d_t
   */
  decayAt(step: number): number {
    return Math.min(this.decay, (1 + step) / (10 + step));
  }

  /**
   * Fold the current weights into the average.
   * @param step - global step index just taken (from 0), for the warm-up
   */
  update(step: number): void {
    const d = this.decayAt(step);
    tf.tidy(() => {
      this.vars.forEach((v, i) => {
        const s = this.shadows[i] as tf.Variable;
        s.assign(emaUpdate(s, v, d));
      });
    });
  }

  /** Exchange the weights and their averages (call twice to undo). */
  swap(): void {
    tf.tidy(() => {
      this.vars.forEach((v, i) => {
        const s = this.shadows[i] as tf.Variable;
        const w = v.clone();
        v.assign(s);
        s.assign(w);
      });
    });
  }

  /**
   * The averages as JSON.
   * @returns one serialized tensor per weight
   */
  async save(): Promise<SerializedTensor[]> {
    return Promise.all(this.shadows.map((s, i) => serializeTensor(`ema/${i}`, s)));
  }

  /**
   * Restore saved averages.
   * @param saved - what {@link WeightAverage.save} returned
   */
  load(saved: readonly SerializedTensor[]): void {
    saved.forEach((s, i) => {
      const t = deserializeTensor(s);
      this.shadows[i]?.assign(t);
      t.dispose();
    });
  }

  /** Release the averages. */
  dispose(): void {
    for (const s of this.shadows) s.dispose();
  }
}
