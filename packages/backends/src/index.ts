export type {
  Availability,
  BackendPlugin,
  BackendSetupOptions,
  BackendSetupResult,
  BackendTier,
  Environment,
  ProbeOptions,
  WasmFileName,
  WasmPaths,
} from './backend-plugin.js';
export { wasmFileUrl } from './backend-plugin.js';
export { detectEnvironment, hardwareThreads } from './environment.js';
export { registerBackends, builtinBackends } from './register.js';
export { selectBackend, type SelectBackendOptions, type SelectedBackend } from './selection/select-backend.js';
export { describeBackends, formatBackendTable, type BackendDescription } from './selection/describe-backends.js';
export { cpuBackend, webglBackend, tensorflowBackend, tensorflowGpuBackend } from './plugins/library-backends.js';
export { webgpuBackend } from './plugins/webgpu/webgpu-backend.js';
export { provideWebGpuPackage, type WebGpuPackage, type WebGpuBackendClass } from './plugins/webgpu/webgpu-package.js';
export { installWebGpuAdam, setWebGpuFusedAdam } from './plugins/webgpu/webgpu-adam.js';
export { registerWebGpuFusedKernels, unregisterWebGpuFusedKernels, WEBGPU_FUSED_KERNELS } from './plugins/webgpu/webgpu-fused.js';
export { probeWebGpu, type WebGpuProbe } from './plugins/webgpu/probe-adapter.js';
export { summarizeAdapter, describeAdapter, type GpuAdapterSummary, type AdapterInfoLike } from './plugins/webgpu/adapter-summary.js';
export { findSwiftShader, applySwiftShaderInProcess, SWIFTSHADER_DIRS, type SwiftShaderRecipe } from './plugins/webgpu/swiftshader.js';
export { findVulkanLoader } from './plugins/webgpu/vulkan-loader.js';
export { wasmBackend } from './plugins/wasm-backend.js';
export { installAcceleration, uninstallAcceleration, type AccelerationOptions, type AccelerationReport } from './accel/install-acceleration.js';
export { installKernelOverride, installedOverrides, uninstallAllOverrides, type OverrideHandle } from './accel/install-override.js';
export type { KernelArgs, KernelOverrideSpec, CheckCase, CheckInput, Tolerance, SingleKernelFunc } from './accel/kernel-types.js';
export { loadNativeBlas, type NativeBlasLoad } from './accel/load-native-blas.js';
export type { GemmKernelName, NativeBlas } from './accel/native-blas-module.js';
