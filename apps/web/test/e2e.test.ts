import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
      // SwiftShader gives headless Chromium a software WebGL and (with these two flags) a WebGPU adapter.
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'],
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
    const scripts = new Set<string>();
    page.on('request', (r) => {
      if (r.url().endsWith('.js')) scripts.add(new URL(r.url()).pathname.slice(1));
    });
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
    const lastEpoch = history.at(-1) as Rec;
    await expect(page.locator('#status').textContent()).resolves.toBe(
      `Epoch 6: test accuracy ${(100 * lastEpoch.testAccuracy).toFixed(1)}% (mean code); training rate ${lastEpoch.rateBits.toFixed(2)} bits (epoch mean, as plotted).`,
    );
    // The sink (and so every chart) got the model's own numbers, unchanged.
    const fields = ['epoch', 'loss', 'trainAccuracy', 'testAccuracy', 'rateNats', 'rateBits', 'izyNats', 'izyBits', 'beta', 'klPerDimNats'] as const;
    expect(metrics.map((m) => fields.map((f) => (m as any)[f]))).toEqual(history.map((h) => fields.map((f) => (h as any)[f])));
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // isolated, so @vib/backends runs tfjs-wasm's threaded build with a thread per core (at most 8), not tfjs's
    // own pool of half the cores (1 on this 2-core machine)
    const used = (await page.evaluate(() => {
      const b = (window as any).__vibDemo.controller.backend;
      return { threads: b.threads, reason: b.reason, cores: navigator.hardwareConcurrency };
    })) as { threads: number; reason: string; cores: number };
    expect(used.threads).toBe(Math.min(8, Math.max(1, used.cores)));
    // one helper thread for each thread beyond the calling one
    const helpers = used.threads - 1;
    if (helpers > 0) expect(used.reason).toContain(`tfjs-wasm's threaded build for its shared heap, XNNPACK kernels on the calling thread; matmuls, Adam and transposes split with ${helpers === 1 ? 'a helper thread' : `${helpers} helper threads`}`);
    expect(charts.plane.bottleneck).toEqual(history.map((r) => ({ epoch: r.epoch, xBits: r.rateBits, yBits: r.izyBits })));
    const test = charts.accuracy.find((s: any) => s.label === 'test (mean code)');
    expect(test.points).toEqual(history.map((r) => [r.epoch, r.testAccuracy]));
    expect(charts.loss[0].points).toEqual(history.map((r) => [r.epoch, r.loss]));
    expect(charts.kl).toEqual(history.at(-1)!.klPerDimNats);
    expect(charts.latentCodes).toBe(200);
    // 10 balanced classes: chance is 0.1. Six epochs on 1,000 digits through a 2-D code (the `digits` preset's
    // network) reach well above it (0.41 here).
    expect(history.at(-1)!.testAccuracy).toBeGreaterThan(history[0]!.testAccuracy);
    expect(history.at(-1)!.testAccuracy).toBeGreaterThan(0.3);
    expect(gapMs).toBeLessThan(1000);

    // The VAE walk: decode 11 images along the path.
    await page.click('#vae-train');
    await page.waitForFunction(() => (window as any).__vibDemo.charts().vaeImages === 11, null, { timeout: 60_000 });
    await page.waitForFunction(() => !(document.querySelector('#vae-train') as HTMLButtonElement).disabled, null, { timeout: 60_000 });
    // each figure under its split: the reconstruction with the mean code and the rate, both on the test split
    await expect(page.locator('#vae-status').textContent()).resolves.toMatch(/^VAE epoch \d+: test reconstruction \d+\.\d nats\/image \(mean code\), test rate \d+\.\d bits$/);
    // ‖z‖ along both paths between two draws from r(z): the spherical path keeps the norm (between the end norms),
    // the linear one dips in the middle (Su Jianlin's argument). An out-of-range digit number is refused, not clamped.
    await page.selectOption('#vae-ends', 'samples');
    await page.evaluate(() => (window as any).__vibDemo.vae.drawn);
    const norms = (await page.evaluate(() => (window as any).__vibDemo.vae.norms.data)) as { label: string; points: [number, number][] }[];
    const lin = norms.find((n) => n.label === 'linear')!.points;
    const sph = norms.find((n) => n.label === 'spherical')!.points;
    const mid = 20;
    // At α = ½: ‖z₁cos45° + z₂sin45°‖ = √2·‖(z₁ + z₂)/2‖ exactly, whatever z₁ and z₂ are.
    expect(sph[mid]![1]).toBeCloseTo(Math.SQRT2 * lin[mid]![1], 4);
    // Orthogonal ends: the spherical path's ‖z‖² = ‖z₁‖²cos²θ + ‖z₂‖²sin²θ stays between the end norms; the linear
    // path's middle is √(‖z₁‖² + ‖z₂‖²)/2, below both unless they differ by more than √3×.
    const [n1, n2] = [lin[0]![1], lin.at(-1)![1]];
    for (const [, n] of sph) expect(n).toBeGreaterThanOrEqual(Math.min(n1, n2) - 1e-4);
    expect(lin[mid]![1]).toBeCloseTo(Math.hypot(n1, n2) / 2, 4);
    console.info(`[web e2e] ‖z‖ at the ends ${n1.toFixed(2)}, ${n2.toFixed(2)}; at α = ½ linear ${lin[mid]![1].toFixed(2)}, spherical ${sph[mid]![1].toFixed(2)}`);
    await page.selectOption('#vae-ends', 'digits');
    await page.fill('#vae-b', '5000');
    await page.dispatchEvent('#vae-b', 'input');
    await page.evaluate(() => (window as any).__vibDemo.vae.drawn);
    await expect(page.locator('#vae-status').textContent()).resolves.toMatch(/from 0 to 199 \(it is "5000"\)/);
    // The uncertainty panel scores with the trained classifier: a picked training digit's rate lies inside the
    // histogram of the training rates (it is one of them).
    type UView = { histogram: { min: number; max: number; counts: number[] }; medianRateBits: number; trainRatesBits: number[]; digit: { source: string; rateBits: number; entropyBits: number } };
    const scored = async (source: string) => {
      await page.waitForFunction((s) => (window as any).__vibDemo.uncertainty.view.digit?.source === s, source, { timeout: 30_000 });
      return (await page.evaluate(() => (window as any).__vibDemo.uncertainty.view)) as UView;
    };
    await page.selectOption('#unc-set', 'train');
    await page.fill('#unc-index', '3');
    await page.click('#unc-score-pick');
    const picked = await scored('train input #3');
    expect(picked.histogram.counts.reduce((a, b) => a + b, 0)).toBe(500);
    expect(picked.digit.rateBits).toBeGreaterThanOrEqual(picked.histogram.min);
    expect(picked.digit.rateBits).toBeLessThanOrEqual(picked.histogram.max);
    await page.click('#unc-clear');
    await page.click('#unc-score-draw');
    const blank = await scored('blank drawing');
    // seeded noise from the keyboard-free path: the pad's own Noise action with a fixed generator
    await page.evaluate(() => {
      let a = 12345;
      (window as any).__vibDemo.uncertainty.pad.noise(() => ((a = (a * 1103515245 + 12345) % 2147483648) / 2147483648));
    });
    await page.click('#unc-score-draw');
    const noise = await scored('your drawing');
    // the histogram says in words what it shows, and vega's render keeps that label (it wrote "Vega visualization")
    await page.waitForFunction(() => document.querySelector('#unc-hist svg') !== null && /^Histogram of the rates of 500 training inputs, with your drawing: rate [\d.]+ bits/.test(document.querySelector('#unc-hist')?.getAttribute('aria-label') ?? ''), null, { timeout: 30_000 });
    console.info(`[web e2e] uncertainty: training rates ${picked.histogram.min.toFixed(2)}–${picked.histogram.max.toFixed(2)} bits, median ${picked.medianRateBits.toFixed(2)}; train #3 ${picked.digit.rateBits.toFixed(2)} bits; blank ${blank.digit.rateBits.toFixed(2)} bits (entropy ${blank.digit.entropyBits.toFixed(2)}); noise ${noise.digit.rateBits.toFixed(2)} bits (entropy ${noise.digit.entropyBits.toFixed(2)})`);
    // Noise (ink everywhere) drives the encoder far from the prior: its rate lies above the median training digit's
    // (measured: 111 bits against a median of 56). A blank drawing does NOT: with no ink the encoder's output is its
    // biases, near r(z), so its rate is about 0 (measured 0.05 bits, below every training digit). What flags the
    // blank input is the predictive entropy instead: q(y|x) is nearly uniform, close to log2 10 = 3.32 bits.
    expect(noise.digit.rateBits).toBeGreaterThan(picked.medianRateBits);
    expect(blank.digit.rateBits).toBeLessThan(picked.medianRateBits);
    expect(blank.digit.entropyBits).toBeGreaterThan(0.9 * Math.log2(10));
    // keyboard: the pad takes focus and Space inks under the cursor
    await page.click('#unc-clear');
    await page.focus('#unc-pad');
    await page.keyboard.press('Space');
    expect(await page.evaluate(() => (window as any).__vibDemo.uncertainty.pad.isBlank())).toBe(false);
    await page.screenshot({ path: join(outDir, 'e2e.png'), fullPage: true });
    console.info(`[web e2e] test accuracy by epoch ${history.map((r) => r.testAccuracy.toFixed(3)).join(' ')}; longest page stall ${gapMs.toFixed(0)} ms; screenshot ${join(outDir, 'e2e.png')}`);
    expect(errors).toEqual([]);
    await page.close();

    // Backends load on demand: the main chunk holds neither tfjs-backend-webgl (its WEBGL_VERSION flag) nor
    // tfjs-backend-cpu's backend (its registration, `("cpu",()=>new B,1)` minified), and a wasm session never
    // fetched a chunk that does. (tfjs-backend-wasm itself imports some of tfjs-backend-cpu's kernel code.)
    const site = (p: string): string => readFileSync(join(siteDir, p), 'utf8');
    const webgl = (code: string): boolean => code.includes('WEBGL_VERSION');
    const cpu = (code: string): boolean => /\("cpu",\(\)=>new [\w$]+,1\)/.test(code);
    const main = /<script type="module"[^>]* src="\.\/(assets\/index-[^"]+\.js)"/.exec(site('index.html'))![1]!;
    const chunks = readdirSync(join(siteDir, 'assets')).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);
    expect(chunks.some((c) => webgl(site(c))) && chunks.some((c) => cpu(site(c)))).toBe(true);
    expect([webgl(site(main)), cpu(site(main))]).toEqual([false, false]);
    expect(scripts.has(main)).toBe(true);
    expect([...scripts].filter((c) => webgl(site(c)) || cpu(site(c)))).toEqual([]);
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
    const plane = (await page.evaluate(() => (window as any).__vibDemo.charts().plane)) as {
      layers: { layer: string; points: { epoch: number; xBits: number; yBits: number }[] }[];
      ixtCeilingBits?: number;
    };
    expect(await page.evaluate(() => (window as any).__vibDemo.backend())).toBe('cpu');
    // The tishby-12bit preset's network (12-10-7-5-4-3-2, @vib/kit): one trajectory per hidden layer, named with its width.
    expect(plane.layers.map((l) => l.layer)).toEqual(metrics[0]!.layers.map((l) => l.layer));
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

    // The estimates' ceiling log₂ n is drawn, and the chart's label counts the estimates on it.
    expect(plane.ixtCeilingBits).toBeCloseTo(Math.log2(1280), 12);
    const onIt = plane.layers.flatMap((l) => l.points).filter((p) => p.xBits >= Math.log2(1280) - 1e-6).length;
    await expect(page.locator('#chart-plane').getAttribute('aria-label')).resolves.toContain(
      `; ${onIt} layer estimate(s) at the I(X;T) ceiling log2 n = ${Math.log2(1280).toFixed(2)} bits, which show no compression`,
    );
    await page.waitForFunction(() => document.querySelector('#chart-plane svg')?.textContent?.includes('log₂ n = 10.32 bits: I(X;T) ≤ H(X)'), null, { timeout: 30_000 });

    // Only model.json: the message names the weights file that is missing.
    await page.setInputFiles('#model-files', [join(saved, 'model.json')]);
    await page.waitForFunction(() => /weights\.bin/.test(document.querySelector('#load-status')!.textContent ?? ''), null, { timeout: 30_000 });
    await expect(page.locator('#load-status').textContent()).resolves.toMatch(/model\.json needs weights\.bin, which was not picked/);
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
  it('12-bit task, full set, same seed on webgl, wasm, cpu and webgpu: no NaN on WebGL (the odd last batch), no synchronous GPU read on WebGPU, and all agree', async () => {
    // 3,277 = 51·64 + 13: the odd final batch that made packed WebGL kernels produce NaN in epoch 5 (its test
    // accuracy fell to chance, 0.499, and the loss was NaN from epoch 6). WebGPU on SwiftShader is ~10× slower
    // than wasm, so it runs the first 2 of the 5 epochs, compared epoch by epoch with the cpu's.
    const epochsOf: Record<string, number> = { webgl: 5, wasm: 5, cpu: 5, webgpu: 2 };
    const histories: Record<string, Rec[]> = {};
    const firstChartMs: Record<string, number> = {};
    for (const [backend, epochs] of Object.entries(epochsOf)) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      const syncReads: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // tfjs-backend-webgpu warns once on its first synchronous read (dataSync), which goes through a canvas copy
      // that on SwiftShader returns zeros or loses the GPU instance: the page must read asynchronously.
      page.on('console', (m) => {
        if (/synchronously reading data from GPU/.test(m.text())) syncReads.push(m.text());
      });
      await page.goto(`${server.url}index.html?backend=${backend}&dataset=tishby-12bit&train=3277&test=819&epochs=${epochs}&beta=0.001&k=2&autostart=1`);
      await page.waitForFunction(() => (window as any).__vibDemo?.ready === true, null, { timeout: 60_000 });
      const t0 = Date.now();
      await page.waitForFunction(() => (window as any).__vibDemo.history().length >= 1, null, { timeout: 120_000 });
      firstChartMs[backend] = Date.now() - t0;
      await page.waitForFunction(
        (n) => ((window as any).__vibDemo.history().length >= n && !(window as any).__vibDemo.busy()) || document.querySelector('#status')!.classList.contains('error'),
        epochs,
        { timeout: 180_000 },
      );
      const history = (await page.evaluate(() => (window as any).__vibDemo.history())) as Rec[];
      expect(await page.evaluate(() => (window as any).__vibDemo.backend())).toBe(backend);
      // The root-cause fix: WebGL runs without packed unary kernels (their padding lanes fed NaN to packed matMul).
      if (backend === 'webgl') expect(await page.evaluate(() => (window as any).__vibDemo.tfFlag('WEBGL_PACK_UNARY_OPERATIONS'))).toBe(false);
      expect(await page.locator('#status').getAttribute('class')).not.toMatch(/error/);
      expect(history).toHaveLength(epochs);
      for (const r of history) expect(Number.isFinite(r.loss) && Number.isFinite(r.rateBits)).toBe(true);
      histories[backend] = history;
      expect(syncReads).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    }
    const line = Object.entries(histories).map(([b, h]) => `${b} (${h.length} epochs): acc ${h.at(-1)!.testAccuracy.toFixed(4)} loss ${h.at(-1)!.loss.toFixed(4)} rate ${h.at(-1)!.rateBits.toFixed(3)} bits`).join('; ');
    console.info(`[web e2e] 12-bit, seed 0: ${line}; first chart after ${JSON.stringify(firstChartMs)} ms`);
    // Same seed, same data order: float32 kernels that sum in different orders drift apart over ~300 Adam steps,
    // so agreement is to within 2 points of test accuracy and 5% of the training loss at every epoch, not bit for
    // bit (measured: identical accuracy and 0.06% loss after 5 epochs; 0.1 points and 0.8% on the earlier 10-7-5
    // network; webgpu's loss within 1e-7 relative of cpu's after 2 epochs).
    const cpu = histories['cpu']!;
    for (const b of ['webgl', 'wasm', 'webgpu']) {
      const worst = (f: (r: Rec) => number, rel: boolean): string =>
        Math.max(...histories[b]!.map((r, i) => Math.abs(f(r) - f(cpu[i]!)) / (rel ? f(cpu[i]!) : 1))).toExponential(1);
      console.info(`[web e2e] ${b} against cpu, largest over epochs: |Δacc| ${worst((r) => r.testAccuracy, false)}, loss ${worst((r) => r.loss, true)} and rate ${worst((r) => r.rateBits, true)} relative`);
      for (const [i, r] of histories[b]!.entries()) {
        expect(Math.abs(r.testAccuracy - cpu[i]!.testAccuracy), `${b} epoch ${r.epoch} accuracy`).toBeLessThanOrEqual(0.02);
        expect(Math.abs(r.loss - cpu[i]!.loss), `${b} epoch ${r.epoch} loss`).toBeLessThanOrEqual(0.05 * cpu[i]!.loss);
        expect(Math.abs(r.rateBits - cpu[i]!.rateBits), `${b} epoch ${r.epoch} rate`).toBeLessThanOrEqual(0.05 * cpu[i]!.rateBits);
      }
    }
    // Above chance (the 12-bit labels are balanced to within a few percent) after 5 epochs.
    for (const b of ['webgl', 'wasm', 'cpu']) expect(histories[b]!.at(-1)!.testAccuracy).toBeGreaterThan(0.55);
  }, 480_000);

  it('auto: every backend, WebGPU on its SwiftShader adapter included, is set up and measured, and the fastest is used', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}index.html?backend=auto&dataset=tishby-12bit&train=333&test=128&epochs=2`);
    await page.waitForFunction(() => (window as any).__vibDemo?.ready === true || (window as any).__vibDemo?.error, null, { timeout: 120_000 });
    // auto: every probed backend got a time (WebGPU included: the adapter is there), and the one in use is the fastest.
    const timings = (await page.evaluate(() => (window as any).__vibDemo.controller.backend.timings)) as { name: string; ms: number | null; reason?: string }[];
    console.info(`[web e2e] auto probe: ${timings.map((t) => `${t.name} ${t.ms === null ? `failed (${t.reason})` : `${t.ms.toFixed(0)} ms`}`).join(', ')}`);
    const measured = timings.filter((t) => t.ms !== null).sort((a, b) => a.ms! - b.ms!);
    expect(measured.map((t) => t.name).sort()).toEqual(['wasm', 'webgl', 'webgpu']);
    expect(await page.evaluate(() => (window as any).__vibDemo.backend())).toBe(measured[0]!.name);
    await expect(page.locator('#backend option[value=auto]').textContent()).resolves.toBe(`Fastest here (${measured[0]!.name})`);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('opened from file://: the page says to serve it over http, and names a command', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`file://${join(siteDir, 'index.html')}`);
    await expect(page.locator('#file-warning').isVisible()).resolves.toBe(true);
    await expect(page.locator('#file-warning').textContent()).resolves.toMatch(/opened from file:\/\/.*Serve the folder over http.*pnpm --filter @vib\/web preview/s);
    await page.close();
  });

  it('layout at 390×844 and 1280×900: no sideways scroll, Train on the first screen, no serious axe-core violations', async () => {
    const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    for (const [w, h] of [[390, 844], [1280, 900]] as const) {
      const page = await browser.newPage({ viewport: { width: w, height: h } });
      await page.goto(`${server.url}index.html?backend=cpu&dataset=mnist&train=200&test=100&epochs=1&k=4`);
      await page.waitForFunction(() => (window as any).__vibDemo?.ready === true, null, { timeout: 60_000 });
      // Epochs = 0 is refused in the page's words, not the API's.
      await page.fill('#epochs', '0');
      await page.click('#train');
      await expect(page.locator('#status').textContent()).resolves.toBe('Epochs per run must be a whole number from 1 to 500 (it is "0").');
      await page.fill('#epochs', '1');
      await page.click('#train');
      await page.waitForFunction(() => (window as any).__vibDemo.history().length >= 1 && !(window as any).__vibDemo.busy(), null, { timeout: 60_000 });
      await (page.evaluate(() => (window as any).__vibDemo.dashboardDrawn()) as Promise<unknown>);
      const m = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, inner: innerWidth, train: document.querySelector('#train')!.getBoundingClientRect().bottom }));
      expect(m.scroll).toBeLessThanOrEqual(m.inner);
      // K = 4: the latent panel shows the codes through their first two principal components.
      expect(await page.evaluate(() => (window as any).__vibDemo.charts().latentCodes)).toBe(100);
      await expect(page.locator('#latent-note').textContent()).resolves.toMatch(/K = 4: the codes projected on their first two principal components \(\d+% and \d+%/);
      expect(m.train).toBeLessThanOrEqual(h);
      await page.screenshot({ path: join(outDir, `layout-${w}x${h}.png`), fullPage: true });
      // Every control reachable by keyboard: Tab reaches Train, and the uncertainty panel's drawing pad (Chromium
      // resumes Tab after the blurred Train button, so the walk wraps through the later panels: 40 presses, not 20).
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      const focused = new Set<string>();
      for (let i = 0; i < 40 && !(focused.has('train') && focused.has('unc-pad')); i++) {
        await page.keyboard.press('Tab');
        focused.add(await page.evaluate(() => document.activeElement?.id ?? ''));
      }
      expect(focused.has('train')).toBe(true);
      expect(focused.has('unc-pad')).toBe(true);
      await page.addScriptTag({ content: axe });
      const violations = (await page.evaluate(async () => (await (window as any).axe.run(document, { resultTypes: ['violations'] })).violations)) as { id: string; impact: string; nodes: unknown[] }[];
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes)`);
      expect(bad, `axe-core at ${w}×${h}`).toEqual([]);
      await page.close();
    }
  }, 180_000);
});
