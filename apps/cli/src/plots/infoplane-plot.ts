import { infoPlaneGridSpec } from '@vib/charts';
import { averageTrajectories } from '@vib/core';
import type { VegaLiteSpec } from './render-plot.js';

/** One point of the information plane, measured with one seed. */
export interface InfoPlanePoint {
  readonly activation: string;
  readonly estimator: string;
  readonly split: string;
  readonly layer: string;
  readonly seed: number;
  readonly epoch: number;
  readonly ixtBits: number;
  readonly ityBits: number;
  /** Figures an estimator gives besides I(X;T) and I(T;Y), in nats (a plugin's `extraNats`), where it gives any. */
  readonly extraNats?: Readonly<Record<string, number>>;
}

/** The fields that name one trajectory besides its seed. */
export const TRAJECTORY_KEYS = ['activation', 'estimator', 'split', 'layer'] as const;

/**
 * Average the per-seed points of each trajectory (activation, estimator, split, layer) per epoch: mean and sample sd.
 * @param points - per-seed points
 * @returns the averaged trajectories
 */
export function averagePlane(points: readonly InfoPlanePoint[]) {
  return averageTrajectories(points, [...TRAJECTORY_KEYS]);
}

/**
 * The information plane of Shwartz-Ziv & Tishby (2017) averaged over seeds: I(X;T) against I(T;Y) for each layer,
 * one point per recorded epoch coloured by epoch with ± 1 sd bars over seeds, each layer's path drawn as a line;
 * one column per activation and one row per estimator and split, so tanh and ReLU can be compared as in Saxe et al.
 * (2018). Every panel shares the same axes in bits, fixed to [0, log2 n] and [0, log2 C].
 * @param points - the per-seed points
 * @param limits - n, the number of inputs measured (I(X;T) ≤ log2 n), and C, the number of classes (I(T;Y) ≤ log2 C)
 * @returns a Vega-Lite spec
 */
export function infoPlaneSpec(points: readonly InfoPlanePoint[], limits: { readonly inputs: number; readonly classes: number }): VegaLiteSpec {
  const averaged = averagePlane(points);
  const rows = new Set(averaged.map((p) => `${p.estimator}, ${p.split}`));
  const seeds = new Set(points.map((p) => p.seed)).size;
  return infoPlaneGridSpec(
    averaged.map((p) => ({ ...p, column: p.activation, ...(rows.size > 1 ? { row: `${p.estimator}, ${p.split}` } : {}) })),
    {
      ixtMaxBits: Math.log2(limits.inputs),
      ityMaxBits: Math.log2(limits.classes),
      title: 'Information plane (bits)',
      subtitle: `${limits.inputs} inputs${seeds > 1 ? `, mean ± sd over ${seeds} seeds` : ''}${rows.size === 1 ? `; ${[...rows][0]}` : ''}`,
    },
  ) as unknown as VegaLiteSpec;
}
