// The pure tier on tfjs-wasm's threaded build in headless Chromium: a cross-origin isolated page (COOP/COEP)
// served from 127.0.0.1 with tfjs-backend-wasm's .wasm files under /wasm/.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: Server;
let browser: Browser;
let url: string;

beforeAll(async () => {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('../testing/browser-threads-entry.ts', import.meta.url))],
    bundle: true, format: 'esm', platform: 'browser', write: false, conditions: ['@vib/source'], logLevel: 'error',
    external: ['node:*', '@vib/native-blas', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-backend-webgpu'],
  });
  const bundle = out.outputFiles[0]!.contents;
  const wasmDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/') return void res.writeHead(200, { ...isolation, 'content-type': 'text/html' }).end('<script type="module" src="/bundle.js"></script>');
    if (path === '/bundle.js') return void res.writeHead(200, { ...isolation, 'content-type': 'text/javascript' }).end(bundle);
    const wasm = /^\/wasm\/(tfjs-backend-wasm[a-z-]*\.wasm)$/.exec(path)?.[1];
    if (wasm) return void res.writeHead(200, { ...isolation, 'content-type': 'application/wasm' }).end(readFileSync(join(wasmDir, wasm)));
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe('the pure tier on tfjs-wasm\'s threaded build in Chromium (cross-origin isolated)', () => {
  it('runs 2 threads and 3 on a shared heap with the SIMD kernels and their helper threads, training and inference by rows bitwise the one-thread run; stock stays tfjs\'s own', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as Record<string, unknown>)['__result'] !== undefined, undefined, { timeout: 100_000 });
    const r = (await page.evaluate(() => (globalThis as Record<string, unknown>)['__result'])) as Record<string, any>;
    expect(r['error']).toBeUndefined();
    expect(r['isolated']).toBe(true);
    expect(r['one']).toMatchObject({ threads: 1 });
    expect(r['two'].threads).toBe(2);
    expect(r['two'].reason).toMatch(/threaded build for its shared heap, XNNPACK kernels on the calling thread/);
    expect(r['shared']).toBe('[object SharedArrayBuffer]');
    expect(r['simd']).toBe(true);
    // the SIMD module's helper thread took half of the long Adam updates and transposes (w1 is 301 × 257)
    expect(r['two'].reason).toMatch(/matmuls, Adam and transposes split with a helper thread/);
    expect(r['helperCalls']).toBeGreaterThanOrEqual(6);
    // a small CNN (plain and transposed products, SIMD field loops and pool gradient on the shared heap): the same
    // bits on one thread and on two, within float32 rounding of the cpu backend's weights after three Adam steps
    expect(r['two'].reason).toMatch(/receptive fields unfolded and folded in SIMD/);
    expect(r['cnn'].n).toBe(3 * 3 * 3 * 32 + 32 + 3 * 3 * 32 * 16 + 16 + 144 * 10 + 6 * 10);
    expect(r['cnn'].differ).toBe(0);
    expect(r['cnn'].worstVsCpu).toBeLessThan(1e-4);
    expect(r['n']).toBe(301 * 257 + 257 + 2 * 257 * 33 + 33 * 10 + 64 * 10);
    expect(r['finite']).toBe(true);
    expect(r['differ']).toBe(0);
    // five inference calls of three fused products with kept weights: 8 of them by rows, on one thread and on two
    // (the helper's share in a Web Worker), bitwise the same
    expect(r['byRows']).toEqual({ rows: [8, 8], differ: 0, n: 5 * 70 * 96 });
    // three threads: the calling thread and two helper Web Workers, bitwise the one-thread run
    expect(r['three'].threads).toBe(3);
    expect(r['three'].reason).toMatch(/matmuls, Adam and transposes split with 2 helper threads/);
    expect(r['helpers']).toBe(2);
    expect(r['threeCalls']).toBeGreaterThanOrEqual(6);
    expect(r['differ3']).toBe(0);
    // tfjs's own threaded build, with the pool tfjs sizes: the threads asked for (2), at most half the cores
    expect(r['stock']).toEqual({ tier: 'stock', threads: Math.max(1, Math.min(2, Math.floor(r['cores'] / 2))) });
  });
});
