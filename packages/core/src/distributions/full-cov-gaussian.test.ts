import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError } from '../errors/shape-error.js';
import { FullCovGaussian } from './full-cov-gaussian.js';
import { solveLowerTriangular } from './triangular.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const arr = (t: tf.Tensor): number[] => Array.from(t.dataSync());

/** Direct 2-D Gaussian log density from Σ = L·Lᵀ with the explicit 2×2 inverse. */
function logPdf2(mu: number[], l: number[][], z: number[]): number {
  const [a, b, c] = [l[0]![0]!, l[1]![0]!, l[1]![1]!];
  const s11 = a * a;
  const s12 = a * b;
  const s22 = b * b + c * c;
  const det = s11 * s22 - s12 * s12;
  const d0 = z[0]! - mu[0]!;
  const d1 = z[1]! - mu[1]!;
  const maha = (s22 * d0 * d0 - 2 * s12 * d0 * d1 + s11 * d1 * d1) / det;
  return -0.5 * (2 * Math.log(2 * Math.PI) + Math.log(det) + maha);
}

describe('solveLowerTriangular', () => {
  it('solves L·X = B (checked by multiplying back), with a broadcast batch of L', () => {
    const l = tf.tensor3d([[[2, 0, 0], [0.5, 1.5, 0], [-1, 0.3, 0.8]]]);
    const rhs = tf.randomNormal([4, 3, 2], 0, 1, 'float32', 5);
    const x = solveLowerTriangular(l, rhs);
    expect(x.shape).toEqual([4, 3, 2]);
    const back = tf.matMul(tf.broadcastTo(l, [4, 3, 3]), x);
    expect(tf.max(tf.abs(tf.sub(back, rhs))).dataSync()[0]).toBeLessThan(1e-5);
  });
});

describe('FullCovGaussian', () => {
  const mu = [0.5, -1];
  const L = [[1.2, 0], [0.7, 0.5]];

  it('logProb matches the direct 2-D formula, for [B,K] and [n,B,K] inputs', () => {
    const p = new FullCovGaussian(tf.tensor2d([mu]), tf.tensor3d([L]));
    const zs = [[0, 0], [1.3, -2.1], [-0.4, 0.9]];
    const got = arr(p.logProb(tf.tensor3d(zs.map((z) => [z]))));
    zs.forEach((z, i) => expect(got[i]).toBeCloseTo(logPdf2(mu, L, z), 4));
    expect(p.logProb(tf.tensor2d([zs[1]!])).shape).toEqual([1]);
  });

  it('ignores the upper triangle of scaleTril', () => {
    const dense = new FullCovGaussian(tf.tensor2d([mu]), tf.tensor3d([[[1.2, 9], [0.7, 0.5]]]));
    expect(arr(dense.logProb(tf.tensor2d([[0.1, 0.2]])))[0]).toBeCloseTo(logPdf2(mu, L, [0.1, 0.2]), 4);
  });

  it('entropy is ½K(1 + log 2π) + Σ log L_kk', () => {
    const p = new FullCovGaussian(tf.tensor2d([mu]), tf.tensor3d([L]));
    expect(arr(p.entropy())[0]).toBeCloseTo(1 + Math.log(2 * Math.PI) + Math.log(1.2 * 0.5), 5);
  });

  it('sample mean and covariance match μ and L·Lᵀ (within 5 standard errors)', () => {
    const n = 20000;
    const p = new FullCovGaussian(tf.tensor2d([mu]), tf.tensor3d([L]));
    const z = tf.reshape(p.sample(n, 9), [n, 2]);
    expect(p.sample().shape).toEqual([1, 2]);
    const m = arr(tf.mean(z, 0));
    const c = tf.sub(z, tf.mean(z, 0));
    const cov = arr(tf.div(tf.matMul(c, c, true, false), n));
    const sigma = [1.44, 0.84, 0.84, 0.74];
    expect(Math.abs(m[0]! - mu[0]!)).toBeLessThan((5 * 1.2) / Math.sqrt(n));
    expect(Math.abs(m[1]! - mu[1]!)).toBeLessThan((5 * Math.sqrt(0.74)) / Math.sqrt(n));
    // sd of a sample covariance entry is √((Σ_ii Σ_jj + Σ_ij²)/n)
    const se = (i: number, j: number): number =>
      Math.sqrt((sigma[i * 3]! * sigma[j * 3]! + sigma[i * 2 + j]! ** 2) / n);
    [[0, 0], [0, 1], [1, 1]].forEach(([i, j]) => {
      expect(Math.abs(cov[i! * 2 + j!]! - sigma[i! * 2 + j!]!)).toBeLessThan(5 * se(i!, j!));
    });
  });

  it('reparameterized samples carry gradients to mean and scaleTril', () => {
    const [gm, gl] = tf.grads((m: tf.Tensor, l: tf.Tensor) => tf.sum(tf.square(new FullCovGaussian(m, l).sample(4, 2))))([
      tf.tensor2d([mu]),
      tf.tensor3d([L]),
    ]);
    expect(arr(gm!).every((g) => g !== 0)).toBe(true);
    const g = arr(gl!);
    expect([g[0], g[2], g[3]].every((v) => v !== 0)).toBe(true);
    expect(Math.abs(g[1]!)).toBe(0); // the masked upper triangle gets no gradient
  });

  it('throws ShapeError for a factor of the wrong size', () => {
    expect(() => new FullCovGaussian(tf.zeros([1, 2]), tf.zeros([1, 3, 3]))).toThrow(ShapeError);
    expect(() => new FullCovGaussian(tf.zeros([1, 2]), tf.zeros([2, 2]))).toThrow(/\[B,K,K\]/);
  });
});
