import * as tf from '@tensorflow/tfjs';
import { deserializeTensor, serializeTensor, type SerializedTensor } from './serialized-tensor.js';

/**
 * An exponential moving average of weights, w̄ ← d·w̄ + (1 − d)·w after each step
 * (Alemi et al. 2017 evaluate with d = 0.999).
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

  /** Fold the current weights into the average. */
  update(): void {
    tf.tidy(() => {
      this.vars.forEach((v, i) => {
        const s = this.shadows[i] as tf.Variable;
        s.assign(tf.add(tf.mul(s, this.decay), tf.mul(v, 1 - this.decay)));
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
