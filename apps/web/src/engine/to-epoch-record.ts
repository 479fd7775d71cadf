import { DataError } from '@vib/core';
import type { EpochMetrics } from '@vib/tasks';
import type { EpochRecord, LayerInformation } from '../metrics/epoch-record.js';

/**
 * The charts' view of @vib/tasks' epoch metrics of a classifier (numbers passed through unchanged).
 * @param m - metrics from `train`
 * @param layers - per-layer binning estimates, when computed
 * @returns the record
 * @throws {@link DataError} when the metrics lack a classifier's accuracy or I(Z;Y) bound
 */
export function toEpochRecord(m: EpochMetrics, layers?: readonly LayerInformation[]): EpochRecord {
  if (m.testAccuracy === null || m.trainAccuracy === null || m.izyNats === null || m.izyBits === null) {
    throw new DataError(`epoch ${m.epoch} has no accuracy or I(Z;Y) bound: the classifier panel needs a classification task`);
  }
  return {
    epoch: m.epoch,
    loss: m.loss,
    trainAccuracy: m.trainAccuracy,
    testAccuracy: m.testAccuracy,
    rateNats: m.rateNats,
    rateBits: m.rateBits,
    rateExact: m.rateExact,
    izyNats: m.izyNats,
    izyBits: m.izyBits,
    beta: m.beta,
    klPerDimNats: m.klPerDimNats ?? [],
    ...(layers ? { layers } : {}),
  };
}
