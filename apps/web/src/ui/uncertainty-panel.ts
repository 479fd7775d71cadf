import { histogram, natsToBits, quantile, type Dataset, type DataSplit, type Histogram } from '@vib/core';
import { scoreHistogramSpec } from '@vib/charts';
import { mnistStyleDigit } from '@vib/data';
import { uncertaintyScores, type VibModel } from '@vib/tasks';
import { ImageStrip } from '../charts/image-strip.js';
import { VegaChart } from '../charts/vega-chart.js';
import { byId, setStatus } from './dom.js';
import { DrawPad, PAD_SIDE } from './draw-pad.js';

/** Training digits whose rates form the reference histogram. */
const REFERENCE = 500;
/** S of the predictive for the scored digit. */
const SAMPLES = 12;

/** What the panel last showed (for tests and the curious). */
export interface UncertaintyView {
  /** Rates of the reference training inputs, bits. */
  readonly trainRatesBits: readonly number[];
  /** Their histogram (30 bins). */
  readonly histogram: Histogram | null;
  /** Their median, bits. */
  readonly medianRateBits: number | null;
  /** The scored input: where it came from, its rate and predictive entropy in bits, and its confidence max_y q(y|x). */
  readonly digit: { readonly source: string; readonly rateBits: number; readonly entropyBits: number; readonly maxProb: number } | null;
}

/** The classifier and data the panel scores with (null before training). */
export type UncertaintySource = () => { readonly model: VibModel | null; readonly data: Dataset | null };

/**
 * The uncertainty panel (Alemi, Fischer & Dillon 2018): the rate KL(p(z|x) ‖ r(z)) and the predictive entropy of
 * one input, drawn by the visitor (laid out as MNIST's digits are) or picked from the data, against the histogram
 * of the rates of the training digits. Every number comes from @vib/tasks' `uncertaintyScores`.
 */
export class UncertaintyPanel {
  /** What was last shown. */
  view: UncertaintyView = { trainRatesBits: [], histogram: null, medianRateBits: null, digit: null };
  /** The drawing pad. */
  readonly pad: DrawPad;
  private readonly preview: ImageStrip;
  private readonly chart: VegaChart;
  private readonly chartEl = byId('unc-hist', HTMLDivElement);
  private readonly status = byId('unc-status', HTMLElement);
  private readonly set = byId('unc-set', HTMLSelectElement);
  private readonly index = byId('unc-index', HTMLInputElement);
  private pending: Promise<void> = Promise.resolve();

  /** @param source - the current classifier and its data */
  constructor(private readonly source: UncertaintySource) {
    this.pad = new DrawPad(byId('unc-pad', HTMLCanvasElement));
    this.preview = new ImageStrip(byId('unc-preview', HTMLCanvasElement));
    this.chart = new VegaChart(this.chartEl);
    byId('unc-clear', HTMLButtonElement).addEventListener('click', () => this.pad.clear());
    byId('unc-noise', HTMLButtonElement).addEventListener('click', () => this.pad.noise());
    byId('unc-score-draw', HTMLButtonElement).addEventListener('click', () => void this.scoreDrawing());
    byId('unc-score-pick', HTMLButtonElement).addEventListener('click', () => void this.scorePick());
  }

  /**
   * Score the drawing (laid out as an MNIST digit).
   * @returns when shown
   */
  scoreDrawing(): Promise<void> {
    const x = mnistStyleDigit(this.pad.ink, PAD_SIDE, PAD_SIDE);
    return this.score(x, this.pad.isBlank() ? 'blank drawing' : 'your drawing', true);
  }

  /**
   * Score the picked training or test input.
   * @returns when shown
   */
  scorePick(): Promise<void> {
    const data = this.source().data;
    if (!data) return this.fail('Load the data and train the classifier first.');
    const split = this.set.value === 'train' ? data.train : data.test;
    const i = Number(this.index.value);
    if (!Number.isInteger(i) || i < 0 || i >= split.n) return this.fail(`Pick a ${this.set.value} input from 0 to ${split.n - 1} (it is "${this.index.value}").`);
    const f = split.x.length / split.n;
    return this.score(split.x.slice(i * f, (i + 1) * f), `${this.set.value} input #${i}`, false);
  }

  private fail(text: string): Promise<void> {
    setStatus(this.status, text, true);
    return Promise.resolve();
  }

  private score(x: Float32Array, label: string, drawn: boolean): Promise<void> {
    this.pending = this.pending.then(async () => {
      const { model, data } = this.source();
      if (!model || !data) return void setStatus(this.status, 'Train the classifier first (or load one): the panel scores inputs with it.', true);
      if (!model.task.views.includes('latent-codes')) return void setStatus(this.status, 'The panel needs a classifier: its rate and predictive entropy are about q(y|x).', true);
      const size = model.inputShape.reduce((a, b) => a * b, 1);
      if (drawn && size !== 28 * 28) return void setStatus(this.status, 'Drawing needs a model of 28 × 28 digits; pick an input of this dataset instead.', true);
      setStatus(this.status, 'Scoring…');
      const refN = Math.min(REFERENCE, data.train.n);
      const reference: DataSplit = { x: data.train.x.subarray(0, refN * size), y: data.train.y.subarray(0, refN), n: refN };
      const ref = await uncertaintyScores(model, reference, { samples: 1, seed: 0 });
      const one = await uncertaintyScores(model, { x, y: new Int32Array(1), n: 1 }, { samples: SAMPLES, seed: 0 });
      const trainRatesBits = Array.from(ref.rateNats, natsToBits);
      const digit = { source: label, rateBits: natsToBits(one.rateNats[0] ?? NaN), entropyBits: natsToBits(one.entropyNats[0] ?? NaN), maxProb: one.maxProb[0] ?? NaN };
      const hist = histogram(trainRatesBits, 30);
      const median = quantile(trainRatesBits, 0.5);
      this.view = { trainRatesBits, histogram: hist, medianRateBits: median, digit };
      if (size === 28 * 28) this.preview.update([x]);
      const summary = `${label}: rate ${digit.rateBits.toFixed(2)} bits (median of ${refN} training inputs ${median.toFixed(2)} bits, range ${hist.min.toFixed(2)}–${hist.max.toFixed(2)}); predictive entropy ${digit.entropyBits.toFixed(2)} bits; confidence ${digit.maxProb.toFixed(2)}.`;
      setStatus(this.status, summary);
      await this.chart.render(
        scoreHistogramSpec(hist, { scoreTitle: 'rate KL(p(z|x) ‖ r(z)), bits', countTitle: 'training inputs', marked: { value: digit.rateBits, label }, width: Math.max(240, (this.chartEl.clientWidth || 420) - 60) }),
        `Histogram of the rates of ${refN} training inputs, with ${summary}`,
      );
    }).catch((e: unknown) => setStatus(this.status, e instanceof Error ? e.message : String(e), true));
    return this.pending;
  }
}
