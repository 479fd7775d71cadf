import * as tf from '@tensorflow/tfjs';
import { BackendError } from '@vib/core';
import type { Availability, BackendPlugin, BackendTier, Environment } from '../backend-plugin.js';
import { detectEnvironment, hardwareThreads } from '../environment.js';
import { optionalImport } from '../optional-import.js';

/** Description of a backend that comes from an optional package registering one tfjs backend. */
export interface LibraryBackendSpec {
  readonly name: string;
  readonly description: string;
  readonly priority: number;
  readonly environments: readonly Environment[];
  /** The tfjs backend name it registers. */
  readonly tfName: string;
  /** The optional package to import, or null when @tensorflow/tfjs already bundles it. */
  readonly specifier: string | null;
  /** Why the package may be missing, and what to do. */
  readonly installHint: string;
  /** Extra runtime probe (e.g. navigator.gpu); returns a reason when unusable. */
  readonly probe?: () => Promise<string | null>;
  readonly tier: BackendTier;
}

/**
 * Build a backend plugin around an optional package: nothing is imported until `isAvailable` or `setup`.
 * @param spec - the backend
 * @returns the plugin
 */
export function libraryBackend(spec: LibraryBackendSpec): BackendPlugin {
  const check = async (): Promise<Availability> => {
    const env = detectEnvironment();
    if (!spec.environments.includes(env)) return { available: false, reason: `${spec.name} runs in ${spec.environments.join('/')} only, not ${env}` };
    const problem = spec.probe ? await spec.probe() : null;
    if (problem) return { available: false, reason: problem };
    if (spec.specifier) {
      const mod = await optionalImport(spec.specifier);
      if (!mod.ok) return { available: false, reason: `${mod.reason}: ${spec.installHint}` };
    }
    return { available: true, reason: spec.specifier ? `${spec.specifier} is installed` : `${spec.tfName} is bundled with @tensorflow/tfjs` };
  };
  return {
    name: spec.name,
    description: spec.description,
    priority: spec.priority,
    environments: spec.environments,
    isAvailable: check,
    async setup() {
      const a = await check();
      if (!a.available) throw new BackendError(`backend "${spec.name}" is unavailable: ${a.reason}`, { details: { backend: spec.name } });
      if (!(await tf.setBackend(spec.tfName))) throw new BackendError(`tf.setBackend("${spec.tfName}") failed for backend "${spec.name}"`);
      await tf.ready();
      const threads = spec.tfName === 'webgl' || spec.tfName === 'webgpu' ? 1 : await hardwareThreads();
      return { name: spec.tfName, tier: spec.tier, reason: a.reason, threads: spec.tfName === 'cpu' ? 1 : threads };
    },
  };
}
