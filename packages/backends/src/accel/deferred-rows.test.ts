import type { TensorInfo } from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { deferralOf, deferred, dropAllDeferrals, settle, splitFor } from './deferred-rows.js';
import type { SimdHelper } from './simd-helper.js';
import type { WasmBackendInternals } from './wasm-internals.js';

/** A backend shaped as tfjs-backend-wasm's (its methods on the prototype), recording what reached them. */
class FakeStorage {
  readonly entries = new Map<object, { memoryOffset: number; refCount: number }>();
  get(dataId: object): { memoryOffset: number; refCount: number } | undefined {
    return this.entries.get(dataId);
  }
  has(dataId: object): boolean {
    return this.entries.has(dataId);
  }
}
class FakeBackend {
  readonly dataIdMap = new FakeStorage();
  readonly wasm = { HEAPF32: new Float32Array(16) };
  readonly freed: object[] = [];
  makeOutput(): TensorInfo {
    const dataId = {};
    this.dataIdMap.entries.set(dataId, { memoryOffset: 0, refCount: 1 });
    return { dataId, shape: [1], dtype: 'float32' } as unknown as TensorInfo;
  }
  disposeData(dataId: object, force = false): boolean {
    const e = this.dataIdMap.get(dataId);
    if (!e) return true;
    e.refCount--;
    if (!force && e.refCount > 0) return false;
    this.dataIdMap.entries.delete(dataId);
    this.freed.push(dataId);
    return true;
  }
  incRef(dataId: object): void {
    const e = this.dataIdMap.get(dataId);
    if (e) e.refCount++;
  }
}

/** A helper whose calls finish when the test says so: `wait` counts the waits, and fails where they are not done. */
const fakeHelper = (): SimdHelper & { waits: number; done: boolean } => {
  const h = {
    waits: 0,
    done: false,
    wait() {
      h.waits++;
      if (!h.done) throw new Error('waited before the helper finished');
    },
    threads: 1,
  };
  return h as unknown as SimdHelper & { waits: number; done: boolean };
};

describe('deferred products by rows: what waits for the helper', () => {
  afterEach(() => dropAllDeferrals());

  it('a read of any tensor waits (once), a read from inside the products by rows does not, and the bookkeeping runs after the wait', () => {
    const fake = new FakeBackend();
    const be = fake as unknown as WasmBackendInternals;
    const state = deferralOf(be);
    const helper = fakeHelper();
    const [out, scratch, other] = [fake.makeOutput(), fake.makeOutput(), fake.makeOutput()];
    const order: string[] = [];
    deferred(state, helper, { out, m: 100, split: 50, frees: [scratch], then: () => order.push(`then after ${helper.waits} wait`) }, false);
    expect(state.pending).not.toBeNull();
    // the products by rows read their operands without waiting
    state.inside++;
    fake.dataIdMap.get(out.dataId as object);
    state.inside--;
    expect(helper.waits).toBe(0);
    // anything else waits: here a kernel reading another tensor
    helper.done = true;
    expect(fake.dataIdMap.get(other.dataId as object)?.refCount).toBe(1);
    expect(helper.waits).toBe(1);
    expect(state.pending).toBeNull();
    expect(order).toEqual(['then after 1 wait']);
    // the scratch the helper read is freed after the wait, and only then
    expect(fake.freed).toEqual([scratch.dataId]);
    fake.dataIdMap.get(out.dataId as object);
    expect(helper.waits).toBe(1);
  });

  it('counting references does not wait; a free waits first, ours too', () => {
    const fake = new FakeBackend();
    const be = fake as unknown as WasmBackendInternals;
    const state = deferralOf(be);
    const helper = fakeHelper();
    const [out, a] = [fake.makeOutput(), fake.makeOutput()];
    fake.incRef(a.dataId as object);
    deferred(state, helper, { out, m: 64, split: 32, frees: [] }, false);
    // a reshape's count up, then a count down that frees nothing: no wait (the helper is not done)
    fake.incRef(a.dataId as object);
    expect(fake.disposeData(a.dataId as object)).toBe(false);
    expect(fake.disposeData(a.dataId as object)).toBe(false);
    expect(helper.waits).toBe(0);
    // the last count frees: it waits, even from inside the products by rows
    helper.done = true;
    state.inside++;
    expect(fake.disposeData(a.dataId as object)).toBe(true);
    state.inside--;
    expect(helper.waits).toBe(1);
    expect(fake.freed).toEqual([a.dataId]);
  });

  it('chains: a product onto the pending output keeps its split, and one wait finishes both', () => {
    const fake = new FakeBackend();
    const state = deferralOf(fake as unknown as WasmBackendInternals);
    const helper = fakeHelper();
    const [h1, h2, s1, s2] = [fake.makeOutput(), fake.makeOutput(), fake.makeOutput(), fake.makeOutput()];
    const ran: number[] = [];
    state.bias = 3;
    expect(splitFor(state, 100)).toBe(53);
    deferred(state, helper, { out: h1, m: 100, split: 53, frees: [s1], then: () => ran.push(1) }, false);
    state.bias = -3;
    // onto the pending output: the same rows, whatever the bias is now
    expect(splitFor(state, 100)).toBe(53);
    deferred(state, helper, { out: h2, m: 100, split: 53, frees: [s2], then: () => ran.push(2) }, false);
    helper.done = true;
    settle(fake as unknown as WasmBackendInternals, state);
    expect(helper.waits).toBe(1);
    expect(ran).toEqual([1, 2]);
    expect(fake.freed).toEqual([s1.dataId, s2.dataId]);
  });

  it('the split follows the threads: a row to the calling thread after a wait, to the helper after it helped, within bounds', () => {
    const fake = new FakeBackend();
    const be = fake as unknown as WasmBackendInternals;
    const state = deferralOf(be);
    const out = fake.makeOutput();
    // a helper that takes 0.1 ms to finish
    const slow = { wait: () => busy(0.1), threads: 1 } as unknown as SimdHelper;
    for (let i = 0; i < 40; i++) {
      deferred(state, slow, { out, m: 100, split: splitFor(state, 100), frees: [] }, false);
      settle(be, state);
    }
    // at most m/2 − 16 rows moved: the helper keeps its 16
    expect(state.bias).toBe(34);
    expect(splitFor(state, 100)).toBe(84);
    expect(splitFor(state, 40)).toBe(24);
    const quick = { wait: () => undefined, threads: 1 } as unknown as SimdHelper;
    for (let i = 0; i < 80; i++) {
      deferred(state, quick, { out, m: 100, split: splitFor(state, 100), frees: [] }, true);
      settle(be, state);
    }
    expect(state.bias).toBe(-34);
    expect(splitFor(state, 100)).toBe(16);
  });

  it('comes off the backend: its own methods again, and nothing waits', () => {
    const fake = new FakeBackend();
    const be = fake as unknown as WasmBackendInternals;
    deferralOf(be);
    expect(Object.hasOwn(fake.dataIdMap, 'get')).toBe(true);
    expect(Object.hasOwn(fake, 'disposeData')).toBe(true);
    dropAllDeferrals();
    expect(Object.hasOwn(fake.dataIdMap, 'get')).toBe(false);
    expect(Object.hasOwn(fake, 'disposeData')).toBe(false);
    expect(Object.hasOwn(fake, 'incRef')).toBe(false);
    expect(fake.dataIdMap.get).toBe(FakeStorage.prototype.get);
  });
});

/** Spin for `ms` milliseconds. */
function busy(ms: number): void {
  for (const until = performance.now() + ms; performance.now() < until; );
}
