import type { Command } from 'commander';

/** Commands whose actions, and their subcommands' actions, never load TensorFlow.js (see {@link withoutTensorFlow}). */
const WITHOUT_TENSORFLOW = new WeakSet<Command>();

/**
 * Mark a command whose actions (its subcommands' included) run without TensorFlow.js, e.g. `vib runs`, which reads
 * the run store only: {@link prepareTensorFlow} then leaves it unloaded, and the command starts in a fraction of the
 * time (loading @tensorflow/tfjs costs about 0.4 s).
 * @param cmd - the command
 * @returns the same command, to chain on
 */
export function withoutTensorFlow(cmd: Command): Command {
  WITHOUT_TENSORFLOW.add(cmd);
  return cmd;
}

/**
 * Before a command's action: load TensorFlow.js and put it in production mode (which silences its "install
 * tfjs-node" banner; `vib backends` reports the backend choice instead), unless the command or one above it is
 * marked {@link withoutTensorFlow}. Help, `--version` and usage errors run no action, so they never load it.
 * @param cmd - the command about to run
 */
export async function prepareTensorFlow(cmd: Command): Promise<void> {
  for (let c: Command | null = cmd; c !== null; c = c.parent) if (WITHOUT_TENSORFLOW.has(c)) return;
  const tf = await import('@tensorflow/tfjs');
  tf.enableProdMode();
}
