import { CommanderError, type Command } from 'commander';
import { VibError } from '@vib/core/errors';
import type { CliIO } from './cli-io.js';
import { createProgram } from './program.js';
import { formatError } from './util/report-error.js';

/**
 * The (sub)command an argument list runs: the leading arguments that name commands, e.g. `['runs', 'ls']` for
 * `runs ls --bogus`; empty when the first argument names none (`vib --bogus`, `vib trian`).
 * @param program - the command tree
 * @param args - arguments after the program name
 * @returns the command names, outermost first
 */
function commandPath(program: Command, args: readonly string[]): string[] {
  const path: string[] = [];
  let cmd = program;
  for (const arg of args) {
    const sub = cmd.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (sub === undefined) break;
    path.push(sub.name());
    cmd = sub;
  }
  return path;
}

/**
 * Run `vib` with arguments and return the exit code; failures print one `vib: error: ...` line
 * (and the stack only with --verbose).
 * @param args - arguments after the program name, e.g. `['train', '--epochs', '1']`
 * @param io - stdout/stderr
 * @returns the exit code: 0 on success; 2 for a usage error (unknown flag, bad flag value); 130, 143 or
 *   129 when interrupted by SIGINT, SIGTERM or SIGHUP; 1 for any other failure
 */
export async function runCli(args: readonly string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const verbose = args.includes('--verbose');
  const program = createProgram({ ...io, argv: [...args] });
  if (args.length === 0) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync([...args], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError && ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(e.code)) return e.exitCode;
    const hint = e instanceof CommanderError ? ` (see ${['vib', ...commandPath(program, args)].join(' ')} --help)` : '';
    const text = formatError(e, verbose);
    io.stderr.write(hint ? text.replace(/\n/, `${hint}\n`) : text);
    if (VibError.isInstance(e) && typeof e.details['exitCode'] === 'number') return e.details['exitCode'];
    return e instanceof CommanderError && e.exitCode !== 0 ? 2 : 1;
  }
}
