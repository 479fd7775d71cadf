// A Node app bundled with esbuild, tfjs-backend-webgpu inside the bundle: the package is evaluated at the bundle's
// start, before any navigator.gpu exists, so it registers no backend. provideWebGpuPackage hands the bundled module to
// the webgpu plugin, whose setup registers it once Dawn's navigator.gpu is in place. Runs on SwiftShader (a CPU Vulkan)
// through Dawn, as the other webgpu tests do.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provideWebGpuPackage } from './webgpu-package.js';
import { findSwiftShader } from './swiftshader.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
let dir = '';

const entry = `
import * as tf from '@tensorflow/tfjs';
import * as webgpu from '@tensorflow/tfjs-backend-webgpu';
import { createRegistry } from '@vib/core';
import { provideWebGpuPackage, registerBackends, selectBackend } from '@vib/backends';
const before = tf.findBackendFactory('webgpu') !== null;
if (process.argv[2] === 'provide') provideWebGpuPackage(webgpu);
const registry = createRegistry();
registerBackends(registry);
try {
  const picked = await selectBackend(registry, { preferred: 'webgpu', strict: true });
  const y = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]]));
  console.log(JSON.stringify({ before, name: picked.name, backend: tf.getBackend(), y: Array.from(await y.data()) }));
} catch (e) {
  console.log(JSON.stringify({ before, error: e.message }));
}
`;

beforeAll(async () => {
  expect(await findSwiftShader(), 'SwiftShader not found in /usr/lib/chromium: install Debian\'s chromium (scripts/setup.sh does)').not.toBeNull();
  dir = mkdtempSync(join(tmpdir(), 'vib-webgpu-bundle-'));
  writeFileSync(join(dir, 'entry.ts'), entry);
  // what a bundle cannot hold travels beside it: Dawn's binding (a native addon), and the wasm package's files
  mkdirSync(join(dir, 'node_modules', '@tensorflow'), { recursive: true });
  symlinkSync(realpathSync(dirname(require.resolve('webgpu/package.json'))), join(dir, 'node_modules', 'webgpu'));
  symlinkSync(realpathSync(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'))), join(dir, 'node_modules', '@tensorflow', 'tfjs-backend-wasm'));
  await build({
    entryPoints: [join(dir, 'entry.ts')],
    outfile: join(dir, 'app.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@vib/source'],
    mainFields: ['module', 'main'],
    ignoreAnnotations: true,
    // the entry sits outside the workspace: its imports resolve as from this package (itself by its source)
    nodePaths: [join(here, '../../../node_modules')],
    alias: { '@vib/backends': join(here, '../../index.ts') },
    external: ['webgpu', '@tensorflow/tfjs-backend-wasm', '@vib/native-blas'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'error',
  });
}, 120_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const app = async (arg: string): Promise<Record<string, unknown>> => {
  const { stdout } = await run(process.execPath, [join(dir, 'app.mjs'), arg], { env: { ...process.env, VIB_WEBGPU_SWIFTSHADER: '1' }, timeout: 90_000 });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as Record<string, unknown>;
};

describe('the webgpu backend in a bundled Node app', () => {
  it('runs on the package the app hands over, though the bundle evaluated it before navigator.gpu existed', async () => {
    expect(await app('provide')).toEqual({ before: false, name: 'webgpu', backend: 'webgpu', y: [17, 39] });
  }, 120_000);

  it('without it, says the package cannot be found by name and what a bundle does instead', async () => {
    const got = await app('none');
    expect(got['before']).toBe(false);
    expect(got['error']).toMatch(/@tensorflow\/tfjs-backend-webgpu is not installed: .*in a bundle: provideWebGpuPackage\(await import\('@tensorflow\/tfjs-backend-webgpu'\)\) before setup/);
  }, 120_000);

  it('refuses anything but the package', () => {
    expect(() => provideWebGpuPackage({})).toThrow(/provideWebGpuPackage takes the module of @tensorflow\/tfjs-backend-webgpu .*got object without a WebGPUBackend class/);
    expect(() => provideWebGpuPackage(null)).toThrow(/got null/);
  });
});
