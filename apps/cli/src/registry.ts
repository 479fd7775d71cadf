import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Registry } from '@vib/core';
import { registerMnistDataset } from '@vib/data/mnist';
import { createDefaultRegistry } from '@vib/kit';
import { resolvePluginPackage, secondTfjsWarning, splitSpecifier } from './plugin-resolve.js';
import { CliError, usageError } from './util/cli-error.js';

/**
 * Turn a `--plugin` value into something `import()` can load: a path (starting with `.` or `/`)
 * becomes a file URL resolved from the working directory; anything else is a package name.
 * @param spec - the flag value
 * @returns the import specifier
 */
export function pluginSpecifier(spec: string): string {
  return isPathSpec(spec) ? pathToFileURL(resolve(spec)).href : spec;
}

/** Whether a `--plugin` value is a path (starting with `.` or `/`) rather than a package name. */
function isPathSpec(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec);
}

/**
 * Whether an import of a `--plugin` value failed because the module itself does not exist: no file at the path,
 * or no package of the name. A module that exists but fails to load (a missing dependency, bad syntax) is not.
 */
async function moduleMissing(spec: string, cause: unknown): Promise<boolean> {
  if (isPathSpec(spec)) return (await stat(resolve(spec)).catch(() => null)) === null;
  if ((cause as { code?: unknown } | null)?.code !== 'ERR_MODULE_NOT_FOUND') return false;
  const missing = /^Cannot find package '([^']+)'/.exec(cause instanceof Error ? cause.message : '')?.[1];
  return missing === spec || missing === splitSpecifier(spec).name;
}

/** Where the CLI's own import of a package name went (null where this runtime cannot say). */
function resolvedFromCli(spec: string): string | null {
  try {
    return typeof import.meta.resolve === 'function' ? import.meta.resolve(spec) : null;
  } catch {
    return null;
  }
}

/**
 * Load one third-party plugin module and let it register into `registry`: every exported function
 * whose name starts with `register` (e.g. `registerStudentTPrior`) is called with the registry, or the
 * default export when it is a function.
 * @param registry - the registry to extend
 * @param spec - a package name (found from the working directory first, then from the CLI) or a path to an ES module
 * @param warn - where a warning goes (default stderr): the module imports another copy of @tensorflow/tfjs
 * @returns the names of the functions that were called
 * @throws {@link CliError} (exit code 2) when no such module exists
 * @throws {@link CliError} when the module cannot be loaded, registers nothing, or a register function throws
 */
export async function loadPlugin(registry: Registry, spec: string, warn: (line: string) => void = (line) => console.warn(line)): Promise<string[]> {
  let mod: Record<string, unknown>;
  // a package name is looked up from the working directory first (the user's project), then from the CLI's
  const url = isPathSpec(spec) ? pluginSpecifier(spec) : ((await resolvePluginPackage(spec)) ?? spec);
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (cause) {
    const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    const message = `--plugin ${spec}: cannot load the module (${why}); pass an installed package name or a path to an ES module such as ./my-plugin/dist/index.js`;
    // no such module is a bad flag value; one that exists but does not load is the module's failure
    if (await moduleMissing(spec, cause)) throw usageError(message, { cause, details: { flag: '--plugin', value: spec, plugin: spec } });
    throw new CliError(message, { cause, details: { plugin: spec } });
  }
  const resolved = url.startsWith('file:') ? url : resolvedFromCli(url);
  const second = resolved === null ? null : await secondTfjsWarning(spec, resolved, import.meta.url);
  if (second !== null) warn(second);
  const calls = Object.entries(mod).filter(
    ([name, value]) => typeof value === 'function' && (/^register[A-Z]/.test(name) || name === 'default'),
  ) as [string, (r: Registry) => unknown][];
  if (calls.length === 0) {
    throw new CliError(
      `--plugin ${spec}: the module exports no register function (found: ${Object.keys(mod).join(', ') || 'nothing'}); export e.g. registerMyPrior(registry)`,
      { details: { plugin: spec } },
    );
  }
  for (const [name, fn] of calls) {
    try {
      await fn(registry);
    } catch (cause) {
      const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
      throw new CliError(`--plugin ${spec}: its ${name}(registry) threw (${why}): fix the plugin, or leave --plugin ${spec} out`, { cause, details: { plugin: spec } });
    }
  }
  return calls.map(([name]) => name);
}

/**
 * The registry the CLI resolves every name through: `@vib/kit`'s default registry (datasets, priors,
 * controllers, tasks, estimators, backends) plus the opt-in embedded digits (`mnist`, the default
 * dataset), extended by each `--plugin` module in order.
 * @param plugins - `--plugin` values (package names or paths)
 * @param warn - where a plugin's warning goes (default stderr; see {@link loadPlugin})
 * @returns a new registry with every built-in and plugin-provided plugin
 */
export async function createCliRegistry(plugins: readonly string[] = [], warn?: (line: string) => void): Promise<Registry> {
  const registry = createDefaultRegistry();
  registerMnistDataset(registry);
  for (const spec of plugins) await loadPlugin(registry, spec, warn);
  return registry;
}
