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
   * @param label - what the chart shows, in words, for screen readers: the container's `aria-label` at once, and
   *   the spec's `description`, which vega writes over the container's label when it renders (else it says "Vega
   *   visualization")
   * @returns when drawn
   */
  render(spec: object, label?: string): Promise<void> {
    if (label !== undefined) this.el.setAttribute('aria-label', label);
    const described = label === undefined ? spec : { ...spec, description: label };
    this.pending = this.pending.then(async () => {
      const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
      const compiled = vegaLite.compile(described as never).spec;
      this.view?.finalize();
      const view = new vega.View(vega.parse(compiled), { renderer: 'svg', container: this.el, hover: true });
      this.view = view;
      await view.runAsync();
    });
    return this.pending;
  }
}
