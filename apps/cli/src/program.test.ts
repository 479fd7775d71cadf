import { RUN_STATUSES } from '@vib/store';
import { describe, expect, it } from 'vitest';
import { createProgram, packageVersion } from './program.js';

/** Parse a command line without running any action: every action is replaced by a no-op. */
async function parse(args: string[]): Promise<{ exitCode: unknown; message: string } | null> {
  const sink = { write: () => true, isTTY: false };
  const program = createProgram({ stdout: sink, stderr: sink });
  const stub = (cmd: typeof program): void => {
    cmd.action(() => {});
    for (const sub of cmd.commands) stub(sub);
  };
  for (const sub of program.commands) stub(sub);
  try {
    await program.parseAsync(args, { from: 'user' });
    return null;
  } catch (e) {
    return { exitCode: (e as { details?: Record<string, unknown> }).details?.['exitCode'] ?? (e as { exitCode?: number }).exitCode, message: (e as Error).message };
  }
}

describe('the command tree refuses what no action should see', () => {
  it('a flag given "" (--out, --estimator, a repeated --tag), naming it', async () => {
    expect(await parse(['train', '--out', ''])).toEqual({ exitCode: 2, message: '--out "" is empty: pass the folder to write, e.g. --out runs/my-run' });
    expect(await parse(['infoplane', '--estimator', ''])).toEqual({ exitCode: 2, message: '--estimator "" is empty: pass comma-separated estimator names, e.g. --estimator binning,kde-upper' });
    expect(await parse(['runs', 'ls', '--tag', 'a=b', '--tag', ''])).toEqual({ exitCode: 2, message: '--tag "" is empty: pass a value (see vib runs ls --help)' });
    expect(await parse(['train', '--out', 'x'])).toBeNull();
  });

  it('eval has no --out (it writes no folder), and runs ls --status takes only a run status', async () => {
    expect((await parse(['eval', '--model', 'm', '--out', 'x']))?.message).toMatch(/unknown option '--out'/);
    expect((await parse(['runs', 'ls', '--status', 'bogus']))?.message).toMatch(/argument 'bogus' is invalid\. Allowed choices are running, completed, failed, interrupted/);
    for (const status of RUN_STATUSES) expect(await parse(['runs', 'ls', '--status', status])).toBeNull();
  });
});

describe('the version vib prints', () => {
  it('is the package.json version, or "unknown" where that file has none (a bundled CLI reads whatever lies above it)', () => {
    expect(packageVersion('{"name": "@vib/cli", "version": "0.1.0"}')).toBe('0.1.0');
    expect(packageVersion('{"name": "vib-monorepo", "private": true}')).toBe('unknown');
    expect(packageVersion('{"version": 3}')).toBe('unknown');
    expect(packageVersion('null')).toBe('unknown');
    expect(packageVersion('not json')).toBe('unknown');
  });
});
