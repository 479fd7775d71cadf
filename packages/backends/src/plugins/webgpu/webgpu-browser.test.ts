// The webgpu plugin's browser path in headless Chromium on SwiftShader (--use-webgpu-adapter=swiftshader), on a
// page served from 127.0.0.1 (a secure context: about:blank has no navigator.gpu), checked against cpu.
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAM_SHAPES } from '../../testing/adam-steps.js';
import { KERNEL_CASES } from '../../testing/kernel-cases.js';

let server: Server;
let browser: Browser;
let url: string;

beforeAll(async () => {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('../../testing/browser-kernels-entry.ts', import.meta.url))],
    bundle: true, format: 'esm', platform: 'browser', write: false, conditions: ['@vib/source'], logLevel: 'error',
    external: ['node:*'],
  });
  const bundle = out.outputFiles[0]!.contents;
  server = createServer((req, res) => {
    if (req.url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<script type="module" src="/bundle.js"></script>');
    if (req.url === '/bundle.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
      '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  server?.close();
});

interface PageResult {
  auto: { available: boolean; reason: string; adapter?: { software: boolean; via: string } };
  setup: { name: string; reason: string };
  cases: { name: string; worst: number | null }[];
  adam: { worst: number | null; dispatches: number; moved: number };
  error?: string;
}

describe('webgpu in headless Chromium (SwiftShader)', () => {
  it('finds a software adapter, sets up webgpu when asked, and its kernels and fused Adam update agree with cpu', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as Record<string, unknown>)['__result'] !== undefined, undefined, { timeout: 100_000 });
    const r = (await page.evaluate(() => (globalThis as Record<string, unknown>)['__result'])) as PageResult;
    expect(r.error).toBeUndefined();
    expect(r.auto).toMatchObject({ available: false, adapter: { software: true, via: 'browser' } });
    expect(r.auto.reason).toMatch(/never chosen automatically/);
    expect(r.setup.name).toBe('webgpu');
    // JSON turns Infinity (a NaN or a shape mismatch) into null, which fails here too
    expect(r.cases.filter((c) => !(c.worst !== null && c.worst <= 1))).toEqual([]);
    expect(r.cases.map((c) => c.name)).toEqual(KERNEL_CASES.map((c) => c.name)); // every case ran in the page
    // the plugin's fused Adam update ran in the page (3 programs per variable and the two β-power products) and
    // gave cpu's tfjs Adam figures
    expect(r.adam.dispatches).toBe(3 * ADAM_SHAPES.length + 2);
    expect(r.adam.worst).not.toBeNull();
    expect(r.adam.worst!).toBeLessThanOrEqual(1);
    expect(r.adam.moved).toBeGreaterThan(0.1);
  });
});
