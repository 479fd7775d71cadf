import { readFile, realpath, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The conditions a plugin package's `exports` are read with, in order: an ES module for Node. */
const CONDITIONS = ['import', 'node', 'default'] as const;

/**
 * The package name and the subpath (`.` or `./x`) of a bare specifier such as `@scope/pkg/sub`.
 * @param spec - the specifier
 * @returns its package name and subpath
 */
export function splitSpecifier(spec: string): { name: string; subpath: string } {
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  const rest = parts.slice(n).join('/');
  return { name: parts.slice(0, n).join('/'), subpath: rest === '' ? '.' : `./${rest}` };
}

/** A target of `exports` under the conditions above: a string, or the first matching branch of a conditions object. */
function pickTarget(target: unknown): string | null {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const t of target) {
      const got = pickTarget(t);
      if (got !== null) return got;
    }
    return null;
  }
  if (target === null || typeof target !== 'object') return null;
  for (const [key, value] of Object.entries(target)) {
    if ((CONDITIONS as readonly string[]).includes(key)) {
      const got = pickTarget(value);
      if (got !== null) return got;
    }
  }
  return null;
}

/** The file a package's manifest points a subpath at (its `exports`, else `module`/`main` for `.`), relative. */
function entryOf(manifest: Record<string, unknown>, subpath: string): string | null {
  const exp = manifest['exports'];
  if (exp !== undefined) {
    const keyed = exp !== null && typeof exp === 'object' && !Array.isArray(exp) && Object.keys(exp).some((k) => k.startsWith('.'));
    if (!keyed) return subpath === '.' ? pickTarget(exp) : null;
    return pickTarget((exp as Record<string, unknown>)[subpath]);
  }
  if (subpath !== '.') return subpath;
  const main = manifest['module'] ?? manifest['main'];
  return typeof main === 'string' ? main : 'index.js';
}

/**
 * Find a `--plugin` package the way the user's own project would: in the `node_modules` of the working directory
 * and its parents (not the CLI's), reading the package's `exports` with the conditions an ES module in Node uses.
 * @param spec - a package name, with an optional subpath (`my-plugin`, `@me/plugins/priors`)
 * @param from - where to look from (default the working directory)
 * @returns the entry file's URL, or null where no such package is installed there
 */
export async function resolvePluginPackage(spec: string, from = process.cwd()): Promise<string | null> {
  const { name, subpath } = splitSpecifier(spec);
  for (let dir = from; ; dir = dirname(dir)) {
    const pkgDir = join(dir, 'node_modules', name);
    const manifestFile = join(pkgDir, 'package.json');
    const text = await readFile(manifestFile, 'utf8').catch(() => null);
    if (text !== null) {
      const entry = entryOf(JSON.parse(text) as Record<string, unknown>, subpath);
      if (entry === null) return null;
      const file = join(pkgDir, entry);
      return (await stat(file).catch(() => null))?.isFile() === true ? pathToFileURL(await realpath(file)).href : null;
    }
    if (dirname(dir) === dir) return null;
  }
}

/** The real folder of the `@tensorflow/tfjs` a module at `fileUrl` would import, or null where it finds none. */
async function tfjsSeenFrom(fileUrl: string): Promise<string | null> {
  try {
    return dirname(await realpath(createRequire(fileUrl).resolve('@tensorflow/tfjs/package.json')));
  } catch {
    return null;
  }
}

/**
 * Where a plugin module would import another copy of `@tensorflow/tfjs` than the CLI's, say so: tensors cross
 * between copies (one engine), but `tf.layers` do not (a task plugin's decoder fails with "SymbolicTensor" errors
 * or "Variable … already registered").
 * @param spec - the `--plugin` value, for the message
 * @param pluginUrl - the module's URL
 * @param cliUrl - a module of the CLI (its `import.meta.url`)
 * @returns the warning, or null where both see the same copy (or the plugin finds none, and so imports none)
 */
export async function secondTfjsWarning(spec: string, pluginUrl: string, cliUrl: string): Promise<string | null> {
  if (!pluginUrl.startsWith('file:')) return null;
  const [plugin, cli] = await Promise.all([tfjsSeenFrom(pluginUrl), tfjsSeenFrom(cliUrl)]);
  if (plugin === null || cli === null || plugin === cli) return null;
  return (
    `vib: warning: --plugin ${spec} finds its own @tensorflow/tfjs (${plugin}), not the CLI's (${cli}): where it imports tfjs, tensors pass between the two ` +
    'but layers do not (a task plugin\'s decoder fails). Make @tensorflow/tfjs a peer dependency of the plugin and install the CLI and the plugin in one project, ' +
    `or link the CLI's copy into the plugin's node_modules (${join(dirname(fileURLToPath(pluginUrl)), 'node_modules', '@tensorflow', 'tfjs')})`
  );
}
