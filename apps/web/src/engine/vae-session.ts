import * as tf from '@tensorflow/tfjs';
import { DiagonalGaussian, StandardNormal, createKLRegistry, natsToBits, type Dataset } from '@vib/core';
import { seededPermutation } from '@vib/data';
import { inputSize } from './demo-data.js';
import { PageYielder } from './yield.js';

/** Per-epoch numbers of the VAE (the seeds' "VIB with label = x"). */
export interface VaeEpoch {
  readonly epoch: number;
  /** Bernoulli reconstruction loss E[−log q(x|z)] on the training batches, nats per image. */
  readonly reconstructionNats: number;
  /** Mean KL(p(z|x) ‖ N(0, I)) in bits. */
  readonly rateBits: number;
}

/**
 * A small VAE on images in [0, 1]: MLP encoder to a diagonal Gaussian p(z|x), standard normal prior,
 * MLP decoder with a Bernoulli likelihood; loss = reconstruction + β·KL (β = 1 is the ELBO).
 */
export class VaeSession {
  epoch = 0;
  readonly history: VaeEpoch[] = [];
  private readonly enc: tf.layers.Layer[];
  private readonly dec: tf.layers.Layer[];
  private readonly optimizer = tf.train.adam(1e-3);
  private readonly kl = createKLRegistry();
  private readonly prior: StandardNormal;
  private readonly f: number;
  private stopRequested = false;

  /**
   * @param data - images in [0, 1]
   * @param latentDim - K
   * @param beta - rate weight
   */
  constructor(
    readonly data: Dataset,
    readonly latentDim = 8,
    readonly beta = 1,
  ) {
    this.f = inputSize(data);
    this.prior = new StandardNormal(latentDim);
    this.enc = [tf.layers.dense({ units: 256, activation: 'relu' }), tf.layers.dense({ units: 2 * latentDim })];
    this.dec = [tf.layers.dense({ units: 256, activation: 'relu' }), tf.layers.dense({ units: this.f })];
    tf.tidy(() => void this.decodeLogits(this.encode(tf.zeros([1, this.f])).mean() as tf.Tensor2D));
  }

  /**
   * The posterior p(z|x) of a batch.
   * @param x - images [B, f]
   * @returns the diagonal Gaussian
   */
  encode(x: tf.Tensor2D): DiagonalGaussian {
    const h = this.enc.reduce<tf.Tensor>((t, l) => l.apply(t) as tf.Tensor, x) as tf.Tensor2D;
    const [mean, raw] = tf.split(h, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    return new DiagonalGaussian(mean, tf.clipByValue(raw, -10, 5));
  }

  private decodeLogits(z: tf.Tensor2D): tf.Tensor2D {
    return this.dec.reduce<tf.Tensor>((t, l) => l.apply(t) as tf.Tensor, z) as tf.Tensor2D;
  }

  /**
   * Decode codes to images.
   * @param codes - K numbers per code
   * @returns one image per code, values in [0, 1]
   */
  decode(codes: readonly (readonly number[])[]): Float32Array[] {
    const out = tf.tidy(() => tf.sigmoid(this.decodeLogits(tf.tensor2d(codes.map((c) => [...c]), [codes.length, this.latentDim]))));
    const flat = out.dataSync() as Float32Array;
    out.dispose();
    return codes.map((_, i) => flat.slice(i * this.f, (i + 1) * this.f));
  }

  /**
   * The posterior mean code of test example `i`.
   * @param i - index into the test split
   * @returns the code
   */
  codeOf(i: number): number[] {
    const m = tf.tidy(() => this.encode(tf.tensor2d(this.data.test.x.subarray(i * this.f, (i + 1) * this.f), [1, this.f])).mean());
    const v = Array.from(m.dataSync());
    m.dispose();
    return v;
  }

  /** Ask a running `run` to stop after the current step. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Train for up to `epochs` epochs, yielding to the page.
   * @param epochs - epochs to add
   * @param onEpoch - called after each epoch
   * @returns the epochs completed
   */
  async run(epochs: number, onEpoch?: (e: VaeEpoch) => void): Promise<VaeEpoch[]> {
    this.stopRequested = false;
    const y = new PageYielder();
    const done: VaeEpoch[] = [];
    const { train } = this.data;
    const vars = [...this.enc, ...this.dec].flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
    for (let e = 0; e < epochs && !this.stopRequested; e++) {
      const order = seededPermutation(train.n, 1000 + this.epoch);
      let rec = 0;
      let rate = 0;
      for (let s = 0; s < train.n; s += 64) {
        if (this.stopRequested) return done;
        const idx = order.subarray(s, Math.min(train.n, s + 64));
        const bx = new Float32Array(idx.length * this.f);
        idx.forEach((r, i) => bx.set(train.x.subarray(r * this.f, (r + 1) * this.f), i * this.f));
        const [r, k] = tf.tidy(() => {
          const x = tf.tensor2d(bx, [idx.length, this.f]);
          let recon: tf.Scalar = tf.scalar(0);
          let klm: tf.Scalar = tf.scalar(0);
          this.optimizer.minimize(() => {
            const p = this.encode(x);
            const logits = this.decodeLogits(p.sample() as tf.Tensor2D);
            // Bernoulli −log q(x|z) summed over pixels: softplus(l) − x·l.
            recon = tf.keep(tf.mean(tf.sum(tf.sub(tf.softplus(logits), tf.mul(x, logits)), 1)));
            klm = tf.keep(tf.mean(this.kl.kl(p, this.prior).total));
            return tf.add(recon, tf.mul(this.beta, klm));
          }, false, vars);
          return [recon, klm];
        });
        rec += r.dataSync()[0]! * idx.length;
        rate += k.dataSync()[0]! * idx.length;
        tf.dispose([r, k]);
        await y.maybeYield();
      }
      this.epoch += 1;
      const rec1: VaeEpoch = { epoch: this.epoch, reconstructionNats: rec / train.n, rateBits: natsToBits(rate / train.n) };
      this.history.push(rec1);
      done.push(rec1);
      onEpoch?.(rec1);
    }
    return done;
  }

  /** Free the weights. */
  dispose(): void {
    this.stop();
    this.optimizer.dispose();
    for (const l of [...this.enc, ...this.dec]) l.dispose();
  }
}
