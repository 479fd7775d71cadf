import { DataError } from '@vib/core';
import type { EpochRecord } from './epoch-record.js';

/** A listener told about every record pushed, and about clears (with `null`). */
export type MetricsListener = (record: EpochRecord | null, all: readonly EpochRecord[]) => void;

/** The numeric fields of {@link EpochRecord} that can be drawn as a series. */
export type SeriesKey = 'loss' | 'trainAccuracy' | 'testAccuracy' | 'rateNats' | 'rateBits' | 'izyNats' | 'izyBits' | 'beta';

/** Where training reports per-epoch metrics, and where every chart reads them from. */
export interface MetricsSink {
  /**
   * Record one epoch and notify the listeners.
   * @param record - the epoch's metrics
   * @throws {@link DataError} when a number is not finite or the epoch does not follow the last one
   */
  push(record: EpochRecord): void;
  /** Forget every record (a new model) and notify the listeners with `null`. */
  clear(): void;
  /**
   * All records so far, oldest first.
   * @returns a copy of the records
   */
  records(): readonly EpochRecord[];
  /**
   * One field over the epochs, as [epoch, value] pairs.
   * @param key - the field
   * @returns the series
   */
  series(key: SeriesKey): [number, number][];
  /**
   * Listen for records.
   * @param listener - called after each push and clear
   * @returns a function that removes the listener
   */
  subscribe(listener: MetricsListener): () => void;
}

const SERIES_KEYS: readonly SeriesKey[] = ['loss', 'trainAccuracy', 'testAccuracy', 'rateNats', 'rateBits', 'izyNats', 'izyBits', 'beta'];

function check(record: EpochRecord, last: EpochRecord | undefined): void {
  for (const k of SERIES_KEYS) {
    if (!Number.isFinite(record[k])) {
      throw new DataError(`epoch ${record.epoch}: ${k} is ${record[k]}, not a finite number; the run diverged — lower the learning rate or β and retrain`);
    }
  }
  const bad = record.klPerDimNats.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new DataError(`epoch ${record.epoch}: KL of latent dimension ${bad} is ${record.klPerDimNats[bad]}; expected a finite number of nats`);
  if (last !== undefined && record.epoch <= last.epoch) {
    throw new DataError(`epoch ${record.epoch} pushed after epoch ${last.epoch}; epochs must increase (clear the sink when starting a new model)`);
  }
}

/**
 * Create an empty metrics sink.
 * @returns the sink
 * @example
 * ```ts
 * const sink = createMetricsSink();
 * sink.subscribe((r) => console.log(r?.testAccuracy));
 * sink.push(record);
 * ```
 */
export function createMetricsSink(): MetricsSink {
  const all: EpochRecord[] = [];
  const listeners = new Set<MetricsListener>();
  const notify = (r: EpochRecord | null): void => {
    for (const l of [...listeners]) l(r, all);
  };
  return {
    push(record) {
      check(record, all.at(-1));
      const frozen: EpochRecord = Object.freeze({ ...record, klPerDimNats: Object.freeze([...record.klPerDimNats]) });
      all.push(frozen);
      notify(frozen);
    },
    clear() {
      all.length = 0;
      notify(null);
    },
    records: () => [...all],
    series: (key) => all.map((r) => [r.epoch, r[key]]),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
