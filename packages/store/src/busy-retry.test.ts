import { describe, expect, it } from 'vitest';
import { isBusy, retryWhileBusy } from './busy-retry.js';

/** An error as better-sqlite3 throws it. */
const sqliteError = (code: string): Error => Object.assign(new Error(code === 'SQLITE_BUSY' ? 'database is locked' : code), { code });

describe('retryWhileBusy', () => {
  it('tries again after SQLITE_BUSY (and its extended codes) until the work succeeds, pausing between attempts', () => {
    const codes = ['SQLITE_BUSY', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_SNAPSHOT'];
    let calls = 0;
    const pauses: number[] = [];
    let t = 0;
    const got = retryWhileBusy(() => {
      const code = codes[calls++];
      if (code !== undefined) throw sqliteError(code);
      return 'opened';
    }, 1000, 25, () => t, (ms) => { pauses.push(ms); t += ms; });
    expect(got).toBe('opened');
    expect(calls).toBe(4);
    expect(pauses).toEqual([25, 25, 25]);
  });

  it('passes any other error on at once, and the busy one once the time is up', () => {
    let calls = 0;
    expect(() => retryWhileBusy(() => { calls++; throw sqliteError('SQLITE_CORRUPT'); }, 1000, 25, () => 0, () => {})).toThrow('SQLITE_CORRUPT');
    expect(calls).toBe(1);
    let t = 0;
    calls = 0;
    expect(() => retryWhileBusy(() => { calls++; throw sqliteError('SQLITE_BUSY'); }, 100, 25, () => t, (ms) => { t += ms; })).toThrow('database is locked');
    // attempts at t = 0, 25, 50, 75, 100: the last one fails at the deadline and is not retried
    expect(calls).toBe(5);
    expect(t).toBe(100);
  });

  it('tells SQLite\'s busy codes from the others', () => {
    expect(isBusy(sqliteError('SQLITE_BUSY'))).toBe(true);
    expect(isBusy(sqliteError('SQLITE_BUSY_TIMEOUT'))).toBe(true);
    expect(isBusy(sqliteError('SQLITE_LOCKED'))).toBe(false);
    expect(isBusy(new Error('database is locked'))).toBe(false);
    expect(isBusy(null)).toBe(false);
  });

  it('pauses the thread for real by default', () => {
    let calls = 0;
    const t0 = performance.now();
    retryWhileBusy(() => { if (calls++ === 0) throw sqliteError('SQLITE_BUSY'); return 1; }, 1000, 30);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
  });
});
