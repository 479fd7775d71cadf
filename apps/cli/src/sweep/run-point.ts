import { hostname } from 'node:os';
import type { Dataset, Registry } from '@vib/core';
import { selectBackend, type SelectedBackend } from '@vib/backends';
import { parseExperimentConfig, type EpochMetrics } from '@vib/tasks';
import type { CliIO } from '../cli-io.js';
import { loadConfigDataset } from '../dataset-load.js';
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
 * @param options - where progress goes (default nowhere), a label, an abort signal, a callback per epoch, the
 *   threads of the heavy kernels (default: `VIB_POINT_THREADS`, which a {@link PointPool} sets, else the backend's choice)
 * @returns the result
 */
export async function runPoint(spec: PointSpec, options: { io?: CliIO; label?: string; signal?: AbortSignal; onEpoch?: (m: EpochMetrics) => void; threads?: number } = {}): Promise<PointResult> {
  const startedAt = Date.now();
  const pluginsKey = JSON.stringify(spec.plugins);
  if (!registries.has(pluginsKey)) registries.set(pluginsKey, createCliRegistry(spec.plugins));
  const registry = await registries.get(pluginsKey)!;
  const config = parseExperimentConfig(spec.raw, registry);
  // a pool process trains next to others: it gets its share of the cores (VIB_POINT_THREADS, set by PointPool)
  const threads = options.threads ?? (Number(process.env['VIB_POINT_THREADS']) || undefined);
  const backendKey = `${pluginsKey}|${spec.backend ?? ''}|${threads ?? ''}`;
  if (!backends.has(backendKey)) {
    backends.set(backendKey, selectBackend(registry, {
      ...(spec.backend !== undefined ? { preferred: spec.backend, strict: true } : {}),
      ...(threads !== undefined ? { threads } : {}),
    }));
  }
  const backend = await backends.get(backendKey)!;
  const dataKey = JSON.stringify([pluginsKey, config.dataset, config.subset]);
  if (!datasets.has(dataKey)) datasets.set(dataKey, loadConfigDataset(registry, config));
  const dataset = await datasets.get(dataKey)!;
  const history: EpochMetrics[] = [];
  const { result, summary } = await trainWithProgress({
    config, registry, dataset, backend: backend.name, io: options.io ?? silent, quiet: options.io === undefined,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.label ? { label: options.label } : {}),
    onEpochEnd: async (m) => {
      history.push(m);
      options.onEpoch?.(m);
    },
  });
  result.model.model.dispose();
  return {
    pointId: spec.pointId, summary, history, config, backend: backend.name, tier: backend.tier, threads: backend.threads,
    host: hostname(), pid: process.pid, versions: packageVersions(), gitRev: gitRevision(), startedAt, endedAt: Date.now(),
  };
}
