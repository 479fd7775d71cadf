import { describeBackends, formatBackendTable, selectBackend } from '@vib/backends';
import type { CliIO } from '../cli-io.js';
import { createCliRegistry } from '../registry.js';

/**
 * `vib backends`: probe every backend, then set up the one a run would use and say why.
 * @param flags - `--json`, `--plugin` (modules whose backend plugins join the probe)
 * @param io - stdout/stderr
 * @returns the rows and the selected backend
 */
export async function backendsCommand(flags: { json?: boolean; plugin?: string[] }, io: CliIO) {
  const registry = await createCliRegistry(flags.plugin ?? []);
  const rows = await describeBackends(registry);
  const selected = await selectBackend(registry);
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ backends: rows, selected })}\n`);
  } else {
    io.stdout.write(`${formatBackendTable(rows)}\n\na run would use: ${selected.name} (${selected.tier}, ${selected.threads} threads): ${selected.reason}\n`);
  }
  return { rows, selected };
}
