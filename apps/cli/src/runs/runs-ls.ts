import type { RunFilter, RunRecord, RunStatus } from '@vib/store';
import type { CliIO } from '../cli-io.js';
import { parseTags, type StoreFlags } from '../store/store-flags.js';
import { parseCountFlag, parseNumberFlag } from '../util/parse-flags.js';
import { openStoreToRead } from './open-runs-store.js';
import { formatTable, num } from './table.js';

/** Filter flags of `vib runs ls` and `vib runs export`. */
export interface RunFilterFlags extends StoreFlags {
  readonly dataset?: string;
  readonly betaMin?: string;
  readonly betaMax?: string;
  readonly status?: string;
  readonly command?: string;
  readonly limit?: string;
}

/**
 * Turn the filter flags into a store filter.
 * @param flags - the flags
 * @returns the filter
 * @throws {@link CliError} on a non-numeric β bound or limit
 */
export function runFilter(flags: RunFilterFlags): RunFilter {
  const tags = parseTags(flags.tag);
  return {
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
    ...(flags.dataset !== undefined ? { dataset: flags.dataset } : {}),
    ...(flags.betaMin !== undefined ? { betaMin: parseNumberFlag('--beta-min', flags.betaMin) } : {}),
    ...(flags.betaMax !== undefined ? { betaMax: parseNumberFlag('--beta-max', flags.betaMax) } : {}),
    ...(flags.status !== undefined ? { status: flags.status as RunStatus } : {}),
    ...(flags.command !== undefined ? { command: flags.command } : {}),
    ...(flags.limit !== undefined ? { limit: parseCountFlag('--limit', flags.limit) } : {}),
  };
}

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
const took = (r: RunRecord) => (r.endedAt === null ? '-' : `${((r.endedAt - r.startedAt) / 1000).toFixed(1)}s`);
/** The run's test score with the mean code: accuracy, or the reconstruction loss in nats. */
const score = (r: RunRecord) => {
  const s = r.summary ?? {};
  if (typeof s['accuracy'] === 'number') return `acc ${(s['accuracy'] * 100).toFixed(2)}%`;
  if (typeof s['reconstructionNats'] === 'number') return `recon ${s['reconstructionNats'].toFixed(2)} nats`;
  // vib eval records the task's −log q(target|z) (the reconstruction for a VAE) as nllNats
  if (typeof s['nllNats'] === 'number') return `nll ${s['nllNats'].toFixed(2)} nats`;
  return '-';
};
/** How many test examples the run's test figures are means over (train: testExamples; eval: n). */
const testN = (r: RunRecord) => {
  const s = r.summary ?? {};
  const n = typeof s['testExamples'] === 'number' ? s['testExamples'] : r.command === 'eval' && typeof s['n'] === 'number' ? s['n'] : null;
  return n === null ? '-' : String(n);
};

/**
 * `vib runs ls`: the recorded runs, newest first, as a table or (`--json`) an array.
 * @param flags - filters, `--json`, `--store`
 * @param io - stdout
 * @returns the runs listed
 * @throws {@link StoreError} when there is no run store at the path, or the file is not a vib store
 */
export function runsLs(flags: RunFilterFlags & { readonly json?: boolean }, io: CliIO): RunRecord[] {
  const store = openStoreToRead(flags);
  try {
    const runs = store.list(runFilter(flags));
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(runs)}\n`);
    } else {
      const rows = runs.map((r) => [
        r.id, r.command, r.status, r.dataset ?? '-', num(r.beta), num(r.seed), when(r.startedAt), took(r), testN(r), score(r),
        num(r.summary?.['rateBits']), Object.entries(r.tags).map(([k, v]) => `${k}=${v}`).join(','),
      ]);
      io.stdout.write(formatTable(['id', 'command', 'status', 'dataset', 'β', 'seed', 'started (UTC)', 'took', 'test n', 'test score (mean code)', 'test rate (bits)', 'tags'], rows));
    }
    return runs;
  } finally {
    store.close();
  }
}
