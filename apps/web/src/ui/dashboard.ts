import { BarChart } from '../charts/bar-chart.js';
import { InfoPlane, infoPlaneData } from '../charts/info-plane.js';
import { LatentPlot } from '../charts/latent-plot.js';
import { LineChart } from '../charts/line-chart.js';
import type { MetricsSink } from '../metrics/metrics-sink.js';
import { byId } from './dom.js';

/** Legend of the training accuracy: measured on the training batches with one sampled code each. */
export const TRAIN_LABEL = 'train (sampled code)';
/** Legend of the test accuracy: measured with the posterior mean code. */
export const TEST_LABEL = 'test (mean code)';

/** Every chart of the classifier panel, fed from one metrics sink. */
export interface Dashboard {
  readonly plane: InfoPlane;
  readonly latent: LatentPlot;
  readonly accuracy: LineChart;
  readonly loss: LineChart;
  readonly kl: BarChart;
  /** Redraw everything (after a resize). */
  redraw(): void;
}

/**
 * Create the charts and subscribe them to the sink: each pushed epoch redraws the information plane,
 * accuracy, loss and per-dimension KL from the sink's records.
 * @param sink - where training reports
 * @returns the charts
 */
export function createDashboard(sink: MetricsSink): Dashboard {
  const plane = new InfoPlane(byId('chart-plane', HTMLDivElement));
  const latent = new LatentPlot(byId('chart-latent', HTMLCanvasElement));
  const accuracy = new LineChart(byId('chart-accuracy', HTMLCanvasElement), { xLabel: 'epoch', yLabel: 'accuracy', yRange: [0, 1] });
  const loss = new LineChart(byId('chart-loss', HTMLCanvasElement), { xLabel: 'epoch', yLabel: 'loss, nats' });
  const klNote = byId('kl-note', HTMLElement);
  const kl = new BarChart(byId('chart-kl', HTMLCanvasElement), 'latent dimension', 'KL, nats', '#59a14f');
  sink.subscribe((_record, all) => {
    plane.update(infoPlaneData(all));
    accuracy.update([
      { label: TRAIN_LABEL, color: '#8c7f77', points: all.map((r) => [r.epoch, r.trainAccuracy]) },
      { label: TEST_LABEL, color: '#4e79a7', points: all.map((r) => [r.epoch, r.testAccuracy]) },
    ]);
    loss.update([{ label: 'train loss', color: '#e15759', points: all.map((r) => [r.epoch, r.loss]) }]);
    const last = all.at(-1);
    // a KL without a closed form for this prior is a Monte Carlo estimate, not a bound: say so
    kl.yLabel = last?.rateExact === false ? 'KL, nats (Monte Carlo estimate)' : 'KL, nats';
    if (last && last.klPerDimNats.length === 0) {
      // No per-dimension split (a mixture prior): show the total, marked as the estimate it is.
      kl.update([last.rateNats]);
      klNote.textContent = `This prior's KL does not split by dimension: the bar is the total KL(p(z|x) ‖ r(z)) = ${last.rateNats.toFixed(3)} nats${last.rateExact === false ? ', a Monte Carlo estimate (one sample per example)' : ''}.`;
    } else {
      kl.update(last?.klPerDimNats ?? []);
      klNote.textContent = last?.rateExact === false ? 'Monte Carlo estimate.' : '';
    }
    if (all.length === 0) latent.update(null);
  });
  const redraw = (): void => {
    for (const c of [plane, latent, accuracy, loss, kl]) c.draw();
  };
  redraw();
  return { plane, latent, accuracy, loss, kl, redraw };
}
