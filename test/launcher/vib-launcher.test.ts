import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { builtCliState as stateOf, workspaceClosure, writeStamp } from '../../scripts/built-cli.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** A workspace in a temporary folder: files given by path relative to its root. */
function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'vib-launcher-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  roots.push(root);
  return root;
}
const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});
const manifest = (name: string, deps: Record<string, string> = {}, build = true): string =>
  JSON.stringify({ name, dependencies: deps, ...(build ? { scripts: { build: 'tsc' } } : {}) });
/** The CLI depending on @x/a, which depends on @x/b (no build of its own); @x/c is outside the closure. */
const tree = (): Record<string, string> => ({
  'apps/cli/package.json': manifest('@x/cli', { '@x/a': 'workspace:*', commander: '^1' }),
  'apps/cli/src/main.ts': 'main',
  'apps/cli/dist/main.js': 'main built',
  'packages/a/package.json': manifest('@x/a', { '@x/b': 'workspace:^' }),
  'packages/a/src/index.ts': 'a',
  'packages/a/src/deep/part.ts': 'part',
  'packages/a/dist/index.js': 'a built',
  'packages/b/package.json': manifest('@x/b', {}, false),
  'packages/b/index.js': 'b',
  'packages/c/package.json': manifest('@x/c'),
  'packages/c/src/index.ts': 'c',
});

describe('the compiled CLI stands in for its sources only while the recorded build holds', () => {
  it('follows workspace dependencies, each package once', () => {
    const root = workspace(tree());
    expect(workspaceClosure(root, join('apps', 'cli'))).toEqual([join('apps', 'cli'), join('packages', 'a'), join('packages', 'b')]);
  });

  it('is fresh after the stamp, and stale after a source, a configuration file or a compiled file changes', () => {
    const root = workspace(tree());
    expect(stateOf(root)).toEqual({ fresh: false, reason: expect.stringMatching(/no build recorded/) });
    writeStamp(root);
    expect(stateOf(root)).toEqual({ fresh: true });

    writeFileSync(join(root, 'packages/a/src/deep/part.ts'), 'part, edited');
    expect(stateOf(root)).toEqual({ fresh: false, reason: `${join('packages', 'a')}'s sources changed since the recorded build` });
    // the same contents again (a branch checked out and back: new file times): fresh
    writeFileSync(join(root, 'packages/a/src/deep/part.ts'), 'part');
    expect(stateOf(root)).toEqual({ fresh: true });

    writeFileSync(join(root, 'apps/cli/tsconfig.json'), '{}');
    expect(stateOf(root)).toMatchObject({ fresh: false, reason: expect.stringMatching(/apps.cli's sources changed/) });
    writeStamp(root);
    writeFileSync(join(root, 'packages/a/dist/index.js'), 'a built from other sources');
    expect(stateOf(root)).toEqual({ fresh: false, reason: `${join('packages', 'a')}'s dist/ changed since the recorded build` });
  });

  it('ignores tests (the build leaves them out) and packages outside the closure', () => {
    const root = workspace(tree());
    writeStamp(root);
    writeFileSync(join(root, 'packages/a/src/index.test.ts'), 'a test');
    writeFileSync(join(root, 'packages/c/src/index.ts'), 'c, edited');
    expect(stateOf(root)).toEqual({ fresh: true });
  });

  it('is stale where a package of the closure has no compiled file, or the stamp is unreadable', () => {
    const root = workspace(tree());
    writeStamp(root);
    rmSync(join(root, 'packages/a/dist'), { recursive: true });
    expect(stateOf(root)).toEqual({ fresh: false, reason: `${join('packages', 'a')} has no build (no .js file in its dist/)` });
    writeFileSync(join(root, 'node_modules/.cache/vib/cli-build.json'), '{"packages": ');
    expect(stateOf(root)).toMatchObject({ fresh: false, reason: expect.stringMatching(/no build recorded/) });
  });
});

describe('pnpm vib (scripts/vib.mjs)', () => {
  /**
   * A workspace of its own with the launcher's two scripts: a CLI whose sources and build say which ran, over a
   * package whose `@vib/source` export and default export say which was resolved (the repository's own dist/ may be
   * rebuilt by the consumer test while this one runs).
   */
  function launcherWorkspace(): string {
    const root = workspace({
      'scripts/vib.mjs': readFileSync(join(repo, 'scripts/vib.mjs'), 'utf8'),
      'scripts/built-cli.mjs': readFileSync(join(repo, 'scripts/built-cli.mjs'), 'utf8'),
      'apps/cli/package.json': manifest('@x/cli', { '@x/a': 'workspace:*' }),
      'apps/cli/src/main.ts': "import { where } from '@x/a';\nconst args: string[] = process.argv.slice(2);\nconsole.log(`sources ${where} ${args.join(' ')}`);\n",
      'apps/cli/bin/vib.js': "import '../dist/main.js';\n",
      'apps/cli/dist/main.js': "import { where } from '@x/a';\nconsole.log(`build ${where} ${process.argv.slice(2).join(' ')}`);\n",
      'packages/a/package.json': JSON.stringify({ name: '@x/a', type: 'module', scripts: { build: 'tsc' }, exports: { '.': { '@vib/source': './src/index.ts', default: './dist/index.js' } } }),
      'packages/a/src/index.ts': "export const where: string = 'a-sources';\n",
      'packages/a/dist/index.js': "export const where = 'a-build';\n",
    });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(root, 'apps/cli/package.json'), JSON.stringify({ ...JSON.parse(manifest('@x/cli', { '@x/a': 'workspace:*' })), type: 'module' }));
    mkdirSync(join(root, 'node_modules/@x'), { recursive: true });
    symlinkSync(join(root, 'packages/a'), join(root, 'node_modules/@x/a'), 'dir');
    symlinkSync(realpathSync(join(repo, 'node_modules/tsx')), join(root, 'node_modules/tsx'), 'dir');
    return root;
  }
  const launch = (root: string, env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [join(root, 'scripts/vib.mjs'), 'train', '--epochs', '2'], { cwd: root, encoding: 'utf8', env: { ...process.env, VIB_FROM_SOURCE: '', ...env }, timeout: 60_000 });
    return `${r.status} ${r.stdout.trim()}${r.stderr.trim() ? ` | ${r.stderr.trim()}` : ''}`;
  };

  it('runs the sources through tsx with the @vib/source condition until a build is recorded, then the build, until a source changes', () => {
    const root = launcherWorkspace();
    const check = (env: Record<string, string> = {}) => {
      const r = spawnSync(process.execPath, [join(root, 'scripts/built-cli.mjs')], { cwd: root, encoding: 'utf8', env: { ...process.env, VIB_FROM_SOURCE: '', ...env } });
      return `${r.status} ${r.stdout.trim()}`;
    };
    expect(launch(root)).toBe('0 sources a-sources train --epochs 2');
    expect(check()).toBe('1 pnpm vib runs the sources through tsx: no build recorded (pnpm build records one)');
    writeStamp(root);
    expect(check()).toBe('0 pnpm vib runs the compiled CLI');
    expect(check({ VIB_FROM_SOURCE: '1' })).toBe('1 pnpm vib runs the sources through tsx: VIB_FROM_SOURCE=1');
    expect(launch(root)).toBe('0 build a-build train --epochs 2');
    expect(launch(root, { VIB_FROM_SOURCE: '1' })).toBe('0 sources a-sources train --epochs 2');
    writeFileSync(join(root, 'packages/a/src/index.ts'), "export const where: string = 'a-edited';\n");
    expect(launch(root)).toBe('0 sources a-edited train --epochs 2');
  });

  it("tells a preloaded report which CLI ran (the bench's epoch row reads it beside the peak RSS)", () => {
    const root = launcherWorkspace();
    const report = (env: Record<string, string> = {}) => {
      const r = spawnSync(process.execPath, ['--import', join(repo, 'packages/backends/bench/report-peak-rss.mjs'), join(root, 'scripts/vib.mjs'), 'train'], { cwd: root, encoding: 'utf8', env: { ...process.env, VIB_FROM_SOURCE: '', ...env }, timeout: 60_000 });
      expect(r.status).toBe(0);
      expect(r.stderr).toMatch(/VIB_PEAK_RSS_KIB [1-9]\d*\n/);
      return `${r.stdout.trim()} | ${/VIB_CLI_RUNS_AS (\S+)/.exec(r.stderr)?.[1]}`;
    };
    expect(report()).toBe('sources a-sources train | sources');
    writeStamp(root);
    expect(report()).toBe('build a-build train | compiled');
    expect(report({ VIB_FROM_SOURCE: '1' })).toBe('sources a-sources train | sources');
  });

  it("runs this repository's CLI from its sources when asked (VIB_FROM_SOURCE=1), loading no compiled file", () => {
    // logs every module Node loads, so that the test sees which files ran
    const logLoads = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent('export async function load(u, c, n) { process.stderr.write("LOADED " + u + "\\\\n"); return n(u, c); }'));`)}`;
    const r = spawnSync(process.execPath, ['--import', logLoads, join(repo, 'scripts/vib.mjs'), '--version'], { cwd: repo, encoding: 'utf8', env: { ...process.env, VIB_FROM_SOURCE: '1' }, timeout: 60_000 });
    const loaded = r.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice(7));
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(loaded.some((u) => u.endsWith('/apps/cli/src/main.ts'))).toBe(true);
    expect(loaded.some((u) => u.endsWith('/packages/kit/src/presets.ts'))).toBe(true);
    expect(loaded.filter((u) => /\/(packages|apps)\/[^/]+\/dist\//.test(u))).toEqual([]);
  });
});
