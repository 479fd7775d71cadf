/**
 * A Vega-Lite chart in a container element, rendered as SVG by vega (loaded on first use, in its own chunk).
 * Redraws replace the previous view.
 */
export class VegaChart {
  private view: { finalize(): void } | null = null;
  private pending: Promise<void> = Promise.resolve();

  /** @param el - the container */
  constructor(private readonly el: HTMLElement) {}

  /**
   * Render a spec (calls are serialized; the last one wins).
   * @param spec - a Vega-Lite spec with inline data
   * @returns when drawn
   */
  render(spec: object): Promise<void> {
    this.pending = this.pending.then(async () => {
      const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
      const compiled = vegaLite.compile(spec as never).spec;
      this.view?.finalize();
      const view = new vega.View(vega.parse(compiled), { renderer: 'svg', container: this.el, hover: true });
      this.view = view;
      await view.runAsync();
    });
    return this.pending;
  }
}
