import type { Dataset, Registry } from '@vib/core';
import * as tf from '@tensorflow/tfjs';
import { linearInterpolate, sphericalInterpolate } from '@vib/core';
import { decodePrediction, hidden, type VibModel } from '@vib/tasks';
import { ImageStrip } from '../charts/image-strip.js';
import { LineChart } from '../charts/line-chart.js';
import { loadDemoDataset } from '../engine/demo-data.js';
import { readScoped } from '../engine/scoped.js';
import { TrainingSession } from '../engine/training-session.js';
import { byId, setStatus } from './dom.js';

/** Steps drawn along the path. */
const STEPS = 11;

/**
 * The VAE walk: train a VAE on the digits (@vib/tasks' reconstruction task: the seeds' "VIB with label = x",
 * β = 1), then decode codes along the linear or the spherical path between two test digits.
 */
export class VaePanel {
  session: TrainingSession | null = null;
  readonly strip: ImageStrip;
  private readonly big: ImageStrip;
  private readonly from: ImageStrip;
  private readonly to: ImageStrip;
  /** ‖z‖ along both paths (what the spherical path is for). */
  readonly norms: LineChart;
  private readonly ends = byId('vae-ends', HTMLSelectElement);
  private readonly alphaValue = byId('vae-alpha-value', HTMLOutputElement);
  private readonly status = byId('vae-status', HTMLElement);
  private readonly alpha = byId('vae-alpha', HTMLInputElement);
  private readonly a = byId('vae-a', HTMLInputElement);
  private readonly b = byId('vae-b', HTMLInputElement);
  private readonly button = byId('vae-train', HTMLButtonElement);

  /**
   * @param registry - registry with the `mnist` dataset plugin
   * @param trainN - training digits to use
   */
  constructor(
    private readonly registry: Registry,
    private readonly trainN: number,
  ) {
    this.strip = new ImageStrip(byId('vae-strip', HTMLCanvasElement));
    this.big = new ImageStrip(byId('vae-big', HTMLCanvasElement));
    this.from = new ImageStrip(byId('vae-from', HTMLCanvasElement));
    this.to = new ImageStrip(byId('vae-to', HTMLCanvasElement));
    this.norms = new LineChart(byId('vae-norm', HTMLCanvasElement), { xLabel: 'α', yLabel: '‖z‖', xRange: [0, 1] });
    this.button.addEventListener('click', () => void this.train());
    for (const el of [this.alpha, this.a, this.b, this.ends, ...document.querySelectorAll<HTMLInputElement>('input[name=path]')]) {
      el.addEventListener('input', () => void this.draw());
    }
  }

  /**
   * Train (or keep training) the VAE for 5 epochs.
   * @returns epochs completed
   */
  async train(): Promise<number> {
    this.button.disabled = true;
    try {
      if (!this.session) {
        this.loaded = null;
        setStatus(this.status, 'Loading digits…');
        const data = await loadDemoDataset(this.registry, 'mnist', { maxTrain: this.trainN, maxTest: 200 });
        this.session = new TrainingSession(
          this.registry,
          data,
          {
            dataset: { name: 'mnist' },
            task: { name: 'reconstruction' },
            encoder: { hidden: [256], activation: 'relu' },
            latentDim: 8,
            optimizer: { learningRate: 2e-3 },
            batchSize: 64,
            evalSamples: 1,
          },
          1,
        );
        this.a.max = this.b.max = String(data.test.n - 1);
        // Start from two different digits.
        const other = data.test.y.findIndex((y) => y !== data.test.y[0]);
        this.b.value = String(Math.max(1, other));
      }
      const s = this.session;
      const done = await s.run(5, {
        onEpochEnd: (m) => {
          setStatus(this.status, `VAE epoch ${m.epoch}: test reconstruction ${(m.reconstructionNats ?? Number.NaN).toFixed(1)} nats/image (mean code), test rate ${m.testRateBits.toFixed(1)} bits`);
          return this.draw();
        },
      });
      return done.length;
    } catch (error) {
      setStatus(this.status, error instanceof Error ? error.message : String(error), true);
      throw error;
    } finally {
      this.button.disabled = false;
    }
  }

  /**
   * Walk a model loaded from files instead of the one trained here.
   * @param vm - a reconstruction model
   * @param data - its dataset
   */
  useModel(vm: VibModel, data: Dataset): void {
    this.session?.dispose();
    this.session = null;
    this.loaded = { model: vm, dataset: data };
    this.a.max = this.b.max = String(data.test.n - 1);
    setStatus(this.status, 'Walking the loaded model.');
    void this.draw();
  }

  private loaded: { model: VibModel; dataset: Dataset } | null = null;

  /** The two end codes: the chosen test digits' mean codes, or two fixed draws from N(0, I). */
  private async endCodes(vm: VibModel, test: Dataset['test']): Promise<[Float32Array, Float32Array] | string> {
    const k = vm.bottleneck.latentDim;
    if (this.ends.value === 'samples') {
      // Two draws from r(z) = N(0, I), the second made orthogonal to the first (as independent draws nearly are
      // when K is large; with K = 8 a raw pair can be far from it). Each keeps its own norm, near √K.
      const z = await readScoped(() => tf.randomNormal([2, k], 0, 1, 'float32', 7));
      const a = z.slice(0, k);
      const b = z.slice(k);
      const dot = a.reduce((s, v, i) => s + v * b[i]!, 0) / a.reduce((s, v) => s + v * v, 0);
      const nb = Math.hypot(...b);
      for (let i = 0; i < k; i++) b[i] = b[i]! - dot * a[i]!;
      const scale = nb / Math.hypot(...b);
      for (let i = 0; i < k; i++) b[i] = b[i]! * scale;
      return [a, b];
    }
    const f = vm.inputShape.reduce((a, b) => a * b, 1);
    const picks: number[] = [];
    for (const el of [this.a, this.b]) {
      const v = Number(el.value);
      if (!Number.isInteger(v) || v < 0 || v >= test.n) return `Test digit # must be a whole number from 0 to ${test.n - 1} (it is "${el.value}").`;
      picks.push(v);
    }
    const codeOf = (i: number): Promise<Float32Array> =>
      readScoped(() => vm.bottleneck.encode(hidden(vm, tf.tensor(test.x.subarray(i * f, (i + 1) * f), [1, ...vm.inputShape])), { training: false }).posterior.mean());
    return [await codeOf(picks[0]!), await codeOf(picks[1]!)];
  }

  /** Settles when the latest {@link VaePanel.draw} is on screen. */
  drawn: Promise<void> = Promise.resolve();
  private drawCount = 0;

  /**
   * Decode the path between the two ends and the point at α; draw ‖z‖ along both paths. Reads are
   * asynchronous (what WebGPU needs); only the latest of overlapping calls draws.
   * @returns a promise that settles when this call has drawn (or was superseded)
   */
  draw(): Promise<void> {
    const call = ++this.drawCount;
    this.drawn = this.drawNow(() => call === this.drawCount).catch((error: unknown) => setStatus(this.status, error instanceof Error ? error.message : String(error), true));
    return this.drawn;
  }

  private async drawNow(current: () => boolean): Promise<void> {
    const vm = this.session?.model ?? this.loaded?.model;
    const test = (this.session?.dataset ?? this.loaded?.dataset)?.test;
    const alpha = Number(this.alpha.value);
    this.alphaValue.textContent = alpha.toFixed(2);
    const digits = this.ends.value !== 'samples';
    this.a.disabled = this.b.disabled = !digits;
    if (!vm || !test) return;
    const f = vm.inputShape.reduce((a, b) => a * b, 1);
    const ends = await this.endCodes(vm, test);
    if (!current()) return;
    if (typeof ends === 'string') {
      setStatus(this.status, ends, true);
      return;
    }
    if (this.status.classList.contains('error')) setStatus(this.status, 'Walking.');
    const [z1, z2] = ends;
    const spherical = document.querySelector<HTMLInputElement>('input[name=path]:checked')?.value === 'spherical';
    const path = (sph: boolean, t: number): number[] => Array.from(sph ? sphericalInterpolate(z1, z2, (t * Math.PI) / 2) : linearInterpolate(z1, z2, t));
    const at = (t: number): number[] => path(spherical, t);
    const images = async (codes: number[][]): Promise<Float32Array[]> => {
      const flat = await readScoped(() => decodePrediction(vm, tf.tensor2d(codes)));
      return codes.map((_, i) => flat.slice(i * f, (i + 1) * f));
    };
    const [strip, big, [first, last]] = await Promise.all([images(Array.from({ length: STEPS }, (_, k) => at(k / (STEPS - 1)))), images([at(alpha)]), images([Array.from(z1), Array.from(z2)])]);
    if (!current()) return;
    this.strip.update(strip, Math.round(alpha * (STEPS - 1)));
    this.big.update(big);
    this.from.update([first!]);
    this.to.update([last!]);
    const norm = (v: number[]): number => Math.hypot(...v);
    const ts = Array.from({ length: 41 }, (_, i) => i / 40);
    this.norms.update([
      { label: 'linear', color: '#e15759', points: ts.map((t) => [t, norm(path(false, t))] as const) },
      { label: 'spherical', color: '#4e79a7', points: ts.map((t) => [t, norm(path(true, t))] as const) },
    ]);
  }
}
