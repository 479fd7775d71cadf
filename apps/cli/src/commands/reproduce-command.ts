import type { Dataset, Registry } from '@vib/core';
import { parseExperimentConfig } from '@vib/tasks';
import { setupBackend, threadsFlag } from '../backend-setup.js';
import type { CliIO, GlobalFlags } from '../cli-io.js';
import { recordMeta } from '../output/record-meta.js';
import { defaultOutDir, withRunDir } from '../output/run-dir.js';
import type { VegaLiteSpec } from '../plots/render-plot.js';
import { publishedVsMeasuredSpec } from '../plots/reproduction-plot.js';
import { writePlots } from '../plots/write-plots.js';
import { createCliRegistry } from '../registry.js';
import { QUICK_SUBSET } from '../reproduce/alemi-configs.js';
import type { ReproContext, SeedResult } from '../reproduce/reproduction.js';
import { REPRODUCTIONS } from '../reproduce/reproductions.js';
import { compareSeeds, summarizeSeeds } from '../reproduce/seed-summary.js';
import { trainWithProgress } from '../train-run.js';
import { usageError } from '../util/cli-error.js';
import { parseCountFlag, parseNumberList, SEED_CHECK } from '../util/parse-flags.js';

/** Flags of `vib reproduce`. */
export type ReproduceFlags = GlobalFlags & { readonly quick?: boolean; readonly seeds: string; readonly epochs?: string; readonly plots?: boolean };

function loader(registry: Registry, quick: boolean): (name: string) => Promise<Dataset> {
  const cache = new Map<string, Promise<Dataset>>();
  return (name) => {
    let d = cache.get(name);
    if (!d) {
      const plugin = registry.get('dataset', name);
      d = plugin.load(plugin.configSchema.parse({}), quick ? { ...QUICK_SUBSET } : {});
      cache.set(name, d);
    }
    return d;
  };
}

/**
 * `vib reproduce <name>`: run a published experiment for each seed and write record.json (resolved configs, seeds,
 * revision, backend, machine, metrics per seed, mean and spread, a paired comparison, the published figures) and
 * plots (measured against published; the reproduction's own figure over all seeds, or for the first seed).
 * @param name - the reproduction
 * @param flags - parsed flags
 * @param io - stdout/stderr
 * @returns the record
 * @throws {@link CliError} (exit code 2) for an unknown name or a bad --seeds list
 */
export async function reproduceCommand(name: string, flags: ReproduceFlags, io: CliIO) {
  const repro = REPRODUCTIONS[name];
  if (!repro) throw usageError(`unknown reproduction "${name}": choose one of ${Object.keys(REPRODUCTIONS).join(', ')}`);
  const started = performance.now();
  const seeds = parseNumberList('--seeds', flags.seeds, SEED_CHECK, '0,1,2');
  const quick = flags.quick === true;
  const epochs = flags.epochs === undefined ? undefined : parseCountFlag('--epochs', flags.epochs);
  const registry = await createCliRegistry(flags.plugin ?? []);
  const backend = await setupBackend(registry, flags.backend, threadsFlag(flags.threads));
  const load = loader(registry, quick);
  const { result: record, path } = await withRunDir(flags.out ?? defaultOutDir(`reproduce-${name}`), async (dir, signal) => {
    const perSeed: (SeedResult & { seed: number; wallSeconds: number })[] = [];
    for (const seed of seeds) {
      const t0 = performance.now();
      const ctx: ReproContext = {
        registry, backend: backend.name, seed, quick, io, signal, quiet: flags.quiet ?? false,
        load,
        async train(raw, label) {
          // a quick run's configs name the examples it trained on: the subset its loader kept
          const config = parseExperimentConfig({ ...raw, seed, ...(epochs !== undefined ? { epochs } : {}), ...(quick ? { subset: { ...QUICK_SUBSET } } : {}) }, registry);
          const dataset = await load(config.dataset.name);
          const { result, summary } = await trainWithProgress({ config, registry, dataset, backend: backend.name, io, signal, quiet: flags.quiet ?? false, label: `[${name} seed ${seed} ${label}]` });
          return { config, dataset, result, summary };
        },
      };
      const r = await repro.run(ctx);
      perSeed.push({ ...r, seed, wallSeconds: (performance.now() - t0) / 1000 });
    }
    const metrics = perSeed.map((s) => s.metrics);
    const summary = summarizeSeeds(metrics);
    const comparison = repro.compare ? compareSeeds(metrics, repro.compare[0], repro.compare[1]) : null;
    const record = {
      kind: 'reproduction',
      name: repro.name,
      citation: repro.citation,
      description: repro.description,
      quick,
      epochsOverride: epochs ?? null,
      seeds,
      configs: perSeed[0]?.configs ?? {},
      published: repro.published,
      perSeed: perSeed.map(({ seed, metrics: m, wallSeconds, detail }) => ({ seed, metrics: m, wallSeconds, detail })),
      summary,
      comparison,
      ...recordMeta(backend.name, started),
    };
    await dir.write('record.json', `${JSON.stringify(record, null, 2)}\n`);
    if (flags.plots !== false) {
      const plots: Record<string, VegaLiteSpec> = {};
      const rows = repro.published.flatMap((p) => (p.metric !== null && p.value !== null && summary[p.metric] ? [{ metric: p.metric, mean: summary[p.metric]!.mean, sd: summary[p.metric]!.sd, published: p.value }] : []));
      if (rows.length > 0) plots['published-vs-measured'] = publishedVsMeasuredSpec(rows, repro.citation);
      if (repro.combinePlots && perSeed.length > 0) plots[repro.name] = repro.combinePlots(perSeed);
      else if (perSeed[0]?.plot) plots[repro.name] = perSeed[0].plot;
      await writePlots(dir, plots);
    }
    return record;
  });
  if (flags.json) io.stdout.write(`${JSON.stringify({ ...record, perSeed: record.perSeed.map(({ detail: _d, ...s }) => s), out: path })}\n`);
  else {
    const lines = Object.entries(record.summary).map(([k, s]) => `  ${k}: ${s.mean.toPrecision(4)}${s.n > 1 ? ` ± ${s.sd.toPrecision(2)} (sd over ${s.n} seeds)` : ''}`);
    const pub = repro.published.map((p) => `  published: ${p.text}`);
    io.stdout.write(`${repro.name}${quick ? ' (quick)' : ''} — ${repro.citation}\n${lines.join('\n')}\n${pub.join('\n')}\n${record.comparison ? `  ${record.comparison.verdict}\n` : ''}saved to ${path}\n`);
  }
  return { ...record, out: path };
}
