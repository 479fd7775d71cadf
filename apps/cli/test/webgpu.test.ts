// `vib` on webgpu in Node, on this GPU-less machine: Dawn (npm `webgpu`) on SwiftShader, Chromium's CPU Vulkan.
// The documented recipe sets LD_LIBRARY_PATH and VK_ICD_FILENAMES before the process starts, so the runs on
// webgpu are child processes; the cpu reference runs in this process.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { findSwiftShader, type SwiftShaderRecipe } from '@vib/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vib } from './helpers.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
let root: string;
let recipe: SwiftShaderRecipe;

/** Run `vib` in a child process started with the SwiftShader recipe's environment. */
async function vibOnSwiftShader(...args: string[]): Promise<string> {
  const r = await promisify(execFile)(process.execPath, ['--conditions=@vib/source', '--import', 'tsx', 'apps/cli/src/main.ts', ...args], {
    cwd: repo,
    env: { ...process.env, ...recipe.env, VIB_WEBGPU_SWIFTSHADER: '' },
    timeout: 240_000,
    maxBuffer: 1 << 24,
  });
  return r.stdout;
}

beforeAll(async () => {
  const found = await findSwiftShader();
  expect(found, 'SwiftShader not found in /usr/lib/chromium: install Debian\'s chromium (scripts/setup.sh does)').not.toBeNull();
  recipe = found!;
  root = await mkdtemp(join(tmpdir(), 'vib-webgpu-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('vib on webgpu through SwiftShader', () => {
  it('vib backends shows the software adapter, does not pick it, and uses it with --backend webgpu', async () => {
    const out = JSON.parse(await vibOnSwiftShader('backends', '--backend', 'webgpu', '--json')) as {
      backends: { name: string; available: boolean; reason: string; adapter?: Record<string, unknown> }[];
      selected: { name: string; adapter?: Record<string, unknown> };
    };
    const row = out.backends.find((b) => b.name === 'webgpu');
    expect(row?.adapter).toEqual({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0', software: true, via: 'dawn' });
    expect(row?.available).toBe(true); // judged as asked for
    expect(out.selected).toMatchObject({ name: 'webgpu', adapter: { software: true } });
  });

  it('vib train --backend webgpu gives the cpu run\'s metrics within |Δ| ≤ 1e-4 + 1e-3·|cpu| (accuracies within one test example)', async () => {
    // 2 epochs of 4 steps (batch 50 of 200 digits), K = 4, 16 hidden units: the same seed, data order and noise
    const flags = ['--hidden', '16', '--latent-dim', '4', '--max-train', '200', '--max-test', '100', '--batch-size', '50', '--epochs', '2', '--seed', '3', '--quiet', '--json'];
    const gpu = JSON.parse(await vibOnSwiftShader('train', '--backend', 'webgpu', ...flags, '--out', join(root, 'gpu'))) as Record<string, unknown>;
    const cpu = await vib('train', '--backend', 'cpu', ...flags, '--out', join(root, 'cpu'));
    expect(cpu.code).toBe(0);
    expect(gpu['backend']).toBe('webgpu');
    const history = async (dir: string) => (JSON.parse(await readFile(join(root, dir, 'metrics.json'), 'utf8')) as { history: Record<string, number>[] }).history;
    const [g, c] = [await history('gpu'), await history('cpu')];
    expect(g).toHaveLength(2);
    const drift: string[] = [];
    for (const [e, ce] of c.entries()) {
      for (const key of ['loss', 'taskLoss', 'testLoss', 'rateBits', 'izyBits']) {
        const [a, b] = [g[e]![key]!, ce[key]!];
        if (!(Math.abs(a - b) <= 1e-4 + 1e-3 * Math.abs(b))) drift.push(`epoch ${e + 1} ${key}: webgpu ${a}, cpu ${b}`);
      }
      for (const key of ['trainAccuracy', 'testAccuracy']) {
        if (!(Math.abs(g[e]![key]! - ce[key]!) <= 0.0101)) drift.push(`epoch ${e + 1} ${key}: webgpu ${g[e]![key]}, cpu ${ce[key]}`);
      }
    }
    expect(drift).toEqual([]);
    // and training did something: the loss fell (so matching numbers are not two copies of a no-op)
    expect(g[1]!['loss']!).toBeLessThan(g[0]!['loss']!);
  });

  it('vib robustness --backend webgpu gives the cpu run\'s accuracies under FGSM (no synchronous read on the way)', async () => {
    // the cpu model of the test above, attacked on both backends with the same seed
    const args = ['robustness', '--model', join(root, 'cpu'), '--attack', 'fgsm', '--eps', '0,0.1', '--max-test', '40', '--quiet', '--json'];
    const gpu = JSON.parse(await vibOnSwiftShader(...args, '--backend', 'webgpu', '--out', join(root, 'rob-gpu'))) as unknown;
    const cpu = await vib(...args, '--backend', 'cpu', '--out', join(root, 'rob-cpu'));
    expect(cpu.code).toBe(0);
    const points = (r: unknown) => JSON.stringify(r, (k, v: unknown) => (['seconds', 'wallSeconds', 'backend', 'out', 'date', 'runId'].includes(k) ? undefined : v));
    expect(points(gpu)).toBe(points(JSON.parse(cpu.stdout) as unknown));
  });
});
