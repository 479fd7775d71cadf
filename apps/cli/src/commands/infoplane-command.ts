import { estimateInformation, validKeysAt, type BinRange, type Registry } from '@vib/core';
import { layerActivationsAsync, parseExperimentConfig, type ExperimentConfig, type VibModel } from '@vib/tasks';
import type { Dataset } from '@vib/core';
import { setupBackend, threadsFlag } from '../backend-setup.js';
import type { CliIO, GlobalFlags } from '../cli-io.js';
import { loadDataset, type SubsetFlags } from '../dataset-load.js';
import { buildRawConfig, type ExperimentFlags } from '../experiment-options.js';
import { defaultOutDir, withRunDir } from '../output/run-dir.js';
import { infoPlaneSpec, type InfoPlanePoint } from '../plots/infoplane-plot.js';
import { writePlots } from '../plots/write-plots.js';
import { createCliRegistry } from '../registry.js';
import { recordRun, type RunRecorder } from '../store/run-recorder.js';
import { trainWithProgress, type RunSummary } from '../train-run.js';
import { CliError } from '../util/cli-error.js';
import { parseCountFlag, parseNumberFlag } from '../util/parse-flags.js';

/** Flags of `vib infoplane`. */
export type InfoPlaneFlags = GlobalFlags &
  ExperimentFlags &
  SubsetFlags & { readonly bins: string; readonly noise: string; readonly maxPoints: string; readonly estimator?: string };

const ACTIVATIONS = ['relu', 'tanh', 'elu', 'sigmoid'];

/** Estimator settings from the flags: --bins and --noise reach the estimators whose schemas take them. */
interface EstimatorSettings {
  readonly names: readonly string[];
  readonly bins: number;
  readonly noise: number;
}

/** An estimator's config: the flags its schema knows (`bins`, `range`, `noiseVariance`), defaults for the rest. */
function estimatorConfig(registry: Registry, name: string, settings: EstimatorSettings, range: BinRange): Record<string, unknown> {
  const keys = validKeysAt(registry.get('estimator', name).configSchema, []);
  const config: Record<string, unknown> = {};
  if (keys.includes('bins')) config['bins'] = settings.bins;
  if (keys.includes('range')) config['range'] = range;
  if (keys.includes('noiseVariance')) config['noiseVariance'] = settings.noise;
  return config;
}

/** A panel label: the estimator's name and the settings it was given (besides the per-layer range). */
function estimatorLabel(name: string, config: Record<string, unknown>): string {
  const shown = Object.entries(config).filter(([k]) => k !== 'range').map(([k, v]) => `${k}=${String(v)}`);
  return shown.length > 0 ? `${name} (${shown.join(', ')})` : name;
}

/** Estimate the information-plane coordinates of every layer on one split, with each estimator by name. */
async function measure(registry: Registry, vm: VibModel, data: Dataset, split: 'train' | 'test', settings: EstimatorSettings, opts: { n: number; activation: string; epoch: number }): Promise<InfoPlanePoint[]> {
  // read back asynchronously: webgpu in Node has no synchronous read
  const layers = await layerActivationsAsync(vm, data[split], opts.n);
  const labels = data[split].y.subarray(0, layers[0]?.t.n ?? 0);
  const points: InfoPlanePoint[] = [];
  layers.forEach(({ name, role, t }) => {
    const range: BinRange = role === 'hidden' && ['tanh', 'relu', 'sigmoid'].includes(opts.activation) ? (opts.activation as BinRange) : 'data';
    const base = { activation: opts.activation, split, layer: name, epoch: opts.epoch };
    for (const estimator of settings.names) {
      const config = estimatorConfig(registry, estimator, settings, range);
      const r = estimateInformation(registry, estimator, { activations: t, labels, numClasses: data.numClasses }, config);
      points.push({ ...base, estimator: estimatorLabel(estimator, config), ixtBits: r.ixt?.bits ?? NaN, ityBits: r.ity?.bits ?? NaN });
    }
  });
  return points;
}

/**
 * `vib infoplane`: train once per activation (default tanh and relu, on the 12-bit task), record every hidden
 * layer's activations on train and test inputs at regular epochs, estimate I(X;T) and I(T;Y) by binning
 * (Shwartz-Ziv & Tishby 2017) and by KDE (Saxe et al. 2018), and plot the information planes side by side.
 * @param flags - parsed flags; `--activation` takes a comma-separated list here
 * @param io - stdout/stderr
 * @returns the points and the run summaries
 * @throws {@link CliError} on an unknown activation or bad estimator settings
 */
export async function infoplaneCommand(flags: InfoPlaneFlags, io: CliIO) {
  return recordRun(flags, 'infoplane', io.argv ?? ['infoplane'], async (rec) => {
    const out = await runInfoplane(flags, io, rec);
    rec.artifact('dir', out.out);
    return { result: out, summary: { activations: out.activations, runs: out.runs, records: out.records } };
  });
}

async function runInfoplane(flags: InfoPlaneFlags, io: CliIO, rec: RunRecorder) {
  const activations = (flags.activation ?? 'tanh,relu').split(',').map((a) => a.trim());
  for (const a of activations) if (!ACTIVATIONS.includes(a)) throw new CliError(`--activation ${a} is unknown: choose from ${ACTIVATIONS.join(', ')}`);
  const bins = parseCountFlag('--bins', flags.bins);
  const noise = parseNumberFlag('--noise', flags.noise, [(v) => v > 0, 'a variance > 0']);
  const n = parseCountFlag('--max-points', flags.maxPoints);
  const registry: Registry = await createCliRegistry(flags.plugin ?? []);
  const names = (flags.estimator ?? 'binning,kde-upper').split(',').map((e) => e.trim()).filter((e) => e.length > 0);
  for (const name of names) {
    const plugin = registry.get('estimator', name); // an unknown name lists the registered estimators
    if (plugin.input !== 'activations') {
      const usable = registry.list('estimator').filter((p) => p.input === 'activations').map((p) => p.name);
      throw new CliError(`--estimator ${name} reads critic scores, not layer activations: choose from ${usable.join(', ')}`);
    }
  }
  const settings: EstimatorSettings = { names, bins, noise };
  const { activation: _list, preset, ...rest } = flags;
  const presetName = flags.config === undefined ? (preset ?? 'tishby-12bit') : preset;
  const raw = await buildRawConfig({ ...rest, ...(presetName !== undefined ? { preset: presetName } : {}) }, registry);
  const configs: ExperimentConfig[] = activations.map((activation) =>
    parseExperimentConfig({ ...raw, encoder: { ...(raw['encoder'] as object), activation } }, registry),
  );
  rec.config(configs[0]!);
  const backend = await setupBackend(registry, flags.backend, threadsFlag(flags.threads));
  rec.backend(backend.name, backend.tier);
  const data = await loadDataset(registry, configs[0]!.dataset, flags);
  const every = Math.max(1, Math.ceil(configs[0]!.epochs / 40));
  const { result, path } = await withRunDir(flags.out ?? defaultOutDir('infoplane'), async (dir, signal) => {
    const points: InfoPlanePoint[] = [];
    const runs: RunSummary[] = [];
    for (const [i, config] of configs.entries()) {
      const activation = activations[i]!;
      // measured on the trainer's live model at the end of the recorded epochs
      const { result, summary } = await trainWithProgress({
        config, registry, dataset: data, backend: backend.name, io, signal, quiet: flags.quiet ?? false, label: `[${activation}]`,
        onEpochEnd: async (m, trainer) => {
          if (m.epoch !== 1 && m.epoch % every !== 0 && m.epoch !== config.epochs) return;
          for (const split of ['train', 'test'] as const) points.push(...(await measure(registry, trainer.model, data, split, settings, { n, activation, epoch: m.epoch })));
        },
      });
      result.model.model.dispose();
      runs.push(summary);
    }
    await dir.write('infoplane.json', `${JSON.stringify({ activations, estimators: names, bins, noiseVariance: noise, points: n, every, runs, records: points }, null, 2)}\n`);
    await writePlots(dir, { infoplane: infoPlaneSpec(points) });
    return { points, runs };
  });
  const out = { backend: backend.name, dataset: data.name, out: path, activations, runs: result.runs, records: result.points.length };
  if (flags.json) io.stdout.write(`${JSON.stringify(out)}\n`);
  else io.stdout.write(`${result.runs.map((r, i) => `${activations[i]}: test accuracy ${((r.accuracy ?? NaN) * 100).toFixed(2)}%`).join('; ')}\nsaved to ${path}\n`);
  return out;
}
