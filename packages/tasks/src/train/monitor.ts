import { ConfigError } from '@vib/core';
import type { EpochMetrics } from './epoch-metrics.js';

/** The epoch figures early stopping can watch by name. */
export const MONITORED_FIGURES = ['loss', 'taskLoss', 'testLoss', 'testAccuracy', 'rateNats', 'reconstructionNats'] as const;

/** A task metric as early stopping names it: `test:<metric>` (test split, mean code) or `train:<metric>` (training batches). */
export const TASK_METRIC_MONITOR = /^(test|train):([A-Za-z][\w.-]*)$/;

/**
 * The value early stopping watches in an epoch's figures: one of {@link MONITORED_FIGURES}, or a task metric
 * (`test:mse`, `train:accuracy`).
 * @param metrics - the epoch's figures
 * @param monitor - what the config names
 * @returns the value, or null where the epoch has none (a figure the task does not give)
 */
export function monitoredValue(metrics: EpochMetrics, monitor: string): number | null {
  const task = TASK_METRIC_MONITOR.exec(monitor);
  if (task !== null) return (task[1] === 'test' ? metrics.testTaskMetrics : metrics.trainTaskMetrics)?.[task[2] ?? ''] ?? null;
  const v = (metrics as unknown as Record<string, unknown>)[monitor];
  return typeof v === 'number' ? v : null;
}

/**
 * Refuse, before training, a task metric the task does not give.
 * @param monitor - what the config names
 * @param task - the task's name and metric names
 * @throws {@link ConfigError} naming the metric and the task's metrics
 */
export function checkMonitor(monitor: string, task: { readonly name: string; readonly metricNames: readonly string[] }): void {
  const m = TASK_METRIC_MONITOR.exec(monitor);
  if (m === null || task.metricNames.includes(m[2] ?? '')) return;
  const names = task.metricNames.length === 0 ? 'none' : task.metricNames.map((n) => `${m[1]}:${n}`).join(', ');
  throw new ConfigError(`earlyStopping.monitor "${monitor}": the task "${task.name}" has no metric "${m[2]}" (its metrics: ${names}); or watch one of ${MONITORED_FIGURES.join(', ')}`, {
    details: { field: 'earlyStopping.monitor', value: monitor },
  });
}
