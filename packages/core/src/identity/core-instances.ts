/** The global slot every loaded copy of `@vib/core` records itself in (shared across copies and realms' modules). */
export const CORE_INSTANCES_KEY: unique symbol = Symbol.for('vib.core.instances') as never;

/** What the global slot holds. */
interface InstanceSlot {
  /** One token per loaded copy of `@vib/core`. */
  readonly copies: object[];
  /** Whether the duplicate warning has been written. */
  warned: boolean;
}

/** How {@link registerCoreInstance} reports a second copy (replaceable in tests). */
export type DuplicateCoreReporter = (message: string) => void;

const token = Object.freeze({ loadedAt: new URL(import.meta.url).pathname });

function slot(): InstanceSlot {
  const g = globalThis as unknown as Record<symbol, InstanceSlot | undefined>;
  let s = g[CORE_INSTANCES_KEY];
  if (s === undefined) {
    s = { copies: [], warned: false };
    g[CORE_INSTANCES_KEY] = s;
  }
  return s;
}

/**
 * Record this copy of `@vib/core` in the process-wide slot `Symbol.for('vib.core.instances')`, and
 * report, once per process, when more than one copy is loaded. Results do not depend on it (every
 * dispatch is by registered name), but two copies hold two sets of module state, which is what a
 * package manager nesting a second `@vib/core` does; the fix is to dedupe (`pnpm dedupe`, `npm dedupe`).
 * Called when the registry module loads; calling it again for the same copy does nothing.
 * @param report - where the one-time warning goes (default `console.warn`)
 * @returns the number of copies loaded so far
 * @example
 * ```ts
 * import { coreInstanceCount } from '@vib/core';
 * coreInstanceCount(); // 1 in a deduplicated install
 * ```
 */
export function registerCoreInstance(report: DuplicateCoreReporter = (m) => console.warn(m)): number {
  const s = slot();
  if (!s.copies.includes(token)) s.copies.push(token);
  if (s.copies.length > 1 && !s.warned) {
    s.warned = true;
    const where = s.copies.map((c) => (c as { loadedAt?: string }).loadedAt ?? '?').join(', ');
    report(
      `vib: ${s.copies.length} copies of @vib/core are loaded (${where}); results stay the same (dispatch is by registered name), ` +
        'but dedupe your install (pnpm dedupe / npm dedupe) so one copy holds the state',
    );
  }
  return s.copies.length;
}

/**
 * How many copies of `@vib/core` this process has loaded (see {@link registerCoreInstance}).
 * @returns the count, at least 1
 * @example
 * ```ts
 * import { coreInstanceCount } from '@vib/core';
 * if (coreInstanceCount() > 1) console.log('two copies of @vib/core');
 * ```
 */
export function coreInstanceCount(): number {
  return Math.max(slot().copies.length, 1);
}
