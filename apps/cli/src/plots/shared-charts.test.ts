import { BOTTLENECK_LAYER, infoPlaneSpec } from '@vib/charts';
import { describe, expect, it } from 'vitest';
import { renderPlot } from './render-plot.js';
import { robustnessSpec } from './robustness-plot.js';
import { informationSpec, klPerDimSpec, type PlotEpoch } from './training-plots.js';

const epoch = (e: number, rateBits: number, izyBits: number): PlotEpoch => ({
  epoch: e, loss: 1, taskLoss: 1, testLoss: 1, trainAccuracy: 0.5, testAccuracy: 0.5, reconstructionNats: null, rateBits, izyBits, klPerDimNats: null,
});

describe('the CLI draws the information plane from the @vib/charts spec the web demo draws', () => {
  const history = [epoch(1, 4, 0.2), epoch(2, 3, 0.6), epoch(3, 2.5, 0.9)];

  it('vib train: the plane panel is the web demo\'s plane of the bottleneck bounds (same marks and points), its axes naming the bounds', async () => {
    const spec = informationSpec(history) as { hconcat: Record<string, unknown>[] };
    const panel = spec.hconcat[2] as { encoding: { x: Record<string, unknown>; y: Record<string, unknown> } } & Record<string, unknown>;
    // what the web demo's InfoPlane renders for these epochs (no hidden-layer estimates)
    const web = infoPlaneSpec(history.map((e) => ({ layer: BOTTLENECK_LAYER, epoch: e.epoch, ixtBits: e.rateBits, ityBits: e.izyBits ?? NaN })));
    expect(panel['layer']).toEqual(web.layer);
    expect(panel['data']).toEqual(web.data);
    expect({ ...panel.encoding.x, title: null }).toEqual({ ...web.encoding.x, title: null });
    expect({ ...panel.encoding.y, title: null }).toEqual({ ...web.encoding.y, title: null });
    // the web plane also holds hidden layers' estimates of I(X;T); this one only the rate and the H(Y) − CE bound
    expect([panel.encoding.x['title'], panel.encoding.y['title']]).toEqual(['rate ≥ I(X;Z), bits', 'H(Y) − CE ≤ I(Z;Y), bits']);
    expect([web.encoding.x.title, web.encoding.y.title]).toEqual(['I(X;T), bits', 'I(T;Y), bits']);
    const { svg } = await renderPlot(spec as Record<string, unknown>, 1);
    expect(svg).toContain('rate ≥ I(X;Z), bits');
    expect(svg).not.toContain('I(X;T), bits');
    expect(svg).toContain(BOTTLENECK_LAYER);
  });

  it('vib robustness: the legend names S, not the placeholder "S samples"', () => {
    const spec = robustnessSpec([{ label: 'a', points: [{ epsilon: 0, accuracyMean: 1, accuracySampled: 1, successMean: 0, successSampled: 0 }] }], 'fgsm', 12) as { data: { values: { predictive: string }[] } };
    expect(spec.data.values.map((v) => v.predictive)).toEqual(['mean code', '12 samples']);
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
