import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vib-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A resolve hook that reports every import of a TensorFlow.js package on stderr, and its registration.
const MARK = 'LOADED-TFJS ';
writeFileSync(
  join(dir, 'hook.mjs'),
  `export async function resolve(spec, ctx, next) {\n  if (spec.startsWith('@tensorflow/')) process.stderr.write(${JSON.stringify(MARK)} + spec + '\\n');\n  return next(spec, ctx);\n}\n`,
);
writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hook.mjs')).href)});\n`);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** The @tensorflow/* specifiers imported, in order. */
  tfjs: string[];
}

/** Run `vib` from its sources (as `pnpm vib` does before a build) with the hook. */
function vib(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', join(dir, 'register.mjs'), join(repo, 'scripts/vib.mjs'), ...args],
      { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, VIB_FROM_SOURCE: '1', VIB_STORE: join(dir, 'runs.sqlite') } },
      (error, stdout, stderr) => {
        const lines = stderr.split('\n');
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
          stdout,
          stderr: lines.filter((l) => !l.startsWith(MARK)).join('\n'),
          tfjs: lines.filter((l) => l.startsWith(MARK)).map((l) => l.slice(MARK.length)),
        });
      },
    );
  });
}

describe('what the CLI loads before it runs a command', () => {
  it('help, --version, a usage error, the run store commands and `vib serve` load no TensorFlow.js', async () => {
    const [help, trainHelp, version, typo, badFlag, runsLs, serve] = await Promise.all([
      vib('--help'),
      vib('train', '--help'),
      vib('--version'),
      vib('trian'),
      vib('train', '--preset', 'nope'),
      vib('runs', 'ls'),
      // its action runs (the port is checked there), with the server's modules loaded
      vib('serve', '--port', '99999'),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('infoplane');
    // the help still lists the presets and the bounds that come from @vib/kit and @vib/tasks
    expect(trainHelp.stdout).toMatch(/--preset <name>[\s\S]*choices: "digits"/);
    expect(trainHelp.stdout).toContain('latent dimension K (1 to 4096)');
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("unknown command 'trian'");
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('argument \'nope\' is invalid');
    // the store is opened (and found missing), all without TensorFlow.js
    expect(runsLs.code).toBe(1);
    expect(runsLs.stderr).toContain('no run store at');
    expect(serve.code).toBe(2);
    expect(serve.stderr).toContain('--port 99999: expected a port number');
    for (const run of [help, trainHelp, version, typo, badFlag, runsLs, serve]) expect(run.tfjs).toEqual([]);
  }, 120_000);

  it('a command that trains loads it in production mode: no "install tfjs-node" banner from the cpu backend', async () => {
    const run = await vib('train', '--backend', 'cpu', '--max-train', '200', '--max-test', '100', '--epochs', '1', '--no-plots', '--quiet', '--out', join(dir, 'run'));
    expect(run.code).toBe(0);
    expect(run.tfjs).toContain('@tensorflow/tfjs');
    expect(run.stderr).not.toMatch(/tfjs-node|looks like you are running/i);
  }, 120_000);
});
