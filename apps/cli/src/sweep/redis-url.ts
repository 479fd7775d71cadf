import { Redis, type RedisOptions } from 'ioredis';
import { CliError, usageError } from '../util/cli-error.js';

/**
 * Parse a `--queue` value into Redis connection options: `redis://[user:password@]host[:port][/db]`, or
 * `rediss://` for TLS.
 * @param url - the flag value
 * @returns ioredis options (BullMQ's blocking connections need `maxRetriesPerRequest: null`)
 * @throws {@link CliError} (exit code 2) on anything else
 */
export function parseRedisUrl(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw usageError(`--queue ${url} is not a URL: write redis://host:port, e.g. --queue redis://127.0.0.1:6379`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw usageError(`--queue ${url}: the scheme must be redis:// or rediss://, not ${u.protocol}//: e.g. --queue redis://127.0.0.1:6379`);
  }
  if (u.hostname === '') throw usageError(`--queue ${url} names no host: e.g. --queue redis://127.0.0.1:6379`);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw usageError(`--queue ${url}: the database "${u.pathname.slice(1)}" is not a number ≥ 0`);
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 6379,
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/**
 * Check once that Redis answers at a URL, within a few seconds and without retrying, so a wrong or
 * unreachable `--queue` is one clear error instead of an endless reconnect loop.
 * @param url - the flag value
 * @param timeoutMs - how long to wait for the connection (default 3000)
 * @returns the connection options, checked
 * @throws {@link CliError} when the URL is malformed, Redis is unreachable, or refuses the credentials
 */
export async function checkRedis(url: string, timeoutMs = 3000): Promise<RedisOptions> {
  const options = parseRedisUrl(url);
  const probe = new Redis({ ...options, lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  let lastError: NodeJS.ErrnoException | null = null;
  probe.on('error', (e: NodeJS.ErrnoException) => { lastError = e; });
  try {
    await probe.connect();
    const pong = await probe.ping();
    if (pong !== 'PONG') throw new Error(`unexpected reply ${pong}`);
    return options;
  } catch (e) {
    const err: NodeJS.ErrnoException = lastError ?? (e as NodeJS.ErrnoException);
    const why = err.code ?? err.message;
    throw new CliError(`cannot reach Redis at ${url} (${why}): start redis-server there (docs/guides/sweeps-across-machines.md says how) or fix --queue`, { cause: e });
  } finally {
    probe.disconnect();
  }
}
