import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DiagonalGaussian } from '../distributions/diagonal-gaussian.js';
import { Laplace } from '../distributions/laplace.js';
import { ConfigError } from '../errors/config-error.js';
import { ShapeError } from '../errors/shape-error.js';
import { createKLRegistry } from './kl-registry.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const rows = (b: number, k: number): [tf.Tensor, tf.Tensor] => [tf.zeros([b, k]), tf.zeros([b, k])];

/** A Gaussian whose logProb forgot the sum over K: [S, B, K] where [S, B] is due. */
class Forgetful extends DiagonalGaussian {
  static override readonly typeName: string = 'Forgetful';
  override readonly typeName: string = 'Forgetful';
  override logProb(z: tf.Tensor): tf.Tensor {
    return this.logProbPerDim(z);
  }
}

/** A Gaussian that counts its logProb calls, its logProb `lift` nats above its per-dimension densities' sum. */
class Counted extends DiagonalGaussian {
  static override readonly typeName: string = 'Counted';
  override readonly typeName: string = 'Counted';
  calls = 0;
  lift = 0;
  override logProb(z: tf.Tensor): tf.Tensor {
    this.calls++;
    return tf.tidy(() => tf.add(super.logProb(z), this.lift));
  }
}

/** One nat above: another density than its logProbPerDim's. */
class Lifted extends Counted {
  static override readonly typeName: string = 'Lifted';
  override readonly typeName: string = 'Lifted';
  override lift = 1;
}

describe('a Monte Carlo KL checks, once per class, that logProb is the sum of logProbPerDim', () => {
  // KL(Laplace ‖ Gaussian) has no closed form: the estimate reads logProbPerDim alone
  const kl = createKLRegistry();

  it('a logProb that forgot its sum is refused with its shape, where training would never have called it', () => {
    expect(() => kl.kl(new Laplace(...rows(4, 3)), new Forgetful(...rows(4, 3)), { samples: 8, seed: 1 })).toThrow(ShapeError);
    expect(() => kl.kl(new Laplace(...rows(4, 3)), new Forgetful(...rows(4, 3)), { samples: 8, seed: 1 })).toThrow(/Forgetful\.logProb returned shape \[8, 4, 3\] for samples of shape \[8, 4, K\]/);
  });

  it('a logProb of another density is refused, naming both values', () => {
    const q = new Lifted(...rows(4, 3));
    let error: unknown;
    try {
      kl.kl(new Laplace(...rows(4, 3)), q, { samples: 8, seed: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const d = (error as ConfigError).details as { logProb: number; sumOfPerDim: number };
    expect(d.logProb - d.sumOfPerDim).toBeCloseTo(1, 4);
    expect((error as Error).message).toMatch(/^Lifted\.logProb\(z\) is \S+ at sample 0, row 0, but the sum of Lifted\.logProbPerDim\(z\) over its 3 dimensions is \S+: the two must describe one density/);
  });

  it('a class whose two agree passes, and is checked once', () => {
    const a = new Counted(...rows(4, 3));
    tf.dispose(kl.kl(new Laplace(...rows(4, 3)), a, { samples: 8, seed: 1 }).total);
    expect(a.calls).toBe(1);
    const b = new Counted(...rows(4, 3));
    tf.dispose(kl.kl(new Laplace(...rows(4, 3)), b, { samples: 8, seed: 2 }).total);
    expect(b.calls).toBe(0);
  });
});
