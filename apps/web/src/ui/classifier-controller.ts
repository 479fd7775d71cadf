import type { Dataset, Registry } from '@vib/core';
import { useBackend, type UsedBackend } from '../engine/browser-backends.js';
import type { BrowserBackendName } from '../engine/browser-backends-names.js';
import type { VibModel } from '@vib/tasks';
import { loadDemoDataset, type DemoDatasetName } from '../engine/demo-data.js';
import { projectedLatentPicture } from '../engine/latent-projection.js';
import { hiddenLayerInformation, latentPicture } from '../engine/model-views.js';
import { toEpochRecord } from '../engine/to-epoch-record.js';
import { demoExperiment } from '../engine/demo-experiment.js';
import { TrainingSession } from '../engine/training-session.js';
import type { MetricsSink } from '../metrics/metrics-sink.js';
import type { Dashboard } from './dashboard.js';
import { byId, setStatus } from './dom.js';
import { DEFAULT_PARAMS, type DemoParams } from './params.js';

/** Resolve after the browser has painted a frame. */
function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/** The controls of the classifier panel, read on demand. */
interface Controls {
  backend: HTMLSelectElement;
  dataset: HTMLSelectElement;
  trainN: HTMLInputElement;
  prior: HTMLSelectElement;
  k: HTMLInputElement;
  deterministic: HTMLInputElement;
  beta: HTMLInputElement;
  betaValue: HTMLOutputElement;
  epochs: HTMLInputElement;
  train: HTMLButtonElement;
  stop: HTMLButtonElement;
  reset: HTMLButtonElement;
  progress: HTMLDivElement;
  status: HTMLElement;
  badge: HTMLElement;
  latentNote: HTMLElement;
}

/** Wires the setup and training controls to a {@link TrainingSession} (@vib/tasks' `train`) and the dashboard. */
export class ClassifierController {
  session: TrainingSession | null = null;
  backend: UsedBackend | null = null;
  data: Dataset | null = null;
  private readonly c: Controls;
  private dataKey = '';

  /**
   * @param registry - registry with backend, dataset and prior plugins
   * @param sink - where epochs are reported
   * @param dashboard - the charts
   * @param params - initial settings
   */
  constructor(
    private readonly registry: Registry,
    private readonly sink: MetricsSink,
    private readonly dashboard: Dashboard,
    params: DemoParams,
  ) {
    this.c = {
      backend: byId('backend', HTMLSelectElement),
      dataset: byId('dataset', HTMLSelectElement),
      trainN: byId('train-n', HTMLInputElement),
      prior: byId('prior', HTMLSelectElement),
      k: byId('latent-k', HTMLInputElement),
      deterministic: byId('deterministic', HTMLInputElement),
      beta: byId('beta', HTMLInputElement),
      betaValue: byId('beta-value', HTMLOutputElement),
      epochs: byId('epochs', HTMLInputElement),
      train: byId('train', HTMLButtonElement),
      stop: byId('stop', HTMLButtonElement),
      reset: byId('reset', HTMLButtonElement),
      progress: byId('progress-bar', HTMLDivElement),
      status: byId('status', HTMLElement),
      badge: byId('backend-badge', HTMLElement),
      latentNote: byId('latent-note', HTMLElement),
    };
    const c = this.c;
    c.backend.value = params.backend;
    c.dataset.value = params.dataset;
    c.trainN.value = String(params.train);
    c.prior.value = params.prior;
    c.k.value = String(params.k);
    c.beta.value = String(Math.log10(params.beta));
    c.epochs.value = String(params.epochs);
    this.testN = params.test;
    this.showBeta();
    c.beta.addEventListener('input', () => {
      this.showBeta();
      if (this.session) this.session.beta = this.beta;
    });
    c.backend.addEventListener('change', () => void this.switchBackend());
    for (const el of [c.prior, c.k, c.deterministic]) el.addEventListener('change', () => this.newModel());
    c.dataset.addEventListener('change', () => {
      // Sizes that suit each set: the 12-bit task has 3,277 training patterns and needs more, cheaper epochs.
      const twelve = c.dataset.value === 'tishby-12bit';
      c.trainN.value = twelve ? '3277' : String(DEFAULT_PARAMS.train);
      c.epochs.value = twelve ? '30' : String(DEFAULT_PARAMS.epochs);
    });
    for (const el of [c.dataset, c.trainN]) {
      el.addEventListener('change', () => {
        const n = Number(c.trainN.value);
        if (!Number.isInteger(n) || n < 16 || n > 8000) {
          setStatus(c.status, `Training examples must be a whole number from 16 to 8,000 (it is "${c.trainN.value}").`, true);
          return;
        }
        setStatus(c.status, '');
        this.newModel();
        void this.loadData().catch((e: unknown) => setStatus(c.status, e instanceof Error ? e.message : String(e), true));
      });
    }
    c.train.addEventListener('click', () => void this.train());
    c.stop.addEventListener('click', () => this.session?.stop());
    c.reset.addEventListener('click', () => this.newModel());
  }

  private readonly testN: number;

  /** β from the log-scale slider. */
  get beta(): number {
    return 10 ** Number(this.c.beta.value);
  }

  private showBeta(): void {
    this.c.betaValue.textContent = this.beta.toExponential(1);
  }

  /**
   * Set up the backend chosen in the select (`auto`: the fastest by a measured step; otherwise that one,
   * with fallback) and show it in the badge and in the select.
   * @returns the backend in use
   */
  async switchBackend(): Promise<UsedBackend> {
    this.newModel();
    const c = this.c;
    const wanted = c.backend.value as BrowserBackendName;
    setStatus(c.status, wanted === 'auto' ? 'Measuring the backends…' : `Starting ${wanted}…`);
    c.train.disabled = true;
    c.backend.disabled = true;
    try {
      const used = await useBackend(this.registry, wanted, (line) => setStatus(c.status, line));
      this.backend = used;
      const fell = wanted !== 'auto' && used.name !== wanted;
      c.badge.textContent = fell ? `backend: ${used.name} (${wanted} unavailable)` : `backend: ${used.name}`;
      c.badge.title = used.reason;
      c.badge.className = `badge ${fell ? 'fallback' : 'ok'}`;
      const auto = c.backend.querySelector<HTMLOptionElement>('option[value=auto]');
      if (auto) auto.textContent = wanted === 'auto' ? `Fastest here (${used.name})` : 'Fastest here (measure)';
      // The list shows what runs: after a fallback, select the backend actually in use.
      if (fell) c.backend.value = used.name;
      setStatus(c.status, fell ? `${wanted} is unavailable here (${used.skipped[0]?.reason ?? 'setup failed'}); using ${used.name}. Ready.` : this.readyLine());
      return used;
    } finally {
      c.train.disabled = false;
      c.backend.disabled = false;
    }
  }

  /** The status line when nothing runs: what Train will do. */
  private readyLine(): string {
    const data = this.data ? `${this.data.train.n} training digits` : 'data not loaded';
    const what = this.c.dataset.value === 'tishby-12bit' ? '12-bit task' : 'MNIST digits';
    return `Ready on ${this.backend?.name ?? '…'}: ${what}, ${data.replace('digits', what === '12-bit task' ? 'patterns' : 'digits')}, prior ${this.c.prior.selectedOptions[0]?.textContent ?? this.c.prior.value}, K = ${this.c.k.value}. Press Train.`;
  }

  /** Drop the current model and clear the charts. */
  newModel(): void {
    this.session?.dispose();
    this.session = null;
    this.sink.clear();
    this.c.progress.style.width = '0';
    this.c.latentNote.textContent = '';
    // A status about the old model would be stale now.
    if (this.backend && !this.c.status.classList.contains('error')) setStatus(this.c.status, this.readyLine());
  }

  /**
   * Load the chosen dataset (subset) unless it is already loaded.
   * @returns the dataset
   */
  async loadData(): Promise<Dataset> {
    const name = this.c.dataset.value as DemoDatasetName;
    const sizes = { maxTrain: Number(this.c.trainN.value), maxTest: this.testN };
    const key = `${name}:${sizes.maxTrain}:${sizes.maxTest}`;
    if (!this.data || key !== this.dataKey) {
      setStatus(this.c.status, `Loading ${name === 'mnist' ? 'the digits' : 'the 12-bit task'}…`);
      this.data = await loadDemoDataset(this.registry, name, sizes, (f) => {
        this.c.progress.style.width = `${(100 * f).toFixed(0)}%`;
        setStatus(this.c.status, `Loading the digits… ${(100 * f).toFixed(0)}%`);
      });
      this.c.progress.style.width = '0';
      this.dataKey = key;
      setStatus(this.c.status, this.readyLine());
    }
    return this.data;
  }

  private async ensureSession(): Promise<TrainingSession> {
    if (this.session) return this.session;
    const name = this.c.dataset.value as DemoDatasetName;
    this.data = await this.loadData();
    const prior = this.c.prior.value;
    this.session = new TrainingSession(this.registry, this.data, { ...demoExperiment(name, { latentDim: Math.max(1, Number(this.c.k.value)), prior }), model: this.c.deterministic.checked ? 'deterministic' : 'vib' }, this.beta);
    return this.session;
  }

  /**
   * Train for the chosen number of epochs (continuing the current model).
   * @returns the epochs completed
   */
  async train(): Promise<number> {
    const c = this.c;
    const epochs = Number(c.epochs.value);
    if (!Number.isInteger(epochs) || epochs < 1 || epochs > 500) {
      setStatus(c.status, `Epochs per run must be a whole number from 1 to 500 (it is "${c.epochs.value}").`, true);
      c.epochs.focus();
      return 0;
    }
    const n = Number(c.trainN.value);
    if (!Number.isInteger(n) || n < 16 || n > 8000) {
      setStatus(c.status, `Training examples must be a whole number from 16 to 8,000 (it is "${c.trainN.value}").`, true);
      c.trainN.focus();
      return 0;
    }
    const k = Number(c.k.value);
    if (!Number.isInteger(k) || k < 1 || k > 64) {
      setStatus(c.status, `Latent size K must be a whole number from 1 to 64 (it is "${c.k.value}").`, true);
      c.k.focus();
      return 0;
    }
    c.train.disabled = true;
    c.stop.disabled = false;
    try {
      // Say something and let it paint before the first step (which compiles the GPU kernels on WebGL).
      setStatus(c.status, this.session ? `Training on ${this.backend?.name ?? 'the current backend'}…` : `Building the model on ${this.backend?.name ?? 'the current backend'}…`);
      await nextFrame();
      const s = await this.ensureSession();
      const twelve = s.dataset.name === 'tishby-12bit';
      const done = await s.run(epochs, {
        onBatchEnd: (info) => {
          const progress = info.batch / info.batches;
          c.progress.style.width = `${(100 * progress).toFixed(1)}%`;
          c.status.textContent = `Epoch ${info.epoch}: ${(100 * progress).toFixed(0)}%, training loss ${info.epochSoFar.loss.toFixed(3)} (mean so far)`;
        },
        onEpochEnd: async (metrics, model) => {
          const layers = twelve ? await hiddenLayerInformation(model, s.dataset) : undefined;
          this.sink.push(toEpochRecord(metrics, layers));
          await this.drawLatent(model, s.dataset);
        },
      });
      const last = s.history.at(-1);
      const stopped = done.length < epochs ? ` Stopped after ${done.length} of ${epochs} epochs.` : '';
      setStatus(
        c.status,
        last
          ? `Epoch ${last.epoch}: test accuracy ${(100 * (last.testAccuracy ?? 0)).toFixed(1)}% (mean code); training rate ${last.rateBits.toFixed(2)} bits (epoch mean, as plotted).${stopped}`
          : `Stopped before the first epoch finished.`,
      );
      return done.length;
    } catch (error) {
      setStatus(c.status, error instanceof Error ? error.message : String(error), true);
      throw error;
    } finally {
      c.train.disabled = false;
      c.stop.disabled = true;
    }
  }

  /**
   * Draw the latent picture of a model (classification, K = 2), or say why not.
   * @param model - the model
   * @param data - the dataset whose test split to encode
   * @returns a promise that settles when it is drawn
   */
  async drawLatent(model: VibModel, data: Dataset): Promise<void> {
    const k = model.bottleneck.latentDim;
    if (k < 2 || !model.task.views.includes('latent-codes')) {
      this.dashboard.latent.update(null);
      this.c.latentNote.textContent = k < 2 ? 'K = 1: a single code axis has no plane to draw; choose K ≥ 2.' : 'This task draws no class map.';
      return;
    }
    if (model.config.posterior === 'squashed-gaussian') {
      this.c.latentNote.textContent = 'Uniform prior: the posterior is squashed into a box, so ellipses are omitted.';
    } else this.c.latentNote.textContent = '';
    if (k === 2) {
      this.dashboard.latent.update(await latentPicture(model, data.test));
      return;
    }
    const projected = await projectedLatentPicture(model, data.test);
    this.dashboard.latent.update(projected.data);
    const [e1, e2] = projected.explained.map((e) => (100 * e).toFixed(0));
    this.c.latentNote.textContent = `K = ${k}: the codes projected on their first two principal components (${e1}% and ${e2}% of their variance), over the decoder's entropy on that plane through the mean code. ${this.c.latentNote.textContent}`.trim();
  }
}
