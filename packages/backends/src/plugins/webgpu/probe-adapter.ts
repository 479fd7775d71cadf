import { detectEnvironment, readEnv } from '../../environment.js';
import { optionalImport } from '../../optional-import.js';
import { summarizeAdapter, type AdapterInfoLike, type GpuAdapterSummary } from './adapter-summary.js';
import { applySwiftShaderInProcess, findSwiftShader } from './swiftshader.js';
import { findVulkanLoader } from './vulkan-loader.js';

/** The part of `navigator.gpu` used here. */
interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<{
    readonly info?: AdapterInfoLike;
    requestAdapterInfo?(): Promise<AdapterInfoLike>;
  } | null>;
}

/** Dawn's Node binding, npm `webgpu`. */
interface DawnModule {
  create(options: string[]): GpuLike;
  readonly globals: Record<string, unknown>;
}

/** Result of {@link probeWebGpu}: an adapter, or why there is none. */
export type WebGpuProbe = { readonly adapter: GpuAdapterSummary; readonly reason: string } | { readonly adapter: null; readonly reason: string };

/**
 * Give this Node process a `navigator.gpu` backed by Dawn, and Dawn's WebGPU constants
 * (`GPUBufferUsage`, ...) as globals, which @tensorflow/tfjs-backend-webgpu reads.
 */
function installDawn(dawn: DawnModule): GpuLike {
  const g = globalThis as Record<string, unknown>;
  for (const [name, value] of Object.entries(dawn.globals)) if (!(name in g)) g[name] = value;
  const gpu = dawn.create([]);
  const nav = g['navigator'] as Record<string, unknown> | undefined;
  if (nav === undefined) Object.defineProperty(g, 'navigator', { value: { gpu }, configurable: true, writable: true });
  else if (nav['gpu'] === undefined) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  return gpu;
}

/** Find a GPU in Node: Vulkan loader check (Linux), optional SwiftShader recipe, then Dawn. */
async function nodeGpu(): Promise<{ gpu: GpuLike; note: string } | { gpu: null; reason: string }> {
  let note = '';
  if (readEnv('VIB_WEBGPU_SWIFTSHADER') === '1') {
    const recipe = await findSwiftShader();
    if (recipe === null) {
      return { gpu: null, reason: 'VIB_WEBGPU_SWIFTSHADER=1 but no SwiftShader Vulkan driver was found in /usr/lib/chromium: install Debian\'s chromium package' };
    }
    applySwiftShaderInProcess(recipe);
    note = ` (SwiftShader from ${recipe.dir}, VIB_WEBGPU_SWIFTSHADER=1)`;
  } else if ((await findVulkanLoader()) === null) {
    return {
      gpu: null,
      reason: 'no Vulkan loader (libvulkan.so.1) here, so Dawn can reach no GPU: install libvulkan1 and the GPU\'s Vulkan driver; for tests, set VIB_WEBGPU_SWIFTSHADER=1',
    };
  }
  const dawn = await optionalImport<DawnModule>('webgpu');
  if (!dawn.ok) return { gpu: null, reason: `${dawn.reason}: it is an optional dependency of @vib/backends (Dawn's Node binding), reinstall with optional dependencies` };
  const existing = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  return { gpu: existing ?? installDawn(dawn.module), note };
}

async function probeOnce(): Promise<WebGpuProbe> {
  const env = detectEnvironment();
  let gpu: GpuLike;
  let note = '';
  if (env === 'browser') {
    const g = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
    if (g === undefined) return { adapter: null, reason: 'navigator.gpu is absent: this browser has no WebGPU (or the page is not a secure context)' };
    gpu = g;
  } else {
    const found = await nodeGpu();
    if (found.gpu === null) return { adapter: null, reason: found.reason };
    ({ gpu, note } = found);
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  const where = env === 'node' ? 'Dawn' : 'this browser';
  if (adapter === null) {
    return { adapter: null, reason: `${where} found no WebGPU adapter${note}: no GPU driver offered one (Linux: \`vulkaninfo --summary\` lists Vulkan devices)` };
  }
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  return { adapter: summarizeAdapter(info, env === 'node' ? 'dawn' : 'browser'), reason: `via ${where}${note}` };
}

let cached: Promise<WebGpuProbe> | undefined;

/**
 * Find the WebGPU adapter this process would use, once: in a browser through `navigator.gpu`, in Node
 * through Dawn (npm `webgpu`), installing `navigator.gpu` and Dawn's globals. Never throws.
 * In Node, `VIB_WEBGPU_SWIFTSHADER=1` first points the Vulkan loader at Chromium's SwiftShader (for tests).
 * @returns the adapter and where it came from, or why there is none
 */
export function probeWebGpu(): Promise<WebGpuProbe> {
  cached ??= probeOnce().catch((error: unknown) => ({
    adapter: null,
    reason: `probing WebGPU failed: ${error instanceof Error ? error.message : String(error)}`,
  }));
  return cached;
}
