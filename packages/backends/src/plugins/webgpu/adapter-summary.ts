/** What `vib backends` says about a WebGPU adapter. */
export interface GpuAdapterSummary {
  /** `GPUAdapterInfo.vendor`, e.g. `nvidia`, `google` (empty when the implementation hides it). */
  readonly vendor: string;
  /** `GPUAdapterInfo.architecture`, e.g. `ampere`, `swiftshader`. */
  readonly architecture: string;
  /** `GPUAdapterInfo.description` (or `device` when the description is empty). */
  readonly description: string;
  /** True for a CPU implementation of WebGPU (SwiftShader, lavapipe/llvmpipe, WARP, a fallback adapter). */
  readonly software: boolean;
  /** Where the adapter came from: Dawn's Node binding (npm `webgpu`) or the browser's `navigator.gpu`. */
  readonly via: 'dawn' | 'browser';
}

/** The fields of `GPUAdapterInfo` read here (all optional: older implementations lack some). */
export interface AdapterInfoLike {
  /** The GPU's vendor, lower case (`nvidia`, `amd`, `google` for SwiftShader). */
  readonly vendor?: string;
  /** The GPU family (`hopper`, `rdna-3`, `swiftshader`). */
  readonly architecture?: string;
  /** The device name or id the driver gives. */
  readonly device?: string;
  /** A human-readable description of the driver or device. */
  readonly description?: string;
  /** True when the implementation flags the adapter as a fallback (CPU) adapter. */
  readonly isFallbackAdapter?: boolean;
}

/** Names of CPU implementations of Vulkan/D3D/WebGPU, as drivers report them. */
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i;

/**
 * Summarize a WebGPU adapter and tell a CPU implementation from a GPU.
 * @param info - the adapter's `info` (`GPUAdapterInfo`)
 * @param via - Dawn in Node, or the browser
 * @returns vendor, architecture, description and whether it is software
 * @example
 * ```ts
 * summarizeAdapter({ vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true }, 'dawn').software; // true
 * ```
 */
export function summarizeAdapter(info: AdapterInfoLike, via: GpuAdapterSummary['via']): GpuAdapterSummary {
  const vendor = info.vendor ?? '';
  const architecture = info.architecture ?? '';
  const description = info.description || info.device || '';
  const software = info.isFallbackAdapter === true || SOFTWARE.test(`${vendor} ${architecture} ${info.device ?? ''} ${description}`);
  return { vendor, architecture, description, software, via };
}

/**
 * One line naming an adapter, as `vib backends` prints it.
 * @param a - the summary
 * @returns e.g. `hardware adapter nvidia/ampere (NVIDIA GeForce RTX 3080)`
 */
export function describeAdapter(a: GpuAdapterSummary): string {
  const name = [a.vendor || 'unknown vendor', a.architecture].filter((s) => s !== '').join('/');
  return `${a.software ? 'software' : 'hardware'} adapter ${name}${a.description ? ` (${a.description})` : ''}`;
}
