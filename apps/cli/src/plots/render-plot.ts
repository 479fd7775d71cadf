import { CliError } from '../util/cli-error.js';

/** A Vega-Lite specification (kept loose: the vega-lite types are large and the specs here are small). */
export type VegaLiteSpec = Record<string, unknown>;

/** The files written for one plot. */
export interface RenderedPlot {
  /** SVG text. */
  readonly svg: string;
  /** PNG bytes. */
  readonly png: Uint8Array;
  /** PNG width in pixels. */
  readonly width: number;
  /** PNG height in pixels. */
  readonly height: number;
}

/**
 * Render a Vega-Lite spec to SVG (vega-lite → vega → SVG) and rasterize it to PNG with resvg.
 * The libraries are imported lazily so commands that draw nothing start fast.
 * @param spec - Vega-Lite spec with inline data
 * @param scale - PNG pixels per SVG unit (2 gives crisp images)
 * @returns SVG and PNG
 * @throws {@link CliError} when the spec does not compile
 */
export async function renderPlot(spec: VegaLiteSpec, scale = 2): Promise<RenderedPlot> {
  const vegaLite = await import('vega-lite');
  const vega = await import('vega');
  const { Resvg } = await import('@resvg/resvg-js');
  let svg: string;
  try {
    const compiled = vegaLite.compile({ background: 'white', ...spec } as never).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
    svg = await view.toSVG();
    view.finalize();
  } catch (e) {
    throw new CliError(`could not draw the plot "${String(spec['title'] ?? '')}": ${(e as Error).message}`, { cause: e });
  }
  const resvg = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } });
  const image = resvg.render();
  return { svg, png: new Uint8Array(image.asPng()), width: image.width, height: image.height };
}
