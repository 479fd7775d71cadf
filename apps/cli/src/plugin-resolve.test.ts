import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRegistry } from '@vib/core';
import { afterAll, describe, expect, it } from 'vitest';
import { resolvePluginPackage, secondTfjsWarning } from './plugin-resolve.js';
import { loadPlugin } from './registry.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'vib-plugin-resolve-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Write a package into root/node_modules/<name> with the given manifest and files. */
function pkg(name: string, manifest: object, files: Record<string, string>): string {
  const dir = join(root, 'node_modules', name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, ...manifest }));
  return dir;
}

const registerHello = "export function registerHello(registry) { registry.register('greeting', { name: 'hello', description: 'from the user\\'s project' }); }\n";
const esmOnly = pkg('my-vib-plugin', { type: 'module', exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './extra': { import: './dist/extra.js' } } }, { 'dist/index.js': registerHello, 'dist/extra.js': registerHello });
pkg('@me/plugins', { type: 'module', main: './lib/main.js' }, { 'lib/main.js': registerHello });
mkdirSync(join(root, 'deep', 'er'), { recursive: true });

describe('--plugin package names are found from the working directory, as the user’s project would', () => {
  it('reads exports with the import condition (an ES-module-only package), subpaths, main, and parent folders', async () => {
    expect(await resolvePluginPackage('my-vib-plugin', root)).toBe(pathToFileURL(join(esmOnly, 'dist/index.js')).href);
    expect(await resolvePluginPackage('my-vib-plugin/extra', join(root, 'deep', 'er'))).toBe(pathToFileURL(join(esmOnly, 'dist/extra.js')).href);
    expect(await resolvePluginPackage('@me/plugins', root)).toMatch(/node_modules\/@me\/plugins\/lib\/main\.js$/);
    expect(await resolvePluginPackage('my-vib-plugin/not-exported', root)).toBeNull();
    expect(await resolvePluginPackage('not-installed-anywhere', root)).toBeNull();
  });

  it('loads the plugin installed where vib runs (it was looked up from the CLI’s own folder, and not found)', async () => {
    const before = process.cwd();
    process.chdir(join(root, 'deep'));
    try {
      const registry = createRegistry();
      expect(await loadPlugin(registry, 'my-vib-plugin', () => undefined)).toEqual(['registerHello']);
      expect(registry.get('greeting', 'hello').description).toBe("from the user's project");
    } finally {
      process.chdir(before);
    }
  });

  it('warns where the plugin would import another @tensorflow/tfjs than the CLI’s, naming both', async () => {
    pkg('@tensorflow/tfjs', { version: '4.22.0', main: 'index.js' }, { 'index.js': '' });
    const plugin = join(root, 'plugin.mjs');
    writeFileSync(plugin, registerHello);
    const warning = await secondTfjsWarning(plugin, pathToFileURL(plugin).href, import.meta.url);
    expect(warning).toMatch(new RegExp(`^vib: warning: --plugin ${plugin} finds its own @tensorflow/tfjs \\(${root}/node_modules/@tensorflow/tfjs\\), not the CLI's \\(/.+\\): where it imports tfjs`));
    // the CLI's own modules see the CLI's copy: no warning
    expect(await secondTfjsWarning('x', import.meta.url, import.meta.url)).toBeNull();
    const lines: string[] = [];
    await loadPlugin(createRegistry(), plugin, (l) => lines.push(l));
    expect(lines).toEqual([warning]);
  });
});
