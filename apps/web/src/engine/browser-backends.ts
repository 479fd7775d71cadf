import type { Registry } from '@vib/core';
import { registerBackends, selectBackend, type SelectedBackend } from '@vib/backends';
import type { BrowserBackendName } from './browser-backends-names.js';
import { cpuBrowser } from './cpu-browser.js';
import { describeTimings, fastest, measureStepMs, type ProbeTiming } from './speed-probe.js';
import { wasmBrowser } from './wasm-browser.js';
import { webglBrowser } from './webgl-browser.js';
import { webgpuBrowser } from './webgpu-browser.js';

/** Backends the `auto` choice measures (cpu is never the fastest of these where one of them runs). */
const PROBED = ['webgpu', 'webgl', 'wasm'] as const;

/**
 * Register the browser backends: @vib/backends' plugins (unless already there), with webgpu, webgl, wasm
 * and cpu replaced by the page's versions (each loaded on demand; WebGL with its safe flags).
 * @param registry - the app's registry
 */
export function registerBrowserBackends(registry: Registry): void {
  if (!registry.has('backend', 'cpu')) registerBackends(registry);
  for (const plugin of [webgpuBrowser, webglBrowser, wasmBrowser, cpuBrowser]) registry.register('backend', plugin, { override: true });
}

/** The backend in use, with the probe timings when it was chosen by `auto`. */
export interface UsedBackend extends SelectedBackend {
  readonly timings: readonly ProbeTiming[] | null;
}

/**
 * Set up a backend. A name is tried first, falling back by priority when it is missing or fails;
 * `auto` sets up each of webgpu, webgl and wasm in turn, times one training step on each
 * ({@link measureStepMs}) and keeps the fastest: on a machine whose WebGL is software-rendered,
 * wasm wins, whatever the priorities say.
 * @param registry - registry with backend plugins
 * @param preferred - the backend asked for, or `auto`
 * @param onProgress - told which backend is being measured
 * @returns the backend actually in use and why
 * @throws {@link BackendError} when none can be set up
 */
export async function useBackend(registry: Registry, preferred: BrowserBackendName, onProgress?: (line: string) => void): Promise<UsedBackend> {
  if (preferred !== 'auto') return { ...(await selectBackend(registry, { preferred, environment: 'browser' })), timings: null };
  const timings: ProbeTiming[] = [];
  for (const name of PROBED) {
    onProgress?.(`Measuring ${name}…`);
    try {
      await selectBackend(registry, { preferred: name, environment: 'browser', strict: true });
      timings.push({ name, ms: await measureStepMs() });
    } catch (error) {
      timings.push({ name, ms: null, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  const best = fastest(timings) ?? 'cpu';
  const used = await selectBackend(registry, { preferred: best, environment: 'browser' });
  return { ...used, reason: `fastest measured training step (${describeTimings(timings)}); ${used.reason}`, timings };
}
