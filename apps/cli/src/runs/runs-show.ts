import type { CliIO } from '../cli-io.js';
import type { StoreFlags } from '../store/store-flags.js';
import { openStoreToRead } from './open-runs-store.js';
import { formatTable, num } from './table.js';

/**
 * `vib runs show <id>`: one run's provenance, config, summary, artifacts and per-epoch metrics.
 * @param id - run id or unique prefix
 * @param flags - `--json`, `--store`
 * @param io - stdout
 * @throws {@link StoreError} when the run does not exist, there is no run store at the path, or the file is not a vib store
 */
export function runsShow(id: string, flags: StoreFlags & { readonly json?: boolean }, io: CliIO): void {
  const store = openStoreToRead(flags);
  try {
    const run = store.get(id);
    const epochs = store.epochs(run.id);
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ ...run, epochs })}\n`);
      return;
    }
    const fields: [string, string][] = [
      ['id', run.id], ['command', `vib ${run.argv.join(' ')}`], ['status', run.status + (run.error ? ` (${run.error})` : '')],
      ['started', new Date(run.startedAt).toISOString()], ['ended', run.endedAt === null ? '-' : new Date(run.endedAt).toISOString()],
      ...(run.status === 'running' && run.heartbeatAt !== null ? [['last heartbeat', new Date(run.heartbeatAt).toISOString()] as [string, string]] : []),
      ['dataset', run.dataset ?? '-'], ['β', num(run.beta)], ['seed', num(run.seed)],
      ['backend', run.backend ? `${run.backend} (${run.tier ?? '?'})` : '-'], ['host', `${run.host ?? '-'} (pid ${run.pid ?? '-'})`],
      ['git', run.gitRev ?? '-'], ['versions', Object.entries(run.versions).map(([k, v]) => `${k} ${v}`).join(', ')],
      ['tags', Object.entries(run.tags).map(([k, v]) => `${k}=${v}`).join(', ') || '-'],
      ...(run.parentId ? [['sweep', `${run.parentId} (point ${run.pointId})`] as [string, string]] : []),
      ...Object.entries(run.artifacts).map(([k, v]) => [`artifact ${k}`, v] as [string, string]),
    ];
    io.stdout.write(formatTable(['field', 'value'], fields));
    io.stdout.write(`\nsummary\n${formatTable(['name', 'value'], Object.entries(run.summary ?? {}).filter(([, v]) => typeof v !== 'object' || v === null).map(([k, v]) => [k, num(v)]))}`);
    io.stdout.write(`\nconfig\n${JSON.stringify(run.config, null, 2)}\n`);
    if (epochs.length > 0) {
      // metrics.json's per-epoch keys: the unprefixed figures are the training batches' epoch means
      const cols = ['loss', 'trainAccuracy', 'testAccuracy', 'reconstructionNats', 'rateBits', 'testRateBits', 'izyBits', 'testIzyBits', 'beta', 'seconds'].filter((c) => epochs.some((e) => typeof e.metrics[c] === 'number'));
      io.stdout.write(`\nepochs\n${formatTable(['epoch', ...cols], epochs.map((e) => [String(e.epoch), ...cols.map((c) => num(e.metrics[c]))]))}`);
    }
  } finally {
    store.close();
  }
}
