import type { CliIO } from '../cli-io.js';
import { defaultOutDir, withRunDir } from '../output/run-dir.js';
import { compareSpec } from '../plots/compare-plot.js';
import { writePlots } from '../plots/write-plots.js';
import type { StoreFlags } from '../store/store-flags.js';
import { CliError } from '../util/cli-error.js';
import { configDifferences } from './config-diff.js';
import { openStoreToRead } from './open-runs-store.js';
import { formatTable, num } from './table.js';

/** Final numbers shown side by side (when any run has them). */
const METRICS = ['accuracy', 'accuracySampled', 'reconstructionNats', 'rateBits', 'izyTestBits', 'izyBits', 'testCrossEntropyNats', 'epochs', 'seconds'] as const;

/**
 * A run's config with the sizes of the splits it used, from its summary (runs recorded before the summary gave
 * them have none).
 * @param config - the recorded config
 * @param summary - the recorded summary
 * @returns the config, with `examples: { train, test }` where known
 */
function withSplitSizes(config: unknown, summary: Readonly<Record<string, unknown>> | null | undefined): unknown {
  const train = summary?.['trainExamples'];
  const test = summary?.['testExamples'];
  if (typeof train !== 'number' || typeof test !== 'number' || config === null || typeof config !== 'object') return config;
  return { ...config, examples: { train, test } };
}

/**
 * `vib runs compare <id> <id> ...`: the config keys that differ, the final metrics side by side, and the
 * per-epoch curves overlaid in `compare.svg`/`compare.png` under `--out`. The sizes of the splits a run used
 * (`--max-train`/`--max-test` are not in its config) count as config keys too: `examples.train`, `examples.test`.
 * @param ids - two or more run ids or prefixes
 * @param flags - `--out`, `--json`, `--store`
 * @param io - stdout
 * @returns the differences, the metrics and the plot folder
 * @throws {@link CliError} with fewer than two runs; {@link StoreError} on an unknown id
 */
export async function runsCompare(ids: readonly string[], flags: StoreFlags & { readonly out?: string; readonly json?: boolean }, io: CliIO) {
  if (ids.length < 2) throw new CliError(`vib runs compare needs at least two run ids, got ${ids.length}: e.g. vib runs compare 3f2a 9c01`);
  const store = openStoreToRead(flags);
  try {
    const runs = ids.map((id) => store.get(id));
    const diffs = configDifferences(runs.map((r) => withSplitSizes(r.config, r.summary)));
    const metrics = METRICS.filter((m) => runs.some((r) => typeof r.summary?.[m] === 'number'))
      .map((m) => ({ key: m, values: runs.map((r) => r.summary?.[m] ?? null) }));
    const series = runs.map((r) => ({ label: r.beta !== null ? `${r.id} (β=${r.beta.toPrecision(3)})` : r.id, epochs: store.epochs(r.id) }));
    const { path } = await withRunDir(flags.out ?? defaultOutDir('compare'), async (dir) => writePlots(dir, { compare: compareSpec(series) }));
    const out = { runs: runs.map((r) => r.id), configDifferences: diffs, metrics, out: path };
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(out)}\n`);
    } else {
      const head = ['', ...runs.map((r) => r.id)];
      io.stdout.write(`config differences\n${diffs.length > 0 ? formatTable(head, diffs.map((d) => [d.key, ...d.values])) : '(none)\n'}`);
      io.stdout.write(`\nfinal metrics\n${formatTable(head, metrics.map((m) => [m.key, ...m.values.map(num)]))}`);
      io.stdout.write(`\ncurves: ${path}/compare.svg (and .png)\n`);
    }
    return out;
  } finally {
    store.close();
  }
}
