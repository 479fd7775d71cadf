import { writeFile } from 'node:fs/promises';
import { exportRuns, type ExportFormat } from '@vib/store';
import type { CliIO } from '../cli-io.js';
import type { StoreFlags } from '../store/store-flags.js';
import { CliError } from '../util/cli-error.js';
import { openStoreToDelete, openStoreToRead } from './open-runs-store.js';
import { runFilter, type RunFilterFlags } from './runs-ls.js';

/**
 * `vib runs export --format csv|jsonl [--output file]`: the filtered runs, to stdout or a file.
 * @param flags - format, output file, filters, `--store`
 * @param io - stdout
 * @returns the exported text
 * @throws {@link CliError} on an unknown format
 */
export async function runsExport(flags: RunFilterFlags & { readonly format: string; readonly output?: string }, io: CliIO): Promise<string> {
  if (flags.format !== 'csv' && flags.format !== 'jsonl') throw new CliError(`--format ${flags.format}: choose csv or jsonl`);
  const store = openStoreToRead(flags);
  try {
    const text = exportRuns(store, flags.format as ExportFormat, runFilter(flags));
    if (flags.output !== undefined) await writeFile(flags.output, text);
    else io.stdout.write(text);
    return text;
  } finally {
    store.close();
  }
}

/**
 * `vib runs rm <id> ...`: delete runs from the store (their folders on disk are left alone).
 * @param ids - run ids or unique prefixes
 * @param flags - `--store`
 * @param io - stdout
 * @returns the ids deleted
 * @throws {@link StoreError} when one is unknown (then none is deleted)
 */
export function runsRm(ids: readonly string[], flags: StoreFlags, io: CliIO): string[] {
  const store = openStoreToDelete(flags);
  try {
    const gone = store.remove(ids);
    io.stdout.write(`removed ${gone.length} run${gone.length === 1 ? '' : 's'}: ${gone.join(' ')}\n`);
    return gone;
  } finally {
    store.close();
  }
}
