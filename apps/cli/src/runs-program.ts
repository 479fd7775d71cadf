import { Option, type Command } from 'commander';
import type { RunStatus } from '@vib/store';
import type { CliIO } from './cli-io.js';
import { withoutTensorFlow } from './util/tensorflow-mode.js';

/** The statuses a run can have: `RUN_STATUSES` of @vib/store, copied so that building the program does not load the store (and SQLite) for every command. */
const RUN_STATUSES: readonly RunStatus[] = ['running', 'completed', 'failed', 'interrupted'];

const tag = (value: string, previous: string[] = []) => [...previous, value];

function storeOptions(cmd: Command): Command {
  return cmd
    .option('--store <file>', 'run store (default $VIB_STORE, else $XDG_DATA_HOME/vib/runs.sqlite)')
    .option('--verbose', 'stack traces on errors');
}

function filterOptions(cmd: Command): Command {
  return cmd
    .option('--tag <name=value>', 'only runs with this tag (repeatable; all must match)', tag)
    .option('--dataset <name>', 'only runs on this dataset')
    .option('--beta-min <x>', 'only runs with a fixed β ≥ x')
    .option('--beta-max <x>', 'only runs with a fixed β ≤ x')
    .addOption(new Option('--status <status>', 'only runs with this status').choices(RUN_STATUSES))
    .option('--command <name>', 'only runs of this command (train, sweep, sweep-point, eval, infoplane)')
    .option('--limit <n>', 'at most n runs, newest first');
}

/**
 * Add `vib runs ls|show|compare|export|rm` to the program.
 * @param program - the `vib` program
 * @param io - stdout/stderr
 */
export function addRunsCommands(program: Command, io: CliIO): void {
  const runs = withoutTensorFlow(program.command('runs')).description('list, show, compare, export and delete the runs recorded in the run store');
  filterOptions(storeOptions(runs.command('ls').description('recorded runs, newest first')))
    .option('--json', 'print a JSON array')
    .action(async (flags) => {
      const { runsLs } = await import('./runs/runs-ls.js');
      runsLs(flags, io);
    });
  storeOptions(runs.command('show').description('one run: provenance, config, summary, artifacts, per-epoch metrics').argument('<id>', 'run id (or a unique prefix)'))
    .option('--json', 'print JSON')
    .action(async (id: string, flags) => {
      const { runsShow } = await import('./runs/runs-show.js');
      runsShow(id, flags, io);
    });
  storeOptions(runs.command('compare').description('config differences and final metrics side by side; overlaid curves written to --out').argument('<ids...>', 'two or more run ids'))
    .option('--out <dir>', 'folder for compare.svg/.png (default ./runs/<date>-<time>-compare-<pid><random hex>, UTC)')
    .option('--json', 'print JSON')
    .action(async (ids: string[], flags) => {
      const { runsCompare } = await import('./runs/runs-compare.js');
      await runsCompare(ids, flags, io);
    });
  filterOptions(storeOptions(runs.command('export').description('export runs as CSV (one row per run) or JSON Lines (with epochs)')))
    .option('--format <format>', 'csv or jsonl', 'csv')
    .option('--output <file>', 'write to a file instead of stdout')
    .action(async (flags) => {
      const { runsExport } = await import('./runs/runs-export-rm.js');
      await runsExport(flags, io);
    });
  storeOptions(runs.command('rm').description('delete runs from the store (their folders stay)').argument('<ids...>', 'run ids'))
    .action(async (ids: string[], flags) => {
      const { runsRm } = await import('./runs/runs-export-rm.js');
      runsRm(ids, flags, io);
    });
}
