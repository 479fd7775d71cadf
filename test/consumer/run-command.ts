import { execFile } from 'node:child_process';

/** What a finished command printed. */
export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run a command without a shell; reject with its last output lines when it exits non-zero.
 * @param cmd - the executable
 * @param args - its arguments
 * @param cwd - the working directory
 * @param timeoutMs - a limit, after which it is killed
 * @returns its stdout and stderr
 */
export function runCommand(cmd: string, args: readonly string[], cwd: string, timeoutMs = 300_000): Promise<CommandOutput> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: '0' } }, (error, stdout, stderr) => {
      if (error) {
        const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-25).join('\n');
        reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${error.message.split('\n')[0]}\n${tail}`));
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}
