import { estimateInformation, validKeysAt, type BinRange, type DataSplit, type Registry } from '@vib/core';
import { layerActivationsAsync, parseExperimentConfig, type ExperimentConfig, type VibModel } from '@vib/tasks';
import type { Dataset } from '@vib/core';
import { setupBackend, threadsFlag } from '../backend-setup.js';
import type { CliIO, GlobalFlags } from '../cli-io.js';
import { checkSubsetFlags, loadConfigDataset, type SubsetFlags } from '../dataset-load.js';
import { activationFlag, buildRawConfig, type ExperimentFlags } from '../experiment-options.js';
import { defaultOutDir, withRunDir } from '../output/run-dir.js';
import { EstimatePool, estimateProcesses } from '../infoplane/estimate-pool.js';
import { ceilingLines, ixtCeiling } from '../infoplane/ixt-ceiling.js';
import { PLANE_SPLITS, planeInputs, type PlaneSplit } from '../infoplane/plane-inputs.js';
import { averagePlane, infoPlaneSpec, type InfoPlanePoint } from '../plots/infoplane-plot.js';
import { writePlots } from '../plots/write-plots.js';
import { createCliRegistry } from '../registry.js';
import { recordRun, type RunRecorder } from '../store/run-recorder.js';
import { trainWithProgress, type RunSummary } from '../train-run.js';
import { usageError } from '../util/cli-error.js';
import { ESTIMATE_PROCESSES_BOUNDS } from '../util/flag-bounds.js';
import { parseCountFlag, parseNumberFlag, parseNumberList, SEED_CHECK } from '../util/parse-flags.js';
import { pluginFlag } from '../util/plugin-flag.js';

/** Flags of `vib infoplane`. */
export type InfoPlaneFlags = GlobalFlags &
  ExperimentFlags &
  SubsetFlags & {
    readonly bins: string;
    readonly noise: string;
    /** Examples per split the estimators read (the CLI's default 4,096 covers the 12-bit task; omitted: all). */
    readonly maxPoints?: string;
    readonly estimator?: string;
    /** Comma-separated seeds: one run per seed and activation, trajectories averaged over seeds. */
    readonly seeds?: string;
    /** Comma-separated inputs to measure on: all (train ∪ test, the default), train, test. */
    readonly splits?: string;
    /** JSON: each estimator's own config by name, over what --bins and --noise give (a plugin's options). */
    readonly estimatorConfig?: string;
    /** Processes that run the estimators beside the training (0: this one; default: see `estimateProcesses`). */
    readonly jobs?: string;
  };

/** Estimator settings from the flags: --bins and --noise reach the estimators whose schemas take them. */
interface EstimatorSettings {
  readonly names: readonly string[];
  readonly bins: number;
  readonly noise: number;
  /** --estimator-config: each estimator's own settings by name. */
  readonly own: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** An estimator's config: the flags its schema knows (`bins`, `range`, `noiseVariance`), defaults for the rest. */
function estimatorConfig(registry: Registry, name: string, settings: EstimatorSettings, range: BinRange): Record<string, unknown> {
  const keys = validKeysAt(registry.get('estimator', name).configSchema, []);
  const config: Record<string, unknown> = {};
  if (keys.includes('bins')) config['bins'] = settings.bins;
  if (keys.includes('range')) config['range'] = range;
  if (keys.includes('noiseVariance')) config['noiseVariance'] = settings.noise;
  return { ...config, ...settings.own[name] };
}

/**
 * Read --estimator-config: a JSON object of each named estimator's own settings, e.g. `{"my-knn": {"k": 5}}`, each
 * checked against the estimator's schema before any run.
 * @throws {@link CliError} (exit code 2) for bad JSON, a name not in --estimator, or settings the schema refuses
 */
function parseEstimatorConfig(registry: Registry, value: string | undefined, settings: Omit<EstimatorSettings, 'own'>): EstimatorSettings['own'] {
  const { names } = settings;
  if (value === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (e) {
    throw usageError(`--estimator-config is not JSON (${(e as Error).message}): give an object of settings by estimator name, e.g. --estimator-config '{"binning": {"bins": 12}}'`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw usageError(`--estimator-config ${value}: give an object of settings by estimator name, e.g. --estimator-config '{"binning": {"bins": 12}}'`);
  }
  for (const [name, own] of Object.entries(parsed)) {
    if (!names.includes(name)) throw usageError(`--estimator-config names "${name}", which --estimator does not list (${names.join(', ')}): add it to --estimator, or leave its settings out`);
    if (own === null || typeof own !== 'object' || Array.isArray(own)) throw usageError(`--estimator-config "${name}": its settings must be an object, e.g. {"bins": 12}, got ${JSON.stringify(own)}`);
    const schema = registry.get('estimator', name).configSchema;
    const merged = { ...estimatorConfig(registry, name, { ...settings, own: {} }, 'data'), ...own };
    const check = schema.safeParse(merged);
    if (!check.success) {
      const issue = check.error.issues[0];
      throw usageError(`--estimator-config "${name}": ${issue?.path.join('.') || 'its settings'}: ${issue?.message ?? 'refused'} (the estimator's schema)`);
    }
  }
  return parsed as EstimatorSettings['own'];
}

/** A panel label: the estimator's name and the settings it was given (besides the per-layer range). */
function estimatorLabel(name: string, config: Record<string, unknown>): string {
  const shown = Object.entries(config).filter(([k]) => k !== 'range').map(([k, v]) => `${k}=${String(v)}`);
  return shown.length > 0 ? `${name} (${shown.join(', ')})` : name;
}

/**
 * Record every layer's activations on one split now, and estimate their information-plane coordinates with each
 * estimator by name: at once in this process, or in the pool's processes, in which case `points` settles when they
 * are done (the order of the points is the same either way).
 */
async function measure(registry: Registry, vm: VibModel, data: Dataset, inputs: DataSplit, settings: EstimatorSettings, opts: { n: number; activation: string; epoch: number; split: PlaneSplit; seed: number }, pool: EstimatePool | null): Promise<{ readonly points: Promise<InfoPlanePoint[]> }> {
  const split = opts.split;
  // read back asynchronously: webgpu in Node has no synchronous read
  const layers = await layerActivationsAsync(vm, inputs, opts.n);
  const labels = inputs.y.subarray(0, layers[0]?.t.n ?? 0);
  const estimates = layers.flatMap(({ name, role, t }) => {
    const range: BinRange = role === 'hidden' && ['tanh', 'relu', 'sigmoid'].includes(opts.activation) ? (opts.activation as BinRange) : 'data';
    const base = { activation: opts.activation, split, layer: name, seed: opts.seed, epoch: opts.epoch };
    return settings.names.map((estimator) => {
      const config = estimatorConfig(registry, estimator, settings, range);
      const input = { activations: t, labels, numClasses: data.numClasses };
      const result = pool ? pool.estimate({ name: estimator, input, config }) : Promise.resolve(estimateInformation(registry, estimator, input, config));
      return { base, label: estimatorLabel(estimator, config), result };
    });
  });
  // in order, so that of several failed estimates the first in this order is the one reported (as here, where the
  // first to fail stops the rest); the others' failures are handled, and dropped
  for (const { result } of estimates) result.catch(() => {});
  const points = (async (): Promise<InfoPlanePoint[]> => {
    const done: InfoPlanePoint[] = [];
    for (const { base, label, result } of estimates) {
      const r = await result;
      const extra = r.extraNats === undefined || Object.keys(r.extraNats).length === 0 ? {} : { extraNats: { ...r.extraNats } };
      done.push({ ...base, estimator: label, ixtBits: r.ixt?.bits ?? NaN, ityBits: r.ity?.bits ?? NaN, ...extra });
    }
    return done;
  })();
  return { points };
}

/**
 * `vib infoplane`: train once per seed and activation (default tanh and relu, on the 12-bit task), record every
 * hidden layer's activations on all inputs (train ∪ test: the 4,096 patterns) at regular epochs, estimate I(X;T)
 * and I(T;Y) by binning (Shwartz-Ziv & Tishby 2017) and by KDE (Saxe et al. 2018), average each trajectory over
 * the seeds, and plot the information planes side by side on shared axes with ± 1 sd bars.
 * @param flags - parsed flags; `--activation` takes a comma-separated list here
 * @param io - stdout/stderr
 * @returns the points and the run summaries
 * @throws {@link CliError} (exit code 2) on an unknown activation, split or estimator, or bad estimator settings
 */
export async function infoplaneCommand(flags: InfoPlaneFlags, io: CliIO) {
  const plan = await planInfoplane(flags);
  return recordRun(flags, 'infoplane', io.argv ?? ['infoplane'], async (rec) => {
    const out = await runInfoplane(plan, flags, io, rec);
    rec.artifact('dir', out.out);
    return { result: out, summary: { activations: out.activations, runs: out.runs, records: out.records } };
  });
}

/** The flags of `vib infoplane`, checked. */
interface InfoPlanePlan {
  readonly registry: Registry;
  readonly activations: readonly string[];
  readonly n: number;
  readonly splits: readonly PlaneSplit[];
  readonly settings: EstimatorSettings;
  /** One config per activation. */
  readonly configs: readonly ExperimentConfig[];
  readonly seeds: readonly number[];
  readonly threads: number | undefined;
  /** Estimate processes `--jobs` asks for, if it is given. */
  readonly processes: number | undefined;
}

/** Check every flag of `vib infoplane` and build its configs, so a bad value is refused before a run is recorded. */
async function planInfoplane(flags: InfoPlaneFlags): Promise<InfoPlanePlan> {
  if (flags.seed !== undefined && flags.seeds !== undefined) throw usageError(`--seed ${flags.seed} and --seeds ${flags.seeds} both set the seed: leave out --seed (one run per --seeds value)`);
  const activations = (flags.activation ?? 'tanh,relu').split(',').map((a) => activationFlag(a.trim()));
  const bins = parseCountFlag('--bins', flags.bins);
  const noise = parseNumberFlag('--noise', flags.noise, [(v) => v > 0, 'a variance > 0']);
  const n = flags.maxPoints === undefined ? Infinity : parseCountFlag('--max-points', flags.maxPoints);
  const threads = threadsFlag(flags.threads);
  checkSubsetFlags(flags);
  const splits = (flags.splits ?? 'all').split(',').map((x) => x.trim()) as PlaneSplit[];
  for (const sp of splits) if (!PLANE_SPLITS.includes(sp)) throw usageError(`--splits ${sp} is unknown: choose from ${PLANE_SPLITS.join(', ')}, e.g. --splits all`);
  const registry: Registry = await createCliRegistry(flags.plugin ?? []);
  const names = (flags.estimator ?? 'binning,kde-upper').split(',').map((e) => e.trim()).filter((e) => e.length > 0);
  const usable = () => registry.list('estimator').filter((p) => p.input === 'activations').map((p) => p.name);
  if (names.length === 0) throw usageError(`--estimator ${JSON.stringify(flags.estimator)} names no estimator: choose from ${usable().join(', ')}, e.g. --estimator binning,kde-upper`);
  for (const name of names) {
    const plugin = pluginFlag(registry, 'estimator', '--estimator', name);
    if (plugin.input !== 'activations') throw usageError(`--estimator ${name} reads critic scores, not layer activations: choose from ${usable().join(', ')}`);
  }
  const settings: EstimatorSettings = { names, bins, noise, own: parseEstimatorConfig(registry, flags.estimatorConfig, { names, bins, noise }) };
  const { activation: _list, preset, seeds: _seeds, splits: _splits, estimatorConfig: _own, jobs: _jobs, ...rest } = flags;
  const presetName = flags.config === undefined ? (preset ?? 'tishby-12bit') : preset;
  const raw = await buildRawConfig({ ...rest, ...(presetName !== undefined ? { preset: presetName } : {}) }, registry);
  const configs: ExperimentConfig[] = activations.map((activation) =>
    parseExperimentConfig({ ...raw, encoder: { ...(raw['encoder'] as object), activation } }, registry),
  );
  const seeds = flags.seeds === undefined ? [configs[0]!.seed] : parseNumberList('--seeds', flags.seeds, SEED_CHECK, '0,1,2');
  if (flags.backend !== undefined) pluginFlag(registry, 'backend', '--backend', flags.backend);
  return { registry, activations, n, splits, settings, configs, seeds, threads, processes: flags.jobs === undefined ? undefined : parseCountFlag('--jobs', flags.jobs, ESTIMATE_PROCESSES_BOUNDS) };
}

async function runInfoplane(plan: InfoPlanePlan, flags: InfoPlaneFlags, io: CliIO, rec: RunRecorder) {
  const { registry, activations, n, splits, settings, configs, seeds } = plan;
  const { names, bins, noise } = settings;
  rec.config(configs[0]!);
  const backend = await setupBackend(registry, flags.backend, plan.threads);
  rec.backend(backend.name, backend.tier);
  const data = await loadConfigDataset(registry, configs[0]!);
  const every = Math.max(1, Math.ceil(configs[0]!.epochs / 40));
  const inputs = new Map(splits.map((sp) => [sp, planeInputs(data, sp)] as const));
  // inputs each split's estimates see (--max-points caps them)
  const perSplit = new Map([...inputs].map(([sp, d]) => [sp, Math.min(n, d.n)] as const));
  const measured = Math.max(...perSplit.values());
  const { result, path } = await withRunDir(flags.out ?? defaultOutDir('infoplane'), async (dir, signal) => {
    const points: InfoPlanePoint[] = [];
    const runs: (RunSummary & { activation: string; seed: number })[] = [];
    // the estimates in other processes while the training goes on (the KDE's pairs grow as n²), or here
    const processes = estimateProcesses(measured, names, plan.processes);
    const pool = processes > 0 ? new EstimatePool(processes, flags.plugin ?? []) : null;
    const pending: Promise<InfoPlanePoint[]>[] = [];
    let failed = false;
    let settled = 0;
    try {
      for (const seed of seeds) {
        for (const [i, base] of configs.entries()) {
          const activation = activations[i]!;
          const config = { ...base, seed };
          // measured on the trainer's live model at the end of the recorded epochs
          const { result, summary } = await trainWithProgress({
            config, registry, dataset: data, backend: backend.name, io, signal, quiet: flags.quiet ?? false, label: `[${activation} seed ${seed}]`,
            onEpochEnd: async (m, trainer) => {
              // an estimate that failed in the pool stops the run at the next epoch, with the first failure in the
              // order the estimates were made, as it would have here
              if (failed) for (const measuring of pending) await measuring;
              if (m.epoch !== 1 && m.epoch % every !== 0 && m.epoch !== config.epochs) return;
              for (const [split, d] of inputs) {
                const measuring = (await measure(registry, trainer.model, data, d, settings, { n, activation, epoch: m.epoch, split, seed }, pool)).points;
                measuring.then(() => void (settled += 1), () => void (failed = true));
                pending.push(measuring);
              }
            },
          });
          result.model.model.dispose();
          runs.push({ ...summary, activation, seed });
        }
      }
      const left = pending.length - settled;
      const what = splits.length > 1 ? 'recorded epochs and splits' : 'recorded epochs';
      if (pool && !flags.quiet && left > 0) io.stderr.write(`[infoplane] training done; estimating the last ${left} of ${pending.length} ${what} in ${processes} processes\n`);
      for (const measuring of pending) points.push(...(await measuring));
    } finally {
      pool?.close();
    }
    const averaged = averagePlane(points);
    const ixtCeilings = ixtCeiling(points, perSplit);
    const json = { activations, seeds, splits, estimators: names, bins, noiseVariance: noise, points: measured, every, runs, records: points, averaged, ixtCeiling: ixtCeilings };
    await dir.write('infoplane.json', `${JSON.stringify(json, null, 2)}\n`);
    await writePlots(dir, { infoplane: infoPlaneSpec(points, { inputs: measured, classes: data.numClasses }) });
    return { points, runs, ixtCeilings };
  });
  const atCeiling = result.ixtCeilings.reduce((k, c) => k + c.atCeiling, 0);
  const out = { backend: backend.name, dataset: data.name, out: path, activations, seeds, splits, points: measured, runs: result.runs, records: result.points.length, ixtAtCeiling: atCeiling };
  if (flags.json) io.stdout.write(`${JSON.stringify(out)}\n`);
  else {
    const ceilings = ceilingLines(result.ixtCeilings).map((l) => `${l}\n`).join('');
    io.stdout.write(`${result.runs.map((r) => `${r.activation} seed ${r.seed}: test accuracy ${((r.accuracy ?? NaN) * 100).toFixed(2)}% (mean code)`).join('; ')}\n${ceilings}saved to ${path}\n`);
  }
  return out;
}
