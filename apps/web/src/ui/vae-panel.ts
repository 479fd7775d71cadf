import type { Registry } from '@vib/core';
import { linearInterpolate, sphericalInterpolate } from '@vib/core';
import { ImageStrip } from '../charts/image-strip.js';
import { loadDemoDataset } from '../engine/demo-data.js';
import { VaeSession } from '../engine/vae-session.js';
import { byId, setStatus } from './dom.js';

/** Steps drawn along the path. */
const STEPS = 11;

/** The VAE walk: train a VAE on the digits, then decode codes along a linear or spherical path. */
export class VaePanel {
  session: VaeSession | null = null;
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
        setStatus(this.status, 'Loading digits…');
        const data = await loadDemoDataset(this.registry, 'mnist', { maxTrain: this.trainN, maxTest: 200 });
        this.session = new VaeSession(data, 8, 1);
        this.a.max = this.b.max = String(data.test.n - 1);
      }
      const s = this.session;
      const done = await s.run(5, (e) => {
        setStatus(this.status, `VAE epoch ${e.epoch}: reconstruction ${e.reconstructionNats.toFixed(1)} nats/image, rate ${e.rateBits.toFixed(1)} bits`);
        this.draw();
      });
      return done.length;
    } catch (error) {
      setStatus(this.status, error instanceof Error ? error.message : String(error), true);
      throw error;
    } finally {
      this.button.disabled = false;
    }
  }

  /** Decode the path between the two chosen digits and the point at α. */
  draw(): void {
    const s = this.session;
    if (!s) return;
    const n = s.data.test.n;
    const i = Math.min(n - 1, Math.max(0, Number(this.a.value) | 0));
    const j = Math.min(n - 1, Math.max(0, Number(this.b.value) | 0));
    const z1 = s.codeOf(i);
    const z2 = s.codeOf(j);
    const spherical = document.querySelector<HTMLInputElement>('input[name=path]:checked')?.value === 'spherical';
    const at = (t: number): number[] =>
      Array.from(spherical ? sphericalInterpolate(z1, z2, (t * Math.PI) / 2) : linearInterpolate(z1, z2, t));
    const codes = Array.from({ length: STEPS }, (_, k) => at(k / (STEPS - 1)));
    const alpha = Number(this.alpha.value);
    this.strip.update(s.decode(codes), Math.round(alpha * (STEPS - 1)));
    this.big.update(s.decode([at(alpha)]));
  }
}
