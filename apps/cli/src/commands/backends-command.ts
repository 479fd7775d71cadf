import { describeBackends, formatBackendTable, selectBackend, type SelectedBackend } from '@vib/backends';
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
    io.stdout.write(`${formatBackendTable(rows)}\n\n${selectionLines(selected).join('\n')}\n`);
  }
  return { rows, selected };
}

/**
 * The selected backend for a reader: its name, tier and threads on one line, then the parts of its reason one to a
 * line. The backends skipped before it are the table's ✗ rows, so their reasons (which `selected.reason` repeats at
 * its end, for logs) are not printed again.
 * @param selected - what {@link selectBackend} chose
 * @returns the lines
 * @example
 * ```ts
 * selectionLines({ name: 'cpu', tier: 'library', threads: 1, reason: 'cpu is bundled', skipped: [] });
 * // ['a run would use: cpu (library tier, 1 thread)', '  cpu is bundled']
 * ```
 */
export function selectionLines(selected: SelectedBackend): string[] {
  const suffix = selected.skipped.length ? `; skipped ${selected.skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}` : '';
  const own = suffix !== '' && selected.reason.endsWith(suffix) ? selected.reason.slice(0, -suffix.length) : selected.reason;
  const skipped = selected.skipped.length ? [`  skipped first: ${selected.skipped.map((s) => s.name).join(', ')} (the ✗ rows above say why)`] : [];
  return [
    `a run would use: ${selected.name} (${selected.tier} tier, ${selected.threads} thread${selected.threads === 1 ? '' : 's'})`,
    ...own.split('; ').map((part) => `  ${part}`),
    ...skipped,
  ];
}
