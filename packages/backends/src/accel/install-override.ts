import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, KernelOverrideSpec, SingleKernelFunc } from './kernel-types.js';
import { cpuKernelOf, selfCheck, uniformGenerator, type Reference } from './self-check.js';

/**
 * The stock kernel to check against: TensorFlow.js's cpu kernel (its reference implementation) when the cpu
 * backend is registered, else the original kernel of the same backend. (tfjs-backend-wasm 4.22's own
 * _FusedMatMul adds the bias to the wrong columns when transposeB is set or the batch is > 1, so checking
 * against it would reject correct overrides; verified against NumPy.)
 */
function referenceFor(kernelName: string, backendName: string, stock: SingleKernelFunc, backend: KernelBackend): Reference {
  return (backendName === 'cpu' ? null : cpuKernelOf(kernelName)) ?? { backend, kernel: stock };
}

/** Live state of an installed override. */
export interface OverrideHandle {
  /** TensorFlow.js kernel name the override replaces, e.g. `BatchMatMul`. */
  readonly kernelName: string;
  /** Backend it is installed on, e.g. `wasm`. */
  readonly backendName: string;
  /** Tier of the override, for reports: `pure` (JavaScript/wasm) or `native` (OpenBLAS addon). */
  readonly tier: 'pure' | 'native';
  /** False once a self-check failed: every call then goes to the kernel below. */
  readonly active: boolean;
  /** Calls this override answered itself (not delegated below). */
  readonly handled: number;
  /** Variants checked so far and their outcome. */
  readonly checks: ReadonlyMap<string, string>;
  /** Restore the kernel that was registered before this override. */
  uninstall(): void;
}

/** The original (stock) kernel of each `backend/kernel`, kept while any override is installed. */
const originals = new Map<string, KernelConfig>();
/** Overrides per `backend/kernel`, bottom first. */
const stacks = new Map<string, OverrideHandle[]>();

const keyOf = (backendName: string, kernelName: string): string => `${backendName}/${kernelName}`;

/**
 * Register `spec` as the kernel for its name on its backend, through TensorFlow.js's own kernel registry
 * (unregisterKernel, then registerKernel), so model code does not change. At the first call of each
 * attribute variant it runs a small random case through itself and the stock kernel (tfjs's cpu kernel when
 * available, else the original); on disagreement it
 * warns once and hands every later call to the kernel below.
 * @param spec - the override
 * @param warn - where the one warning goes (default console.warn)
 * @returns a handle to inspect or uninstall it
 * @throws Error when no kernel of that name is registered on that backend
 */
export function installKernelOverride(spec: KernelOverrideSpec, warn: (message: string) => void = console.warn): OverrideHandle {
  const key = keyOf(spec.backendName, spec.kernelName);
  const belowConfig = tf.getKernel(spec.kernelName, spec.backendName);
  if (!belowConfig) throw new Error(`no ${spec.kernelName} kernel is registered for backend "${spec.backendName}": set the backend up first`);
  if (!originals.has(key)) originals.set(key, belowConfig);
  const stockConfig = originals.get(key) as KernelConfig;
  const stock = stockConfig.kernelFunc as unknown as SingleKernelFunc;
  const below = belowConfig.kernelFunc as unknown as SingleKernelFunc;

  let active = true;
  let handled = 0;
  const checks = new Map<string, string>();
  const random = uniformGenerator(0x5eed);
  const fast = (args: KernelArgs): TensorInfo | null => spec.run(args, below);

  const kernelFunc = (args: KernelArgs): TensorInfo => {
    if (!active) return below(args);
    const variant = spec.variantKey(args);
    if (!checks.has(variant)) {
      const testCase = spec.checkCase(args, random);
      const result = testCase ? selfCheck(args.backend, testCase, fast, referenceFor(spec.kernelName, spec.backendName, stock, args.backend), spec.tolerance) : null;
      checks.set(variant, result ? result.detail : 'not handled');
      if (result && !result.ok) {
        active = false;
        warn(
          `@vib/backends: the ${spec.tier} ${spec.kernelName} override on ${spec.backendName} disagrees with the stock kernel ` +
            `(${variant}: ${result.detail}); falling back to the stock kernel for the rest of this process.`,
        );
        return below(args);
      }
    }
    const out = fast(args);
    if (out === null) return below(args);
    handled++;
    return out;
  };

  const handle: OverrideHandle = {
    kernelName: spec.kernelName,
    backendName: spec.backendName,
    tier: spec.tier,
    get active() {
      return active;
    },
    get handled() {
      return handled;
    },
    checks,
    uninstall() {
      const stack = stacks.get(key) ?? [];
      const at = stack.indexOf(handle);
      if (at < 0) return;
      if (at !== stack.length - 1) throw new Error(`uninstall overrides of ${key} in reverse order of installation`);
      stack.pop();
      tf.unregisterKernel(spec.kernelName, spec.backendName);
      tf.registerKernel(belowConfig);
      if (stack.length === 0) {
        stacks.delete(key);
        originals.delete(key);
      }
    },
  };

  tf.unregisterKernel(spec.kernelName, spec.backendName);
  const config: KernelConfig = {
    kernelName: spec.kernelName,
    backendName: spec.backendName,
    kernelFunc: kernelFunc as unknown as KernelFunc,
    // Keep the stock setup (e.g. wasm cwrap) so a re-initialized backend still sets the stock kernel up.
    ...(stockConfig.setupFunc ? { setupFunc: stockConfig.setupFunc } : {}),
    ...(stockConfig.disposeFunc ? { disposeFunc: stockConfig.disposeFunc } : {}),
  };
  tf.registerKernel(config);
  const stack = stacks.get(key) ?? [];
  stack.push(handle);
  stacks.set(key, stack);
  return handle;
}

/**
 * Every override installed now, bottom of each stack first.
 * @returns the handles
 */
export function installedOverrides(): OverrideHandle[] {
  return [...stacks.values()].flat();
}

/** Uninstall every override, restoring the stock kernels. */
export function uninstallAllOverrides(): void {
  for (const stack of [...stacks.values()]) {
    for (const handle of [...stack].reverse()) handle.uninstall();
  }
}
