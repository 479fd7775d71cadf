/** One point of an information plane: a layer (or the bottleneck) at an epoch, in bits. */
export interface PlaneSpecPoint {
  /** Layer name; the bottleneck's bounds use `Z (bounds)`. */
  readonly layer: string;
  /** Epoch, from 1 (the colour). */
  readonly epoch: number;
  /** I(X;T) (a layer's estimate, or the rate bound for Z), bits. */
  readonly ixtBits: number;
  /** I(T;Y) (a layer's estimate, or the H(Y) − CE bound for Z), bits. */
  readonly ityBits: number;
}

/** Name of the bottleneck's trajectory on the plane: its bounds (rate, H(Y) − CE), not a layer's estimate. */
export const BOTTLENECK_LAYER = 'Z (bounds)';

/** Options of {@link infoPlaneSpec} and {@link infoPlanePanel}. */
export interface PlaneSpecOptions {
  /** Width in pixels, or `container`. */
  readonly width?: number | 'container';
  /** Height in pixels (default 300). */
  readonly height?: number;
  /** Last epoch of the colour scale (default the data's last epoch). */
  readonly maxEpoch?: number;
  /** A title above the plane (default none). */
  readonly title?: string;
  /**
   * Axis titles (default `I(X;T), bits` and `I(T;Y), bits`). A plane of the bottleneck's bounds alone can say what
   * its points are, e.g. `rate ≥ I(X;Z), bits` and `H(Y) − CE ≤ I(Z;Y), bits`.
   */
  readonly axisTitles?: { readonly x?: string; readonly y?: string };
  /**
   * log2 n for estimates of I(X;T) made on n distinct inputs (X uniform over them): I(X;T) ≤ H(X) = log2 n, and a
   * layer's estimate at that line gives every input a bin (or kernel) of its own, so it shows no compression (Saxe et
   * al. 2018). Drawn as a dashed vertical line with its value; none when omitted. A rate bound (the bottleneck's
   * points) can lie beyond it: it bounds I(X;Z) from above and is loose there.
   */
  readonly ixtCeilingBits?: number;
}

/**
 * How close to its ceiling log2 n an I(X;T) estimate must come, in bits, to sit at it: binning's H(T) of n distinct
 * patterns is log2 n to rounding (~1e-12); a KDE bound gets there once the kernels no longer overlap.
 */
export const IXT_CEILING_SLACK_BITS = 1e-6;

/**
 * Whether an I(X;T) estimate sits at its ceiling log2 n, where every input has a bin (or kernel) of its own: the
 * estimate is H(X) and shows no compression (Saxe et al. 2018).
 * @param ixtBits - the estimate
 * @param ceilingBits - log2 n
 * @returns true within {@link IXT_CEILING_SLACK_BITS} of the ceiling
 * @example
 * ```ts
 * atIxtCeiling(12 - 1e-9, 12); // true
 * ```
 */
export function atIxtCeiling(ixtBits: number, ceilingBits: number): boolean {
  return ixtBits >= ceilingBits - IXT_CEILING_SLACK_BITS;
}

/** A dashed vertical line at I(X;T) = log2 n across the whole plane, labelled with its value. */
function ceilingMarks(bits: number) {
  const label = `log₂ n = ${Number(bits.toFixed(2))} bits: I(X;T) ≤ H(X)`;
  const x = { datum: bits, type: 'quantitative' } as const;
  return [
    {
      mark: { type: 'rule', strokeDash: [5, 4], color: '#b4462d', strokeWidth: 1.2 },
      encoding: { x, y: { value: 0 }, y2: { value: 'height' } },
    },
    {
      // at the foot of the line: the points gather near the top (I(T;Y) near H(Y)) as training goes on
      mark: { type: 'text', align: 'right', baseline: 'bottom', dx: -4, dy: -4, fontSize: 10, color: '#b4462d' },
      encoding: { x, y: { value: 'height' }, text: { value: label } },
    },
  ] as const;
}

/**
 * The plane's marks and axes, without data or size: every layer's trajectory in one pair of axes (shared
 * scales), I(X;T) across and I(T;Y) up in bits, each point coloured by its epoch (viridis, dark → light), each
 * layer a line of its own with its own point shape: the marks of the single plane and of its panel form.
 */
function planeMarks(layers: readonly string[], maxEpoch: number, axisTitles: PlaneSpecOptions['axisTitles'] = {}) {
  return {
    encoding: {
      x: { field: 'ixtBits', type: 'quantitative', title: axisTitles.x ?? 'I(X;T), bits', scale: { zero: true, nice: true } },
      y: { field: 'ityBits', type: 'quantitative', title: axisTitles.y ?? 'I(T;Y), bits', scale: { zero: true, nice: true } },
    },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 1.5, opacity: 0.55 },
        encoding: {
          detail: { field: 'layer', type: 'nominal' },
          strokeDash: { field: 'layer', type: 'nominal', title: 'layer', scale: { domain: [...layers] }, legend: { orient: 'right' } },
          color: { value: '#888' },
          order: { field: 'epoch', type: 'quantitative' },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 55, stroke: '#222', strokeWidth: 0.4, opacity: 0.95 },
        encoding: {
          color: { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { scheme: 'viridis', domain: [1, maxEpoch] }, legend: { orient: 'right', gradientLength: 120 } },
          shape: { field: 'layer', type: 'nominal', title: 'layer', scale: { domain: [...layers] }, legend: { orient: 'right' } },
          tooltip: [
            { field: 'layer', type: 'nominal' },
            { field: 'epoch', type: 'quantitative' },
            { field: 'ixtBits', type: 'quantitative', title: 'I(X;T) bits', format: '.3f' },
            { field: 'ityBits', type: 'quantitative', title: 'I(T;Y) bits', format: '.3f' },
          ],
        },
      },
    ],
  } as const;
}

/** The layers in order of first appearance, and the last epoch of the colour scale (at least 2, so a one-epoch plane still gets a readable legend). */
function layersAndEpochs(points: readonly PlaneSpecPoint[], maxEpoch: number | undefined) {
  return {
    layers: [...new Set(points.map((p) => p.layer))],
    maxEpoch: Math.max(2, maxEpoch ?? Math.max(1, ...points.map((p) => p.epoch))),
  };
}

/**
 * One information plane as a Vega-Lite unit (data, size, marks), to place inside a larger chart (`hconcat`,
 * `vconcat`): as Shwartz-Ziv & Tishby (2017) draw it, see {@link infoPlaneSpec}. It has no top-level-only
 * properties (`$schema`, `autosize`, `background`).
 * @param points - the points, any order
 * @param options - size, colour range and title
 * @returns the Vega-Lite unit spec
 * @example
 * ```ts
 * const plane = infoPlanePanel([{ layer: BOTTLENECK_LAYER, epoch: 1, ixtBits: 3.1, ityBits: 0.9 }], { width: 380 });
 * const chart = { hconcat: [plane] };
 * ```
 */
export function infoPlanePanel(points: readonly PlaneSpecPoint[], options: PlaneSpecOptions = {}) {
  const { layers, maxEpoch } = layersAndEpochs(points, options.maxEpoch);
  const marks = planeMarks(layers, maxEpoch, options.axisTitles);
  return {
    ...(options.title === undefined ? {} : { title: options.title }),
    width: options.width ?? 420,
    height: options.height ?? 300,
    data: { values: points.map((p) => ({ ...p })) },
    ...marks,
    layer: options.ixtCeilingBits === undefined ? marks.layer : ([...marks.layer, ...ceilingMarks(options.ixtCeilingBits)] as const),
  };
}

/**
 * A Vega-Lite spec of the information plane as Shwartz-Ziv & Tishby (2017) draw it: every layer's
 * trajectory in one pair of axes (shared scales), I(X;T) across and I(T;Y) up in bits, each point
 * coloured by its epoch (viridis, dark → light), each layer a line of its own with its own point shape.
 * Plain data in, plain JSON out: the same spec renders in the browser (vega-embed or vega's View) and in
 * Node (the CLI's vega → SVG → PNG).
 * @param points - the points, any order
 * @param options - size, colour range and title
 * @returns the Vega-Lite spec
 * @example
 * ```ts
 * infoPlaneSpec([{ layer: 'layer 1', epoch: 1, ixtBits: 9.1, ityBits: 0.4 }]).encoding.x.title; // 'I(X;T), bits'
 * ```
 */
export function infoPlaneSpec(points: readonly PlaneSpecPoint[], options: PlaneSpecOptions = {}) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    autosize: { type: 'fit', contains: 'padding' },
    background: null,
    ...infoPlanePanel(points, options),
  } as const;
}
