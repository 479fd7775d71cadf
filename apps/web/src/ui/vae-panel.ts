import type { Dataset, Registry } from '@vib/core';
import * as tf from '@tensorflow/tfjs';
import { linearInterpolate, sphericalInterpolate } from '@vib/core';
import { decodePrediction, hidden, type VibModel } from '@vib/tasks';
import { ImageStrip } from '../charts/image-strip.js';
import { loadDemoDataset } from '../engine/demo-data.js';
import { scoped } from '../engine/scoped.js';
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
    this.button.addEventListener('click', () => void this.train());
    for (const el of [this.alpha, this.a, this.b, ...document.querySelectorAll<HTMLInputElement>('input[name=path]')]) {
      el.addEventListener('input', () => this.draw());
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
          setStatus(this.status, `VAE epoch ${m.epoch}: reconstruction ${(m.reconstructionNats ?? Number.NaN).toFixed(1)} nats/image, rate ${m.rateBits.toFixed(1)} bits`);
          this.draw();
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
    this.draw();
  }

  private loaded: { model: VibModel; dataset: Dataset } | null = null;

  /** Decode the path between the two chosen digits and the point at α. */
  draw(): void {
    const vm = this.session?.model ?? this.loaded?.model;
    const test = (this.session?.dataset ?? this.loaded?.dataset)?.test;
    if (!vm || !test) return;
    const f = vm.inputShape.reduce((a, b) => a * b, 1);
    const pick = (el: HTMLInputElement): number => Math.min(test.n - 1, Math.max(0, Number(el.value) | 0));
    const codeOf = (i: number): Float32Array =>
      scoped(() => vm.bottleneck.encode(hidden(vm, tf.tensor(test.x.subarray(i * f, (i + 1) * f), [1, ...vm.inputShape])), { training: false }).posterior.mean().dataSync() as Float32Array);
    const z1 = codeOf(pick(this.a));
    const z2 = codeOf(pick(this.b));
    const spherical = document.querySelector<HTMLInputElement>('input[name=path]:checked')?.value === 'spherical';
    const at = (t: number): number[] => Array.from(spherical ? sphericalInterpolate(z1, z2, (t * Math.PI) / 2) : linearInterpolate(z1, z2, t));
    const images = (codes: number[][]): Float32Array[] =>
      scoped(() => {
        const flat = decodePrediction(vm, tf.tensor2d(codes)).dataSync() as Float32Array;
        return codes.map((_, i) => flat.slice(i * f, (i + 1) * f));
      });
    const alpha = Number(this.alpha.value);
    this.strip.update(images(Array.from({ length: STEPS }, (_, k) => at(k / (STEPS - 1)))), Math.round(alpha * (STEPS - 1)));
    this.big.update(images([at(alpha)]));
  }
}
