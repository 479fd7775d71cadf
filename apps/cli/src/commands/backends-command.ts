import { describeBackends, formatBackendTable, selectBackend } from '@vib/backends';
import type { CliIO } from '../cli-io.js';
import { createCliRegistry } from '../registry.js';
import { pluginFlag } from '../util/plugin-flag.js';

/**
 * `vib backends`: probe every backend, then set up the one a run would use and say why.
 * @param flags - `--json`, `--plugin` (modules whose backend plugins join the probe), and `--backend` to see
 *   what a run with that backend would use (webgpu: also on a software adapter)
 * @param io - stdout/stderr
 * @returns the rows and the selected backend
 * @throws {@link CliError} (exit code 2) when `--backend` names no registered backend
 */
export async function backendsCommand(flags: { json?: boolean; plugin?: string[]; backend?: string }, io: CliIO) {
  const registry = await createCliRegistry(flags.plugin ?? []);
  if (flags.backend !== undefined) pluginFlag(registry, 'backend', '--backend', flags.backend);
  const rows = await describeBackends(registry, undefined, flags.backend);
  const selected = await selectBackend(registry, flags.backend === undefined ? {} : { preferred: flags.backend, strict: true });
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ backends: rows, selected })}\n`);
  } else {
    io.stdout.write(`${formatBackendTable(rows)}\n\na run would use: ${selected.name} (${selected.tier}, ${selected.threads} threads): ${selected.reason}\n`);
  }
  return { rows, selected };
}
