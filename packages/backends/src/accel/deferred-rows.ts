import type { TensorInfo } from '@tensorflow/tfjs';
import type { SimdHelper } from './simd-helper.js';
import { MIN_PART_ROWS } from './row-product.js';
import type { WasmBackendInternals } from './wasm-internals.js';

/**
 * Products by rows that return before the helper thread has finished its part. With one helper thread (two cores), a
 * product by rows's calling thread takes rows [0, split) and the helper [split, m); the call returns once the calling
 * thread's rows are whole. The helper runs its calls in order, so the next product by rows on that output, whose rows
 * each depend on the same row of its left operand, starts on the calling thread at once and on the helper once its
 * part of the last one is done. The calling thread's JavaScript between two products (tfjs's bookkeeping, the next
 * call's set-up; about 0.03–0.05 ms a layer of the VIB inference) then runs while the helper still multiplies.
 *
 * Until the helper has finished, the output is pending: anything that reads or frees a tensor's memory on the backend
 * first waits for the helper ({@link settle}). Every kernel, read and free of tfjs-backend-wasm finds a tensor's
 * memory through the backend's `dataIdMap.get`, so that is where the wait is hooked (with `disposeData`, `incRef`
 * and `refCount`, which only count references, let through until a free; every free waits). Only the products by
 * rows themselves pass (see {@link DeferralState.inside}), and only onto the pending output, by the same rows.
 *
 * Where the threads run at different speeds (a host's cores do), the split follows, by a row at each wait for the
 * helper: to the calling thread where it waited, else to the helper where the helper finished the calling thread's
 * last groups in one of the products since the last wait.
 */

/** What the helper is still computing, and what to do once it has. */
interface Pending {
  readonly helper: SimdHelper;
  /** The output whose rows [split, m) the helper computes. */
  readonly out: object;
  readonly m: number;
  readonly split: number;
  /** Scratch the helper reads, freed once it is done. */
  readonly frees: TensorInfo[];
  /** Bookkeeping that needs the helper's rows (a list's exact count of terms). */
  readonly then: (() => void)[];
}

/** A backend's deferral state. */
export interface DeferralState {
  pending: Pending | null;
  /** Above 0 while the products by rows or a reference count run: their reads of `dataIdMap` do not wait. */
  inside: number;
  /** Rows the calling thread's part has beyond half (adapted: see the module's comment). */
  bias: number;
  /** Whether the helper finished the calling thread's last groups in a product since the last wait. */
  helped: boolean;
  /** How many products returned deferred (for tests and the bench's notes). */
  deferred: number;
  /** How many times something waited for the helper. */
  settles: number;
}

/** A wait for the helper longer than this (ms) moves a row of later products to the calling thread. */
const SLACK_MS = 0.02;

const states = new Map<WasmBackendInternals, { state: DeferralState; unhook: () => void }>();

/**
 * The deferral state of a backend, its hooks installed on first use.
 * @param be - the backend
 * @returns its state
 */
export function deferralOf(be: WasmBackendInternals): DeferralState {
  const known = states.get(be);
  if (known) return known.state;
  const state: DeferralState = { pending: null, inside: 0, bias: 0, helped: false, deferred: 0, settles: 0 };
  states.set(be, { state, unhook: hook(be, state) });
  return state;
}

/**
 * The rows a deferred product gives the calling thread: its own, or, onto the pending output, the same as that.
 * @param state - the backend's state
 * @param m - rows of the product
 * @returns where the helper's part starts
 */
export function splitFor(state: DeferralState, m: number): number {
  if (state.pending) return state.pending.split;
  return Math.min(m - MIN_PART_ROWS, Math.max(MIN_PART_ROWS, Math.floor(m / 2) + state.bias));
}

/**
 * Record a product that returned deferred: its output is pending until {@link settle}, and so are the scratch it
 * reads and the bookkeeping that needs its rows (with the product before it, onto whose output it ran).
 * @param state - the backend's state
 * @param helper - the helper thread
 * @param o - the output, its rows and split, its scratch, and what to run once the helper is done
 * @param helped - whether the helper finished the calling thread's last groups (the next wait may move a row to it)
 */
export function deferred(state: DeferralState, helper: SimdHelper, o: { out: TensorInfo; m: number; split: number; frees: TensorInfo[]; then?: (() => void) | undefined }, helped: boolean): void {
  const before = state.pending;
  state.pending = {
    helper,
    out: o.out.dataId as object,
    m: o.m,
    split: o.split,
    frees: [...(before?.frees ?? []), ...o.frees],
    then: [...(before?.then ?? []), ...(o.then ? [o.then] : [])],
  };
  state.deferred++;
  state.helped ||= helped;
}

/**
 * Wait for the helper's pending rows, then free the scratch they read and finish the bookkeeping.
 * @param be - the backend
 * @param state - its state
 * @throws the helper's error, where it failed or stalled (the scratch is then not freed: it may still be written)
 */
export function settle(be: WasmBackendInternals, state: DeferralState): void {
  const p = state.pending;
  if (!p) return;
  state.pending = null;
  state.settles++;
  const t0 = performance.now();
  p.helper.wait();
  // one row at most for the whole chain of products since the last wait (a row a product swung the split by ±8 rows)
  if (performance.now() - t0 > SLACK_MS) state.bias = Math.min(Math.ceil(p.m / 2) - MIN_PART_ROWS, state.bias + 1);
  else if (state.helped) state.bias = Math.max(MIN_PART_ROWS - Math.floor(p.m / 2), state.bias - 1);
  state.helped = false;
  state.inside++;
  try {
    for (const f of p.then) f();
    for (const t of p.frees) be.disposeData(t.dataId, true);
  } finally {
    state.inside--;
  }
}

/**
 * Wait for every backend's pending rows and take the hooks off (the tier is being uninstalled).
 */
export function dropAllDeferrals(): void {
  for (const [be, { state, unhook }] of states) {
    try {
      settle(be, state);
    } catch {
      // a disposed backend, or a helper that failed: nothing left to wait for
    }
    unhook();
  }
  states.clear();
}

/** The backend's methods hooked (see the module's comment). */
type Hooked = WasmBackendInternals & {
  disposeData(dataId: object, force?: boolean): boolean;
  incRef?(dataId: object): void;
  refCount?(dataId: object): number;
  dispose?(): void;
};

/**
 * Hook the waits into a backend.
 * @param be - the backend
 * @param state - its state
 * @returns how to take them off
 */
function hook(be: WasmBackendInternals, state: DeferralState): () => void {
  const b = be as Hooked;
  const map = b.dataIdMap as Hooked['dataIdMap'] & { get: Hooked['dataIdMap']['get'] };
  const get = map.get;
  const [disposeData, incRef, refCount, dispose] = [b.disposeData, b.incRef, b.refCount, b.dispose];
  const wait = (): void => {
    if (state.pending && state.inside === 0) settle(be, state);
  };
  const counting = <T>(f: () => T): T => {
    state.inside++;
    try {
      return f();
    } finally {
      state.inside--;
    }
  };
  map.get = function (this: unknown, dataId) {
    wait();
    return get.call(this, dataId);
  };
  b.disposeData = function (this: Hooked, dataId, force = false) {
    // a free waits, ours too (the helper may read or write that memory: a list's or a packing's buffer replaced, a
    // weight disposed); a count down does not
    if (state.pending) {
      const entry = counting(() => map.get(dataId));
      if (entry && (force || entry.refCount <= 1)) settle(be, state);
    }
    return counting(() => disposeData.call(this, dataId, force));
  };
  if (incRef) b.incRef = function (this: Hooked, dataId) {
    counting(() => incRef.call(this, dataId));
  };
  if (refCount) b.refCount = function (this: Hooked, dataId) {
    return counting(() => refCount.call(this, dataId));
  };
  if (dispose) b.dispose = function (this: Hooked) {
    try {
      settle(be, state);
    } catch {
      // disposing anyway
    }
    dispose.call(this);
  };
  return () => {
    delete (map as Partial<typeof map>).get;
    if (map.get !== get) map.get = get;
    for (const [name, f] of [['disposeData', disposeData], ['incRef', incRef], ['refCount', refCount], ['dispose', dispose]] as const) {
      delete (b as Partial<Hooked>)[name];
      if (f && (b as Hooked)[name] !== f) (b as unknown as Record<string, unknown>)[name] = f;
    }
  };
}
