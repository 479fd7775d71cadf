import type { Environment } from './backend-plugin.js';

/**
 * Detect whether this is Node or a browser (web workers count as browser).
 * @returns `node` when `process.versions.node` exists, else `browser`
 */
export function detectEnvironment(): Environment {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string' ? 'node' : 'browser';
}

/**
 * Read an environment variable without touching `process` in a browser.
 * @param name - variable name
 * @returns its value, or undefined
 */
export function readEnv(name: string): string | undefined {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return p?.env?.[name];
}

/**
 * Logical cores visible to this process (Node: os.availableParallelism; browser: hardwareConcurrency).
 * @returns the count, at least 1
 */
export async function hardwareThreads(): Promise<number> {
  if (detectEnvironment() === 'node') {
    const os = await import('node:os');
    return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}
