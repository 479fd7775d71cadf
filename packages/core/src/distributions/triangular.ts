import * as tf from '@tensorflow/tfjs';

/**
 * Solve L·X = Bm for X by forward substitution, with L lower-triangular (TensorFlow.js has no
 * triangular solve). Built from differentiable ops, so gradients flow to L and Bm.
 * Cost: K steps of O(K·N) work, for K×K factors and N right-hand sides.
 * @param tril - L, shape [BL,K,K] with a nonzero diagonal; the upper triangle is ignored
 * @param rhs - Bm, shape [Bb,K,N]; BL and Bb are equal or one of them is 1
 * @returns X, shape [max(BL,Bb),K,N]
 */
export function solveLowerTriangular(tril: tf.Tensor, rhs: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const k = tril.shape[1] ?? 0;
    const rows: tf.Tensor[] = [];
    for (let i = 0; i < k; i++) {
      let b: tf.Tensor = tf.squeeze(tf.slice(rhs, [0, i, 0], [-1, 1, -1]), [1]);
      if (i > 0) {
        const done = tf.stack(rows, 1);
        const lRow = tf.slice(tril, [0, i, 0], [-1, 1, i]);
        const acc = tf.sum(tf.mul(tf.reshape(lRow, [-1, i, 1]), done), 1);
        b = tf.sub(b, acc);
      }
      const lii = tf.reshape(tf.slice(tril, [0, i, i], [-1, 1, 1]), [-1, 1]);
      rows.push(tf.div(b, lii));
    }
    return tf.stack(rows, 1);
  });
}

/**
 * A K×K mask with ones on and below the diagonal. (tf.linalg.bandPart is avoided: its
 * gradient fails in tfjs 4.22 because it is built from unstack/stack.)
 * @param k - the size
 * @returns float32 [K,K]
 */
export function lowerMask(k: number): tf.Tensor2D {
  const values = new Float32Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) values[i * k + j] = 1;
  return tf.tensor2d(values, [k, k]);
}

/**
 * The diagonal of a batch of square matrices (differentiable).
 * @param m - shape [B,K,K]
 * @returns shape [B,K]
 */
export function batchDiagonal(m: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sum(tf.mul(m, tf.eye(m.shape[1] ?? 0)), -1));
}
