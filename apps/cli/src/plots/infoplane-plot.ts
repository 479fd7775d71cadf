import type { VegaLiteSpec } from './render-plot.js';

/** One point of the information plane. */
export interface InfoPlanePoint {
  readonly activation: string;
  readonly estimator: string;
  readonly split: string;
  readonly layer: string;
  readonly epoch: number;
  readonly ixtBits: number;
  readonly ityBits: number;
}

/**
 * The information plane of Shwartz-Ziv & Tishby (2017): I(X;T) against I(T;Y) for each layer, one point
 * per recorded epoch coloured by epoch, each layer's path drawn as a line; one column per activation and one
 * row per estimator and split, so tanh and ReLU can be compared as in Saxe et al. (2018). Every panel shares
 * the same axes (all in bits), so a ReLU panel's range is not stretched to look like the tanh one's.
 * @param points - the recorded points
 * @returns a Vega-Lite spec
 */
export function infoPlaneSpec(points: readonly InfoPlanePoint[]): VegaLiteSpec {
  const values = points.map((p) => ({ ...p, panel: `${p.estimator}, ${p.split}` }));
  return {
    title: 'Information plane (bits)',
    data: { values },
    facet: { row: { field: 'panel', type: 'nominal', title: null }, column: { field: 'activation', type: 'nominal', title: null } },
    spec: {
      width: 300,
      height: 220,
      layer: [
        { mark: { type: 'line', opacity: 0.4, color: 'gray' }, encoding: { detail: { field: 'layer' }, order: { field: 'epoch', type: 'quantitative' } } },
        {
          mark: { type: 'point', filled: true, size: 30 },
          encoding: {
            color: { field: 'epoch', type: 'quantitative', scale: { scheme: 'viridis' } },
            shape: { field: 'layer', type: 'nominal' },
          },
        },
      ],
      encoding: {
        x: { field: 'ixtBits', type: 'quantitative', title: 'I(X;T) (bits)' },
        y: { field: 'ityBits', type: 'quantitative', title: 'I(T;Y) (bits)' },
      },
    },
    resolve: { scale: { x: 'shared', y: 'shared' } },
  };
}
