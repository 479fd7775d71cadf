import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the run store lives when no `--store` is given: `$VIB_STORE`, else `$XDG_DATA_HOME/vib/runs.sqlite`,
 * else `~/.local/share/vib/runs.sqlite` (the XDG base-directory default).
 * @param env - the environment (default `process.env`)
 * @returns an absolute or relative file path
 * @example
 * ```ts
 * defaultStorePath({ XDG_DATA_HOME: '/data' }); // '/data/vib/runs.sqlite'
 * ```
 */
export function defaultStorePath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env['VIB_STORE']) return env['VIB_STORE'];
  const base = env['XDG_DATA_HOME'] || join(env['HOME'] || homedir(), '.local', 'share');
  return join(base, 'vib', 'runs.sqlite');
}
