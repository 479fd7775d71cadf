import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { createDefaultRegistry } from '@vib/kit';
import { evaluate, parseExperimentConfig, saveVibModel, train } from '@vib/tasks';
import { fileSystemIO } from '@vib/tasks/node';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDirectory } from './static-server.js';

const CHROMIUM = '/usr/bin/chromium';
const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(appDir, '../../test-output/web');
const siteDir = join(outDir, 'site');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[web e2e] skipped: ${CHROMIUM} is absent (install Debian's chromium: scripts/setup.sh does)`);

interface Rec {
  epoch: number;
  testAccuracy: number;
  trainAccuracy: number;
  loss: number;
  rateBits: number;
  izyBits: number;
  klPerDimNats: number[];
}

describe.skipIf(!hasChromium)('web demo end to end (Debian Chromium, headless)', () => {
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    mkdirSync(outDir, { recursive: true });
    await build({ root: appDir, configFile: join(appDir, 'vite.config.ts'), logLevel: 'error', build: { outDir: siteDir, emptyOutDir: true } });
    server = await serveDirectory(siteDir);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('trains on a small MNIST subset: charts get exactly the model\'s numbers, accuracy rises, the page stays responsive', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1250 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const epochs = 6;
    await page.goto(`${server.url}index.html?backend=wasm&dataset=mnist&train=1000&test=200&epochs=${epochs}&beta=0.001&k=2`);
    await page.waitForFunction(() => (window as any).__vibDemo?.ready === true || (window as any).__vibDemo?.error, null, { timeout: 60_000 });
    expect(await page.evaluate(() => (window as any).__vibDemo.error)).toBeNull();
    expect(await page.evaluate(() => (window as any).__vibDemo.backend())).toBe('wasm');
    await expect(page.locator('#backend-badge').textContent()).resolves.toBe('backend: wasm');

    // Longest gap between timer ticks while training: the page must keep getting turns.
    await page.evaluate(() => {
      const w = window as any;
      w.__gap = 0;
      let last = performance.now();
      w.__tick = setInterval(() => {
        const now = performance.now();
        w.__gap = Math.max(w.__gap, now - last);
        last = now;
      }, 20);
    });
    await page.click('#train');
    await page.waitForFunction((n) => (window as any).__vibDemo.history().length >= n && !(window as any).__vibDemo.busy(), epochs, { timeout: 90_000 });
    const gapMs = await page.evaluate(() => (window as any).__gap as number);

    const history = (await page.evaluate(() => (window as any).__vibDemo.history())) as Rec[];
    const metrics = (await page.evaluate(() => (window as any).__vibDemo.metrics())) as Rec[];
    const charts = (await page.evaluate(() => (window as any).__vibDemo.charts())) as any;
    expect(history.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    // The sink (and so every chart) got the model's own numbers, unchanged.
    const fields = ['epoch', 'loss', 'trainAccuracy', 'testAccuracy', 'rateNats', 'rateBits', 'izyNats', 'izyBits', 'beta', 'klPerDimNats'] as const;
    expect(metrics.map((m) => fields.map((f) => (m as any)[f]))).toEqual(history.map((h) => fields.map((f) => (h as any)[f])));
    expect(charts.plane.bottleneck).toEqual(history.map((r) => ({ epoch: r.epoch, xBits: r.rateBits, yBits: r.izyBits })));
    const test = charts.accuracy.find((s: any) => s.label === 'test');
    expect(test.points).toEqual(history.map((r) => [r.epoch, r.testAccuracy]));
    expect(charts.loss[0].points).toEqual(history.map((r) => [r.epoch, r.loss]));
    expect(charts.kl).toEqual(history.at(-1)!.klPerDimNats);
    expect(charts.latentCodes).toBe(200);
    // 10 balanced classes: chance is 0.1. Six epochs on 1,000 digits through a 2-D code reach well above it (about 0.6 here).
    expect(history.at(-1)!.testAccuracy).toBeGreaterThan(history[0]!.testAccuracy);
    expect(history.at(-1)!.testAccuracy).toBeGreaterThan(0.45);
    expect(gapMs).toBeLessThan(1000);

    // The VAE walk: decode 11 images along the path.
    await page.click('#vae-train');
    await page.waitForFunction(() => (window as any).__vibDemo.charts().vaeImages === 11, null, { timeout: 60_000 });
    await page.waitForFunction(() => !(document.querySelector('#vae-train') as HTMLButtonElement).disabled, null, { timeout: 60_000 });
    await page.screenshot({ path: join(outDir, 'e2e.png'), fullPage: true });
    console.info(`[web e2e] test accuracy by epoch ${history.map((r) => r.testAccuracy.toFixed(3)).join(' ')}; longest page stall ${gapMs.toFixed(0)} ms; screenshot ${join(outDir, 'e2e.png')}`);
    expect(errors).toEqual([]);
    await page.close();
  }, 150_000);

  it('12-bit task: each hidden layer\'s binning estimate reaches the plane; a model saved as `vib train` saves it loads and scores the same', async () => {
    // A model in the format `vib train` writes (saveVibModel + fileSystemIO: model.json + weights.bin).
    await tf.setBackend('cpu');
    const registry = createDefaultRegistry();
    const plugin = registry.get('dataset', 'tishby-12bit');
    const data = await plugin.load({}, { maxTrain: 1024, maxTest: 256 });
    const config = parseExperimentConfig(
      { dataset: { name: 'tishby-12bit' }, encoder: { hidden: [10, 7, 5], activation: 'tanh' }, latentDim: 2, beta: 1e-3, epochs: 2, batchSize: 64, optimizer: { learningRate: 0.01 }, evalSamples: 1 },
      registry,
    );
    const trained = await train({ config, registry, dataset: data });
    const saved = join(outDir, 'saved-model');
    await saveVibModel(trained.model, fileSystemIO(saved));
    const nodeAccuracy = (await evaluate(trained.model, data.test, { samples: 1 })).mean.accuracy;

    const page = await browser.newPage({ viewport: { width: 1400, height: 1250 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}index.html?backend=cpu&dataset=tishby-12bit&train=1024&test=256&epochs=3&autostart=1`);
    await page.waitForFunction(() => (window as any).__vibDemo?.history().length >= 3 && !(window as any).__vibDemo.busy(), null, { timeout: 90_000 });
    const metrics = (await page.evaluate(() => (window as any).__vibDemo.metrics())) as { epoch: number; layers: { layer: string; ixtBits: number; ityBits: number }[] }[];
    const plane = (await page.evaluate(() => (window as any).__vibDemo.charts().plane)) as { layers: { layer: string; points: { epoch: number; xBits: number; yBits: number }[] }[] };
    expect(await page.evaluate(() => (window as any).__vibDemo.backend())).toBe('cpu');
    // the page trains @vib/kit's tishby-12bit preset: hidden tanh layers 10-7-5-4 (12-10-7-5-4-3-2 with the code and output)
    expect(plane.layers.map((l) => l.layer)).toEqual(['layer 1 (10)', 'layer 2 (7)', 'layer 3 (5)', 'layer 4 (4)']);
    for (const [i, l] of plane.layers.entries()) {
      expect(l.points).toEqual(metrics.map((m) => ({ epoch: m.epoch, xBits: m.layers[i]!.ixtBits, yBits: m.layers[i]!.ityBits })));
      for (const p of l.points) {
        // With X uniform over the inputs, I(X;T) = H(T) ≤ log₂(1,280 inputs) and I(T;Y) ≤ H(Y) ≤ 1 bit.
        expect(p.xBits).toBeGreaterThan(0);
        expect(p.xBits).toBeLessThanOrEqual(Math.log2(1280) + 1e-9);
        expect(p.yBits).toBeGreaterThanOrEqual(-1e-9);
        expect(p.yBits).toBeLessThanOrEqual(1 + 1e-9);
      }
    }

    await page.setInputFiles('#model-files', [join(saved, 'model.json'), join(saved, 'weights.bin')]);
    await page.waitForFunction(() => (window as any).__vibDemo.loader.summary !== null, null, { timeout: 30_000 });
    const summary = (await page.evaluate(() => (window as any).__vibDemo.loader.summary)) as { accuracy: number };
    expect(summary.accuracy).toBeCloseTo(nodeAccuracy!, 6);
    expect(await page.locator('#load-status').textContent()).toMatch(/classification on tishby-12bit, K = 2/);
    await page.screenshot({ path: join(outDir, 'e2e-12bit.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
    trained.model.model.dispose();
  }, 150_000);
});
