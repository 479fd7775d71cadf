import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
// A package marked private is a workspace-only library (today @vib/store: its better-sqlite3 addon compiles at
// install, which the offline consumer test cannot do); it still ships a README and a CHANGELOG, checked below.
const manifests = readdirSync(join(repo, 'packages'))
  .filter((d) => existsSync(join(repo, 'packages', d, 'package.json')))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(repo, 'packages', dir, 'package.json'), 'utf8')) as { private?: boolean } }));
const packages = manifests.filter((m) => m.pkg.private !== true).map((m) => m.dir);
const workspaceOnly = manifests.filter((m) => m.pkg.private === true).map((m) => m.dir);

describe('every published package', () => {
  it.each(packages)('%s has a README and a changesets CHANGELOG for its current version', (dir) => {
    const pkg = JSON.parse(readFileSync(join(repo, 'packages', dir, 'package.json'), 'utf8')) as { name: string; version: string; private?: boolean };
    expect(pkg.private).not.toBe(true);
    expect(readFileSync(join(repo, 'packages', dir, 'README.md'), 'utf8')).toMatch(new RegExp(`^# ${pkg.name.replace('/', '\\/')}`, 'm'));
    const changelog = readFileSync(join(repo, 'packages', dir, 'CHANGELOG.md'), 'utf8');
    expect(changelog.startsWith(`# ${pkg.name}\n`)).toBe(true);
    expect(changelog).toContain(`## ${pkg.version}\n`);
  });
});

describe('workspace-only packages', () => {
  it.each(workspaceOnly)('%s has a README and a CHANGELOG for its current version', (dir) => {
    const pkg = JSON.parse(readFileSync(join(repo, 'packages', dir, 'package.json'), 'utf8')) as { name: string; version: string };
    expect(readFileSync(join(repo, 'packages', dir, 'README.md'), 'utf8')).toMatch(new RegExp(`^# ${pkg.name.replace('/', '\\/')}`, 'm'));
    expect(readFileSync(join(repo, 'packages', dir, 'CHANGELOG.md'), 'utf8')).toContain(`## ${pkg.version}\n`);
  });
});

// STYLE.md: tfjs and @vib/core are peer dependencies of every library, ours and the example plugins alike, so an
// application holds one copy of each (two copies of a registry-bearing package split its state).
const libraries = [
  ...manifests.map((m) => join('packages', m.dir)),
  ...readdirSync(join(repo, 'docs', 'examples')).map((d) => join('docs', 'examples', d)).filter((d) => existsSync(join(repo, d, 'package.json'))),
];

describe('library manifests', () => {
  it.each(libraries)('%s takes @tensorflow/tfjs and @vib/core as peers, never as its own dependencies', (dir) => {
    type Deps = Record<string, string> | undefined;
    const pkg = JSON.parse(readFileSync(join(repo, dir, 'package.json'), 'utf8')) as { name: string; dependencies?: Deps; devDependencies?: Deps; peerDependencies?: Deps };
    for (const shared of ['@tensorflow/tfjs', '@vib/core']) {
      expect(pkg.dependencies?.[shared], `${pkg.name} lists ${shared} in dependencies`).toBeUndefined();
      if (pkg.devDependencies?.[shared] !== undefined && pkg.name !== shared) expect(pkg.peerDependencies?.[shared], `${pkg.name} builds against ${shared} but does not take it as a peer`).toBeDefined();
    }
  });
});
