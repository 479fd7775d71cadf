import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { simdKernels } from '../accel/simd-kernels.js';
import { wasmInternals } from '../accel/wasm-internals.js';
import { wasmBackend } from './wasm-backend.js';
import { activeNodeWasmBuild } from './wasm-node-threads.js';

/**
 * A VIB-shaped model big enough that XNNPACK splits its matmuls into many tiles (64 × 301 → 257 ReLU →
 * μ, log σ² of 33 → 10 classes), trained three Adam steps with a fixed ε; returns every weight and the logits.
 */
function trainThree(): Float32Array {
  return tf.tidy(() => {
    const v = (shape: [number, number] | [number], seed: number) => tf.variable(tf.randomNormal(shape, 0, 0.1, 'float32', seed));
    const [w1, b1, wm, wv, w2] = [v([301, 257], 1), v([257], 2), v([257, 33], 3), v([257, 33], 4), v([33, 10], 5)];
    const x = tf.randomNormal([64, 301], 0, 1, 'float32', 6) as tf.Tensor2D;
    const eps = tf.randomNormal([64, 33], 0, 1, 'float32', 7);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, (_, i) => (i * 7) % 10), 'int32'), 10).toFloat();
    const opt = tf.train.adam(0.01);
    const logits = () => {
      const h = tf.relu(tf.matMul(x, w1 as tf.Tensor2D).add(b1));
      const mu = tf.matMul(h, wm as tf.Tensor2D);
      const logvar = tf.matMul(h, wv as tf.Tensor2D);
      return { z: tf.matMul(mu.add(tf.exp(logvar.mul(0.5)).mul(eps)), w2 as tf.Tensor2D), mu, logvar };
    };
    for (let i = 0; i < 3; i++) {
      opt.minimize(() => {
        const { z, mu, logvar } = logits();
        const kl = tf.mean(tf.sum(tf.exp(logvar).add(mu.square()).sub(logvar).sub(1).mul(0.5), 1));
        return tf.losses.softmaxCrossEntropy(y, z).add(kl.mul(1e-3)) as tf.Scalar;
      });
    }
    const out = Float32Array.from([w1, b1, wm, wv, w2, logits().z].flatMap((t) => [...t.dataSync()]));
    opt.dispose();
    tf.dispose([w1, b1, wm, wv, w2]);
    return out;
  });
}

const here = fileURLToPath(new URL('.', import.meta.url));

describe('the pure tier on tfjs-wasm\'s threaded build in Node', () => {
  afterAll(async () => {
    await wasmBackend.setup({ tier: 'pure', threads: 1 });
  });

  it('runs XNNPACK over 2 threads on a shared heap, with the SIMD kernels, bitwise the single-threaded build', async () => {
    const plain = await wasmBackend.setup({ tier: 'pure', threads: 1 });
    expect(plain.threads).toBe(1);
    expect(activeNodeWasmBuild().kind).toBe('plain');
    const one = trainThree();

    const threaded = await wasmBackend.setup({ tier: 'pure', threads: 2 });
    expect(threaded.threads).toBe(2);
    expect(threaded.reason).toMatch(/threaded build, XNNPACK kernels over 2 threads/);
    expect(activeNodeWasmBuild()).toEqual({ kind: 'threaded', threads: 2 });
    const be = wasmInternals(tf.backend());
    expect(be && Object.prototype.toString.call(be.wasm.HEAPF32.buffer)).toBe('[object SharedArrayBuffer]');
    expect(be && simdKernels(be), 'the SIMD module instantiates on the shared memory').toBeTruthy();
    const two = trainThree();

    expect(two.length).toBe(one.length);
    let differ = 0;
    for (let i = 0; i < one.length; i++) if (!Object.is(one[i], two[i])) differ++;
    expect(differ).toBe(0);
    // and training moved the weights (the comparison is not between two untouched initializations)
    const fresh = tf.tidy(() => tf.randomNormal([301, 257], 0, 0.1, 'float32', 1).dataSync());
    expect(one.subarray(0, 10)).not.toEqual(fresh.subarray(0, 10));
  });

  it('stock and native tiers keep tfjs\'s own single-threaded registration', async () => {
    const stock = await wasmBackend.setup({ tier: 'stock', threads: 2 });
    expect(stock.tier).toBe('stock');
    expect(activeNodeWasmBuild().kind).toBe('plain');
  });

  it('leaves no worker script on disk, and the process exits by itself', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'vib-threads-test-'));
    try {
      const script = join(tmp, 'child.mts');
      writeFileSync(script, [
        `import * as tf from ${JSON.stringify(pathToFileURL(createRequire(import.meta.url).resolve('@tensorflow/tfjs')).href)};`,
        `import { wasmBackend } from ${JSON.stringify(pathToFileURL(join(here, 'wasm-backend.ts')).href)};`,
        `const r = await wasmBackend.setup({ tier: 'pure', threads: 2 });`,
        `import { tmpdir } from 'node:os';`,
        `console.log(tmpdir());`,
        `console.log(r.threads, tf.matMul(tf.ones([200, 300]), tf.ones([300, 100])).dataSync()[0]);`,
      ].join('\n'));
      const workdir = join(tmp, 'tmp');
      mkdirSync(workdir);
      const child = spawnSync(process.execPath, ['--conditions=@vib/source', '--import', 'tsx', script], {
        cwd: here, env: { ...process.env, TMPDIR: workdir }, encoding: 'utf8', timeout: 60_000,
      });
      expect(child.status, child.stderr.slice(-2000)).toBe(0);
      const [dir, result] = child.stdout.trim().split('\n').slice(-2);
      expect(result).toBe('2 300');
      expect(dir, 'the child wrote its temporary files where this test looks').toBe(workdir);
      expect(readdirSync(workdir).filter((f) => f.startsWith('vib-wasm-threads-'))).toEqual([]); // (tsx keeps its cache there)
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 90_000);

  it('falls back to the single-threaded build, saying why, where workers could not start (node --input-type … -e)', () => {
    const code = [
      `import { wasmBackend } from ${JSON.stringify(pathToFileURL(join(here, 'wasm-backend.ts')).href)};`,
      `const r = await wasmBackend.setup({ tier: 'pure', threads: 2 });`,
      `console.log(JSON.stringify({ threads: r.threads, reason: r.reason }));`,
    ].join('\n');
    const child = spawnSync(process.execPath, ['--conditions=@vib/source', '--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: here, encoding: 'utf8', timeout: 60_000,
    });
    expect(child.status, child.stderr.slice(-2000)).toBe(0);
    const r = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as { threads: number; reason: string };
    expect(r.threads).toBe(1);
    expect(r.reason).toMatch(/threaded build not used: --input-type=module is set/);
  }, 90_000);
});
