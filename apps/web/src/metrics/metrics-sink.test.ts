import { DataError } from '@vib/core';
import { describe, expect, it } from 'vitest';
import type { EpochRecord } from './epoch-record.js';
import { createMetricsSink } from './metrics-sink.js';

const rec = (epoch: number, over: Partial<EpochRecord> = {}): EpochRecord => ({
  epoch,
  loss: 2 / epoch,
  trainAccuracy: 0.5 + epoch / 100,
  testAccuracy: 0.4 + epoch / 100,
  rateNats: epoch * Math.LN2,
  rateBits: epoch,
  rateExact: true,
  izyNats: 0.1 * epoch,
  izyBits: (0.1 * epoch) / Math.LN2,
  beta: 1e-3,
  klPerDimNats: [epoch, 2 * epoch],
  ...over,
});

describe('createMetricsSink', () => {
  it('delivers each record to listeners in order and builds series from them', () => {
    const sink = createMetricsSink();
    const seen: (number | null)[] = [];
    sink.subscribe((r) => seen.push(r?.epoch ?? null));
    sink.push(rec(1));
    sink.push(rec(2));
    expect(seen).toEqual([1, 2]);
    expect(sink.series('rateBits')).toEqual([[1, 1], [2, 2]]);
    expect(sink.series('testAccuracy')).toEqual([[1, rec(1).testAccuracy], [2, rec(2).testAccuracy]]);
    expect(sink.records().map((r) => r.klPerDimNats)).toEqual([[1, 2], [2, 4]]);
  });

  it('keeps its own copy, so a caller mutating its array cannot change what charts saw', () => {
    const sink = createMetricsSink();
    const kl = [0.5, 0.25];
    sink.push(rec(1, { klPerDimNats: kl }));
    kl[0] = 99;
    expect(sink.records()[0]!.klPerDimNats).toEqual([0.5, 0.25]);
  });

  it('rejects non-finite numbers and out-of-order epochs with a DataError naming the value', () => {
    const sink = createMetricsSink();
    expect(() => sink.push(rec(1, { rateNats: Number.NaN }))).toThrow(DataError);
    expect(() => sink.push(rec(1, { rateNats: Number.NaN }))).toThrow(/rateNats is NaN/);
    expect(() => sink.push(rec(1, { klPerDimNats: [0, Infinity] }))).toThrow(/dimension 1 is Infinity/);
    sink.push(rec(2));
    expect(() => sink.push(rec(2))).toThrow(/epoch 2 pushed after epoch 2/);
    expect(sink.records()).toHaveLength(1);
  });

  it('clears, tells listeners with null, and stops notifying after unsubscribe', () => {
    const sink = createMetricsSink();
    const seen: (number | null)[] = [];
    const off = sink.subscribe((r) => seen.push(r?.epoch ?? null));
    sink.push(rec(3));
    sink.clear();
    sink.push(rec(1));
    off();
    sink.push(rec(2));
    expect(seen).toEqual([3, null, 1]);
    expect(sink.records().map((r) => r.epoch)).toEqual([1, 2]);
  });
});
