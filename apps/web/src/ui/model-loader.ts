import type * as tf from '@tensorflow/tfjs';
import type { Dataset, Registry } from '@vib/core';
import { natsToBits, resolvePluginRef } from '@vib/core';
import { checkedBrowserFiles, evaluate, loadVibModel, type VibModel } from '@vib/tasks';
import type { ClassifierController } from './classifier-controller.js';
import { byId, setStatus } from './dom.js';
import type { VaePanel } from './vae-panel.js';

/**
 * The weight files a model.json names (its weightsManifest paths) that are not among the picked files.
 * @param json - the model.json file
 * @param files - every file picked
 * @returns missing file names (empty when the JSON is unreadable: the loader then reports that)
 */
export async function missingWeightFiles(json: File, files: readonly File[]): Promise<string[]> {
  let manifest: unknown;
  try {
    manifest = (JSON.parse(await json.text()) as { weightsManifest?: unknown }).weightsManifest;
  } catch {
    return [];
  }
  if (!Array.isArray(manifest)) return [];
  const names = new Set(files.map((f) => f.name));
  const wanted = manifest.flatMap((group: { paths?: unknown }) => (Array.isArray(group.paths) ? group.paths.map(String) : []));
  return [...new Set(wanted.map((p) => p.split('/').at(-1)!))].filter((p) => !names.has(p));
}

/**
 * Loads a model saved by `vib train` (model.json + weight files, picked together) with @vib/tasks'
 * `loadVibModel`, evaluates it on its dataset's test split, and shows it: a classifier in the latent
 * panel, a VAE in the walk panel.
 */
export class ModelLoader {
  /** The loaded model, if any. */
  model: VibModel | null = null;
  /** The numbers shown for it. */
  summary: { accuracy: number | null; rateBits: number; izyBits: number | null } | null = null;
  private readonly status = byId('load-status', HTMLElement);

  /**
   * @param registry - registry resolving the saved plugin names
   * @param classifier - where a classifier is drawn
   * @param vae - where a VAE is walked
   * @param maxTest - test examples to evaluate
   */
  constructor(
    private readonly registry: Registry,
    private readonly classifier: ClassifierController,
    private readonly vae: VaePanel,
    private readonly maxTest: number,
  ) {
    const input = byId('model-files', HTMLInputElement);
    input.addEventListener('change', () => {
      if (input.files && input.files.length > 0) void this.load([...input.files]);
    });
  }

  /**
   * Load and show a model.
   * @param files - model.json and its weight files
   * @returns the model
   */
  async load(files: File[]): Promise<VibModel | null> {
    const json = files.find((f) => f.name.endsWith('.json'));
    if (!json) {
      setStatus(this.status, `No model.json among ${files.map((f) => f.name).join(', ')}: pick model.json and its weights file (weights.bin) together.`, true);
      return null;
    }
    const missing = await missingWeightFiles(json, files);
    if (missing.length > 0) {
      setStatus(this.status, `${json.name} needs ${missing.join(', ')}, which was not picked: select ${json.name} and ${missing.join(', ')} together (both are in the run's model/ folder).`, true);
      return null;
    }
    return this.show(checkedBrowserFiles(files), json.name);
  }

  /**
   * Load a model through any checked IO handler (picked files, or a run served by `vib serve`), evaluate it
   * and show it.
   * @param handler - the handler, e.g. `checkedHttpIO(url)`
   * @param name - what to call it in the status line
   * @returns the model, or null when it could not be loaded (the status line says why)
   */
  async show(handler: tf.io.IOHandler, name: string): Promise<VibModel | null> {
    try {
      setStatus(this.status, `Loading ${name}…`);
      const vm = await loadVibModel(handler, { registry: this.registry });
      this.model?.model.dispose();
      this.model = vm;
      const plugin = this.registry.get('dataset', vm.config.dataset.name);
      const data: Dataset = await plugin.load(resolvePluginRef(this.registry, 'dataset', vm.config.dataset, 'dataset').config, { maxTrain: 16, maxTest: this.maxTest });
      const ev = await evaluate(vm, data.test, { samples: 1 });
      // the task's own bound on I(Z;Y) on the test split, one sampled code per example (null when it has none)
      const izy = vm.task.epochFigures({
        trainNllNats: ev.oneSample.nllNats,
        trainMetrics: ev.oneSample.metrics,
        test: ev.mean,
        trainSplit: data.test,
        numClasses: data.numClasses,
      }).izy;
      this.summary = { accuracy: ev.mean.accuracy, rateBits: natsToBits(ev.rateNats), izyBits: izy === null ? null : izy.bits };
      const parts = [
        `${vm.task.name} on ${data.name}, K = ${vm.bottleneck.latentDim}, prior ${vm.config.prior.name}, β = ${vm.bottleneck.controller.beta}`,
        `test ${vm.task.describe([['mean code', ev.mean]])}`,
        `test rate ${this.summary.rateBits.toFixed(2)} bits${ev.rateExact ? '' : ' (Monte Carlo estimate)'}`,
        ...(this.summary.izyBits !== null ? [`test I(Z;Y) ≥ ${this.summary.izyBits.toFixed(2)} bits (one sampled code)`] : []),
        `${data.test.n.toLocaleString('en-US')} test example${data.test.n === 1 ? '' : 's'}`,
      ];
      setStatus(this.status, `${parts.join('; ')}.`);
      if (vm.task.views.includes('latent-codes')) await this.classifier.drawLatent(vm, data);
      else this.vae.useModel(vm, data);
      return vm;
    } catch (error) {
      setStatus(this.status, error instanceof Error ? error.message : String(error), true);
      return null;
    }
  }
}
