import { BOTTLENECK_LAYER, infoPlaneSpec } from '@vib/charts';
import { describe, expect, it } from 'vitest';
import { renderPlot } from './render-plot.js';
import { informationSpec, klPerDimSpec, type PlotEpoch } from './training-plots.js';

const epoch = (e: number, rateBits: number, izyBits: number): PlotEpoch => ({
  epoch: e, loss: 1, taskLoss: 1, testLoss: 1, trainAccuracy: 0.5, testAccuracy: 0.5, reconstructionNats: null, rateBits, izyBits, klPerDimNats: null,
});

describe('the CLI draws the information plane from the @vib/charts spec the web demo draws', () => {
  const history = [epoch(1, 4, 0.2), epoch(2, 3, 0.6), epoch(3, 2.5, 0.9)];

  it('vib train: the plane panel is the web demo\'s plane of the bottleneck bounds (same marks, axes and points)', async () => {
    const spec = informationSpec(history) as { hconcat: Record<string, unknown>[] };
    const panel = spec.hconcat[2] as Record<string, unknown>;
    // what the web demo's InfoPlane renders for these epochs (no hidden-layer estimates)
    const web = infoPlaneSpec(history.map((e) => ({ layer: BOTTLENECK_LAYER, epoch: e.epoch, ixtBits: e.rateBits, ityBits: e.izyBits ?? NaN })));
    expect(panel['encoding']).toEqual(web.encoding);
    expect(panel['layer']).toEqual(web.layer);
    expect(panel['data']).toEqual(web.data);
    const { svg } = await renderPlot(spec as Record<string, unknown>, 1);
    expect(svg).toContain('I(X;T), bits');
    expect(svg).toContain(BOTTLENECK_LAYER);
  });
});

describe('kl-per-dim', () => {
  it('says its split and keeps its rank labels only while they fit', async () => {
    const axis = (k: number) => ((klPerDimSpec(Array.from({ length: k }, (_, i) => i / 10)) as { encoding: { x: { axis: object } } }).encoding.x.axis);
    expect(axis(16)).toEqual({});
    expect(axis(32)).toEqual({ labels: false, ticks: false });
    const { svg } = await renderPlot(klPerDimSpec([0.5, 0.25]) as Record<string, unknown>, 1);
    expect(svg).toContain('last epoch, training mean');
  });
});
