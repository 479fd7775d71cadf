import { hostname } from 'node:os';
import type { Dataset, Registry } from '@vib/core';
import type { SelectedBackend } from '@vib/backends';
import { parseExperimentConfig, type EpochMetrics } from '@vib/tasks';
import { setupBackend } from '../backend-setup.js';
import type { CliIO } from '../cli-io.js';
import { loadDataset } from '../dataset-load.js';
import { createCliRegistry } from '../registry.js';
import { gitRevision, packageVersions } from '../store/provenance.js';
import { trainWithProgress } from '../train-run.js';
import type { PointResult, PointSpec } from './point-spec.js';

const silent: CliIO = { stdout: { write: () => true }, stderr: { write: () => true } };
const registries = new Map<string, Promise<Registry>>();
const backends = new Map<string, Promise<SelectedBackend>>();
const datasets = new Map<string, Promise<Dataset>>();

/**
 * Train one sweep point in this process and return its result. Registries, backends and datasets are cached
 * across points, so a long-lived worker process loads each dataset once.
 * @param spec - the point
 * @param options - where progress goes (default nowhere), a label, an abort signal
 * @returns the result
 */
export async function runPoint(spec: PointSpec, options: { io?: CliIO; label?: string; signal?: AbortSignal } = {}): Promise<PointResult> {
  const startedAt = Date.now();
  const pluginsKey = JSON.stringify(spec.plugins);
  if (!registries.has(pluginsKey)) registries.set(pluginsKey, createCliRegistry(spec.plugins));
  const registry = await registries.get(pluginsKey)!;
  const config = parseExperimentConfig(spec.raw, registry);
  const backendKey = `${pluginsKey}|${spec.backend ?? ''}`;
  if (!backends.has(backendKey)) backends.set(backendKey, setupBackend(registry, spec.backend));
  const backend = await backends.get(backendKey)!;
  const dataKey = JSON.stringify([pluginsKey, config.dataset, spec.subset]);
  if (!datasets.has(dataKey)) datasets.set(dataKey, loadDataset(registry, config.dataset, spec.subset));
  const dataset = await datasets.get(dataKey)!;
  const history: EpochMetrics[] = [];
  const { result, summary } = await trainWithProgress({
    config, registry, dataset, backend: backend.name, io: options.io ?? silent, quiet: options.io === undefined,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.label ? { label: options.label } : {}),
    onEpochEnd: async (m) => { history.push(m); },
  });
  result.model.model.dispose();
  return {
    pointId: spec.pointId, summary, history, config, backend: backend.name, tier: backend.tier,
    host: hostname(), pid: process.pid, versions: packageVersions(), gitRev: gitRevision(), startedAt, endedAt: Date.now(),
  };
}
