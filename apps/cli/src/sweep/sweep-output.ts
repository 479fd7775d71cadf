import { sweepSpec, type SweepPoint } from '../plots/sweep-plots.js';
import { writePlots } from '../plots/write-plots.js';
import type { RunDir } from '../output/run-dir.js';
import type { RunSummary } from '../train-run.js';
import type { SweepPlan } from './sweep-plan.js';

/** One point's row in sweep.csv / sweep.json. */
export type SweepRow = RunSummary & { readonly seed: number; readonly pointId: string; readonly runId: string; readonly coords: Readonly<Record<string, unknown>> };

const CSV_COLUMNS = ['beta', 'accuracy', 'accuracySampled', 'reconstructionNats', 'rateBits', 'izyTestBits', 'izyBits', 'testCrossEntropyNats', 'testLabelEntropyBits', 'testExamples', 'epochs', 'seconds', 'seed', 'pointId', 'runId'] as const;

/**
 * Write sweep.csv (one row per point, grid coordinates as extra columns), sweep.json and the IB-curve plot.
 * @param dir - the sweep's run folder
 * @param plan - the plan (base config and axes)
 * @param rows - the points' results, in grid order
 */
export async function writeSweepOutputs(dir: RunDir, plan: SweepPlan, rows: readonly SweepRow[]): Promise<void> {
  const extra = plan.axes.map((a) => a.key).filter((k) => k !== 'beta' && k !== 'seed');
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? `"${JSON.stringify(v).replace(/"/g, '""')}"` : String(v));
  const header = [...CSV_COLUMNS, ...extra];
  const lines = rows.map((r) => [...CSV_COLUMNS.map((c) => cell(r[c])), ...extra.map((k) => cell(r.coords[k]))].join(','));
  await dir.write('sweep.csv', `${header.join(',')}\n${lines.join('\n')}\n`);
  await dir.write('sweep.json', `${JSON.stringify({ config: plan.base, axes: plan.axes, runs: rows }, null, 2)}\n`);
  const points: SweepPoint[] = rows.map((r) => ({ beta: r.beta, rateBits: r.rateBits, izyBits: r.izyTestBits, accuracy: r.accuracy, reconstructionNats: r.reconstructionNats }));
  const hy = rows[0]?.testLabelEntropyBits ?? null;
  await writePlots(dir, { 'ib-curve': sweepSpec(points, hy !== null ? { labelEntropyBits: hy } : {}) });
}
