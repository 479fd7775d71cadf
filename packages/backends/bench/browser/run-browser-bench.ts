// Pure tier in the browser: bundles entry.ts with esbuild, serves it and the .wasm files, runs it in Debian's
// headless Chromium through playwright-core. `node --conditions=@vib/source --import tsx bench/browser/run-browser-bench.ts`
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const out = await build({
  entryPoints: [join(here, 'entry.ts')], bundle: true, format: 'esm', platform: 'browser', write: false,
  conditions: ['@vib/source'], external: ['node:*', '@vib/native-blas', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-backend-webgpu'],
  logLevel: 'error',
});
const bundle = out.outputFiles[0]?.contents ?? new Uint8Array();
const wasmDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
// cross-origin isolated (COOP/COEP), as the web demo is served: SharedArrayBuffer, so tfjs-wasm's threaded build
const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (url === '/') return res.writeHead(200, { ...isolation, 'content-type': 'text/html' }).end('<script type="module" src="/bundle.js"></script>');
  if (url === '/bundle.js') return res.writeHead(200, { ...isolation, 'content-type': 'text/javascript' }).end(bundle);
  const wasm = /^\/wasm\/(tfjs-backend-wasm[a-z-]*\.wasm)$/.exec(url)?.[1];
  if (wasm) {
    try {
      return res.writeHead(200, { ...isolation, 'content-type': 'application/wasm' }).end(readFileSync(join(wasmDir, wasm)));
    } catch {
      /* fall through */
    }
  }
  return res.writeHead(404).end();
});
await new Promise<void>((r) => server.listen(0, r));
const port = (server.address() as { port: number }).port;
const browser = await chromium.launch({ executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium', args: [
  '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader', // webgl without a GPU
] });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => (globalThis as Record<string, unknown>)['__result'] !== undefined, undefined, { timeout: 540_000 });
  const result = await page.evaluate(() => (globalThis as Record<string, unknown>)['__result']);
  console.log(JSON.stringify(result, null, 1));
} finally {
  await browser.close();
  server.close();
}
