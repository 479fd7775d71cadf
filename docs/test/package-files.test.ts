import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const packages = readdirSync(join(repo, 'packages')).filter((d) => existsSync(join(repo, 'packages', d, 'package.json')));

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
