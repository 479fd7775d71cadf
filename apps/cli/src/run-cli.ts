import * as tf from '@tensorflow/tfjs';
import { CommanderError } from 'commander';
import { VibError } from '@vib/core';
import type { CliIO } from './cli-io.js';
import { createProgram } from './program.js';
import { formatError } from './util/report-error.js';

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
  // Silences TensorFlow.js's "install tfjs-node" banner; the backend choice is reported by `vib backends`.
  tf.enableProdMode();
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
    const hint = e instanceof CommanderError ? ' (see vib --help)' : '';
    const text = formatError(e, verbose);
    io.stderr.write(hint ? text.replace(/\n/, `${hint}\n`) : text);
    if (VibError.isInstance(e) && typeof e.details['exitCode'] === 'number') return e.details['exitCode'];
    return e instanceof CommanderError && e.exitCode !== 0 ? 2 : 1;
  }
}
