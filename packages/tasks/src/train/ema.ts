import * as tf from '@tensorflow/tfjs';
import { assignEma } from '@vib/core';
import { deserializeTensor, serializeAll, type SerializedTensor, type TensorValues, type ValuesForm } from './serialized-tensor.js';

/** A copy in a buffer of its own (x · 1 is x bit for bit; `clone` would share the buffer). */
const copyOf = (t: tf.Tensor): tf.Tensor => tf.tidy(() => tf.mul(t, tf.scalar(1, t.dtype)));

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
    this.shadows = vars.map((v) => {
      const c = copyOf(v);
      const s = tf.variable(c, false);
      c.dispose(); // the variable keeps the data, and is its only holder
      return s;
    });
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
    tf.tidy(() => this.vars.forEach((v, i) => assignEma(this.shadows[i] as tf.Variable, v, d)));
  }

  /**
   * Exchange the weights and their averages (call twice to undo). They exchange copies, never buffers: an average
   * may be updated in place (`assignEma`), and a buffer a weight once had may still be cached by a matmul kernel
   * (tfjs-wasm keeps packed weights by tensor), so no buffer moves between the two sides.
   */
  swap(): void {
    tf.tidy(() => {
      this.vars.forEach((v, i) => {
        const s = this.shadows[i] as tf.Variable;
        const w = copyOf(v);
        v.assign(copyOf(s));
        s.assign(w);
      });
    });
  }

  /**
   * The averages as JSON, or with typed values.
   * @param form - the form of the values (default `'json'`)
   * @returns one serialized tensor per weight
   */
  async save(form: ValuesForm = 'json'): Promise<SerializedTensor<TensorValues>[]> {
    return serializeAll(this.shadows.map((s, i) => [`ema/${i}`, s]), form);
  }

  /**
   * Restore saved averages.
   * @param saved - what {@link WeightAverage.save} returned
   */
  load(saved: readonly SerializedTensor<TensorValues>[]): void {
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
