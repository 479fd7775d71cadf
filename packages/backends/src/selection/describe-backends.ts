import type { Registry } from '@vib/core';
import type { Environment } from '../backend-plugin.js';
import { detectEnvironment } from '../environment.js';
import type { GpuAdapterSummary } from '../plugins/webgpu/adapter-summary.js';

/** One row of {@link describeBackends}. */
export interface BackendDescription {
  /** The backend plugin's registered name (e.g. `wasm`, `cpu`). */
  readonly name: string;
  /** The plugin's one-line description. */
  readonly description: string;
  /** Selection priority; higher wins when several are available. */
  readonly priority: number;
  /** Environments the backend can run in. */
  readonly environments: readonly Environment[];
  /** Whether the backend can be set up in the environment judged for (probed, nothing activated). */
  readonly available: boolean;
  /** Why it is (not) available: a sentence a user can act on. */
  readonly reason: string;
  /** The GPU adapter found (webgpu): vendor, architecture, software or hardware. */
  readonly adapter?: GpuAdapterSummary;
}

/**
 * Probe every registered backend, highest priority first (what `vib backends` prints). Activates nothing.
 * @param registry - registry with backend plugins
 * @param environment - environment to judge for; default the detected one
 * @param preferred - a backend the user names (`--backend`): its row is judged as asked for (webgpu then accepts a software adapter)
 * @returns one row per backend
 */
export async function describeBackends(
  registry: Registry,
  environment: Environment = detectEnvironment(),
  preferred?: string,
): Promise<BackendDescription[]> {
  const plugins = [...registry.list('backend')].sort((a, b) => b.priority - a.priority);
  const rows: BackendDescription[] = [];
  for (const p of plugins) {
    const a = p.environments.includes(environment)
      ? await p.isAvailable({ requested: p.name === preferred })
      : { available: false, reason: `${p.name} runs in ${p.environments.join('/')} only, not ${environment}` };
    rows.push({ name: p.name, description: p.description, priority: p.priority, environments: p.environments, ...a });
  }
  return rows;
}

/**
 * Format {@link describeBackends} rows as an aligned text table.
 * @param rows - the rows
 * @returns lines joined by newlines
 */
export function formatBackendTable(rows: readonly BackendDescription[]): string {
  const width = Math.max(...rows.map((r) => r.name.length), 4);
  return rows
    .map((r) => `${r.available ? '✓' : '✗'} ${r.name.padEnd(width)}  priority ${String(r.priority).padStart(3)}  ${r.reason}`)
    .join('\n');
}
