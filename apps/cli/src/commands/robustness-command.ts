import type { Dataset } from '@vib/core';
import { resolvePluginRef } from '@vib/core';
import { robustness, type RobustnessResult, type VibModel } from '@vib/tasks';
import { setupBackend, threadsFlag } from '../backend-setup.js';
import type { CliIO, GlobalFlags } from '../cli-io.js';
import { resolveDataFlag } from '../data-ref.js';
import { loadDataset } from '../dataset-load.js';
import { loadModelDir } from '../model-dir.js';
import { recordMeta } from '../output/record-meta.js';
import { defaultOutDir, withRunDir } from '../output/run-dir.js';
import { robustnessSpec } from '../plots/robustness-plot.js';
import { writePlots } from '../plots/write-plots.js';
import { createCliRegistry } from '../registry.js';
import { CliError, usageError } from '../util/cli-error.js';
import { issuesText } from '../util/report-error.js';
import { ATTACK_STEPS_BOUNDS, checkSampleTensor, SAMPLES_BOUNDS } from '../util/flag-bounds.js';
import { widthAfterBottleneck } from '../util/sample-width.js';
import { parseCountFlag, parseNumberList, parseSeedFlag } from '../util/parse-flags.js';
import { pluginFlag } from '../util/plugin-flag.js';
import { modelLabel } from './model-label.js';

/** Test examples per attacked batch (the library's default). */
const ROBUSTNESS_BATCH = 250;

/** Flags of `vib robustness`. */
export type RobustnessFlags = GlobalFlags & {
  readonly model: readonly string[];
  readonly attack: string;
  readonly eps: string;
  readonly through: string;
  readonly objective?: string;
  readonly samples: string;
  readonly steps?: string;
  readonly data?: string;
  readonly maxTest?: string;
  readonly seed: string;
  readonly plots?: boolean;
};

/**
 * `vib robustness`: attack one or more saved classifiers at each ε and write robustness.json and a plot of
 * accuracy and attack success against ε (all models in one plot).
 * @param flags - parsed flags
 * @param io - stdout/stderr
 * @returns the record written
 * @throws {@link CliError} on a bad flag value, or models trained on different input shapes
 */
export async function robustnessCommand(flags: RobustnessFlags, io: CliIO) {
  const started = performance.now();
  const epsilons = parseNumberList('--eps', flags.eps, [(v) => v >= 0, 'a number ≥ 0 (the attack radius)']);
  if (flags.through !== 'mean' && flags.through !== 'samples') {
    throw usageError(`--through ${flags.through}: choose mean (gradient through the mean code) or samples (through the S-sample predictive)`);
  }
  const through = flags.through;
  const objective = flags.objective ?? 'nll';
  if (objective !== 'nll' && objective !== 'margin') {
    throw usageError(`--objective ${objective}: choose nll (−log q(y|x)) or margin (best wrong class minus the true one)`);
  }
  const samples = parseCountFlag('--samples', flags.samples, SAMPLES_BOUNDS);
  const seed = parseSeedFlag('--seed', flags.seed);
  const registry = await createCliRegistry(flags.plugin ?? []);
  const plugin = pluginFlag(registry, 'attack', '--attack', flags.attack);
  const given = flags.steps === undefined ? {} : { steps: parseCountFlag('--steps', flags.steps, ATTACK_STEPS_BOUNDS) };
  const parsed = plugin.configSchema.safeParse(given);
  if (!parsed.success) {
    const why = issuesText(parsed.error.issues);
    if (flags.steps === undefined) throw new CliError(`the ${plugin.name} attack plugin refuses its own default config (${why}): the plugin is broken; report it to its authors`);
    throw usageError(`--steps ${flags.steps}: the ${plugin.name} attack does not take it (${why}): leave --steps out, or pick an iterative attack such as pgd`);
  }
  const attackConfig = parsed.data;
  const attack = plugin.create(attackConfig);
  const backend = await setupBackend(registry, flags.backend, threadsFlag(flags.threads));
  const models: { path: string; vm: VibModel }[] = [];
  try {
    for (const path of flags.model) models.push({ path, vm: await loadModelDir(path, registry) });
    const first = models[0]!.vm;
    const ref = flags.data !== undefined ? await resolveDataFlag(flags.data, registry) : first.config.dataset;
    const dataset: Dataset = await loadDataset(registry, resolvePluginRef(registry, 'dataset', ref, 'dataset'), {
      ...(flags.maxTest !== undefined ? { maxTest: flags.maxTest } : {}),
      maxTrain: '1',
    });
    const results: { label: string; path: string; model: string; beta: number; result: RobustnessResult }[] = [];
    for (const { path, vm } of models) {
      if (vm.inputShape.join('x') !== dataset.inputShape.join('x')) {
        throw new CliError(`--model ${path} takes inputs ${vm.inputShape.join('x')}, but ${dataset.name} has ${dataset.inputShape.join('x')}: compare models trained on the same data`);
      }
      // the S-sample predictive of a batch, and with --through samples its gradient too
      checkSampleTensor('--samples', samples, Math.min(dataset.test.n, ROBUSTNESS_BATCH), widthAfterBottleneck(vm));
      const label = modelLabel(path, vm);
      if (!flags.quiet) io.stderr.write(`vib: attacking ${label} with ${flags.attack} at ε = ${epsilons.join(', ')} on ${dataset.test.n} test inputs\n`);
      const result = await robustness(vm, dataset.test, { attack, epsilons, objective, through, samples, seed, batchSize: ROBUSTNESS_BATCH });
      if (!flags.quiet && result.zeroGradient > 0.01) {
        io.stderr.write(
          `vib: warning: ${pct(result.zeroGradient)} of the inputs of ${label} have an input gradient of exactly 0 under --objective ${objective}` +
            (objective === 'nll' ? ' (a saturated softmax): the attack cannot move them, so their accuracy is not robustness; rerun with --objective margin\n' : '\n'),
        );
      }
      results.push({ label, path, model: vm.config.model, beta: vm.bottleneck.controller.beta, result });
    }
    const gradient = `${objective === 'nll' ? '−log q(y|x)' : 'logit margin'}, gradient through ${through === 'mean' ? 'the mean code' : `the ${samples}-sample predictive`}`;
    const record = {
      kind: 'robustness',
      attack: { name: plugin.name, norm: plugin.norm, config: attackConfig },
      objective,
      through,
      samples,
      seed,
      dataset: dataset.name,
      n: dataset.test.n,
      models: results,
      ...recordMeta(backend.name, started),
    };
    const { path } = await withRunDir(flags.out ?? defaultOutDir('robustness'), async (dir) => {
      await dir.write('robustness.json', `${JSON.stringify(record, null, 2)}\n`);
      if (flags.plots !== false) {
        await writePlots(dir, { robustness: robustnessSpec(results.map((r) => ({ label: r.label, points: r.result.points })), `${plugin.name} (${plugin.norm === 'linf' ? 'L∞' : 'L2'}), ${gradient}`, samples) });
      }
    });
    if (flags.json) io.stdout.write(`${JSON.stringify({ ...record, out: path })}\n`);
    else {
      for (const r of results) {
        const cells = r.result.points.map((p) => `ε=${p.epsilon}: ${pct(p.accuracyMean)} / ${pct(p.accuracySampled)}`);
        const zero = Math.round(r.result.zeroGradient * r.result.n);
        io.stdout.write(`${r.label}: test accuracy, mean code / ${samples} samples, under ${plugin.name} (${gradient}): ${cells.join('; ')}; input gradient exactly 0 for ${zero} of ${r.result.n} inputs (${pct(r.result.zeroGradient)})\n`);
      }
      io.stdout.write(`saved to ${path}\n`);
    }
    return { ...record, out: path };
  } finally {
    for (const { vm } of models) vm.model.dispose();
  }
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}
