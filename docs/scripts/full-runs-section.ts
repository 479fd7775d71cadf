// The "Full-length runs" part of docs/guides/reproductions.md, from the records kept in docs/records/full/:
// training runs (written by keep-run.ts), and the robustness.json / uncertainty.json records that
// `vib robustness` and `vib uncertainty` write, copied as they are.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface TrainRun {
  kind: 'train-run';
  name: string;
  id: string;
  argv: string[];
  revision: string | null;
  tier: string | null;
  backend: string;
  date: string;
  wallSeconds: number | null;
  summary: { epochs: number; accuracy: number; accuracySampled: number; evalSamples: number; rateBits: number; beta: number; dataset: string };
  config: { model: string };
}
interface RobustnessPoint { epsilon: number; accuracyMean: number; accuracySampled: number }
interface RobustnessRecord {
  kind: 'robustness';
  attack: { name: string; norm: string; config: Record<string, unknown> };
  objective?: string;
  through: string;
  samples: number;
  dataset: string;
  n: number;
  date: string;
  machine: string;
  backend: string;
  revision: string | null;
  wallSeconds: number;
  models: { label: string; result: { zeroGradient?: number; points: RobustnessPoint[] } }[];
}
interface UncertaintyRecord {
  kind: 'uncertainty';
  model: { label: string; model: string; beta: number };
  inDistribution: { dataset: string; n: number; accuracy: number; meanRateBits: number };
  outOfDistribution: { dataset: string; n: number; meanRateBits: number };
  samples: number;
  detection: Record<string, { auroc: number; aupr: number }>;
  calibration: { ece: number };
  date: string;
  machine: string;
  revision: string | null;
}
type FullRecord = TrainRun | RobustnessRecord | UncertaintyRecord;

/** Order of models in every table: the deterministic baseline first, then VIB by β. */
const modelOrder = (model: string, beta: number) => (model === 'deterministic' ? -1 : beta);
const pct = (v: number, d = 2) => `${(v * 100).toFixed(d)} %`;
const rev = (r: string | null) => r?.slice(0, 10) ?? 'unknown';

function trainTable(runs: TrainRun[]): string[] {
  if (runs.length === 0) return [];
  return [
    '### Training runs',
    '',
    '| run | model | β | epochs | test error, mean code | test error, S samples | test rate (bits) | wall time | revision, tier |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...runs.map((r) => {
      const s = r.summary;
      const wall = r.wallSeconds === null ? '' : `${(r.wallSeconds / 60).toFixed(0)} min`;
      return `| ${r.name} | ${r.config.model} | ${r.config.model === 'deterministic' ? '—' : s.beta} | ${s.epochs} | ${pct(1 - s.accuracy)} | ${pct(1 - s.accuracySampled)} (S = ${s.evalSamples}) | ${s.rateBits.toFixed(1)} | ${wall} | ${rev(r.revision)}, ${r.tier ?? r.backend} |`;
    }),
    '',
    `Started ${[...new Set(runs.map((r) => r.date.slice(0, 10)))].join(', ')}; each run is \`vib ${runs[0]!.argv.slice(0, 3).join(' ')} …\` with the flags kept in its record (\`docs/records/full/train-<run>.json\`, with a thinned per-epoch history). One seed each: a difference smaller than about 0.3 points (one standard error of an error rate near 9 % on 10,000 test images) is noise.`,
    '',
  ];
}

function robustnessTable(r: RobustnessRecord): string[] {
  const eps = r.models[0]?.result.points.map((p) => p.epsilon) ?? [];
  const objective = r.objective === 'margin' ? 'the logit margin (max_{j≠y} log q_j − log q_y)' : '−log q(y|x)';
  const through = r.through === 'mean' ? 'the mean code' : `the ${r.samples}-sample predictive`;
  const steps = typeof r.attack.config['steps'] === 'number' ? `, ${r.attack.config['steps']} steps` : '';
  return [
    `### ${r.attack.name}${steps} on ${objective}, gradient through ${through}`,
    '',
    `${r.n} ${r.dataset} test inputs; accuracy of the mean code on the attacked inputs (L${r.attack.norm === 'linf' ? '∞' : '2'} radius ε, pixels in [0, 1]). "Zero gradient" is the share of inputs whose gradient was exactly 0 at the clean input: a sign-gradient attack cannot move them. Measured ${r.date.slice(0, 10)} on ${r.machine} (${r.backend}, revision ${rev(r.revision)}), ${(r.wallSeconds / 60).toFixed(1)} min.`,
    '',
    `| model | ${eps.map((e) => `ε = ${e}`).join(' | ')} | zero gradient |`,
    `| --- | ${eps.map(() => '---').join(' | ')} | --- |`,
    ...r.models.map((m) => `| ${m.label} | ${m.result.points.map((p) => pct(p.accuracyMean, 1)).join(' | ')} | ${m.result.zeroGradient === undefined ? 'not counted' : pct(m.result.zeroGradient, 1)} |`),
    '',
  ];
}

function uncertaintyTable(rs: UncertaintyRecord[]): string[] {
  if (rs.length === 0) return [];
  const first = rs[0]!;
  return [
    `### Out-of-distribution detection and calibration: ${first.inDistribution.dataset} against ${first.outOfDistribution.dataset}`,
    '',
    `${first.inDistribution.n} in-distribution and ${first.outOfDistribution.n} out-of-distribution test inputs, predictive over S = ${first.samples} sampled codes; AUROC 0.5 is chance. Measured ${first.date.slice(0, 10)} on ${first.machine}.`,
    '',
    '| model | AUROC (AUPR), rate | AUROC (AUPR), predictive entropy | AUROC (AUPR), 1 − max q | ECE | mean rate in / out (bits) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rs.map((r) => {
      const d = (k: string) => (r.detection[k] ? `${r.detection[k]!.auroc.toFixed(3)} (${r.detection[k]!.aupr.toFixed(3)})` : '');
      return `| ${r.model.label} | ${d('rate')} | ${d('entropy')} | ${d('oneMinusMaxProb')} | ${pct(r.calibration.ece)} | ${r.inDistribution.meanRateBits.toFixed(1)} / ${r.outOfDistribution.meanRateBits.toFixed(1)} |`;
    }),
    '',
  ];
}

/**
 * The full-length runs section, or '' when docs/records/full/ is empty or absent.
 * @returns markdown
 */
export async function fullRunsSection(): Promise<string> {
  const dir = join('docs', 'records', 'full');
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) return '';
  const records = await Promise.all(files.map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as FullRecord));
  const trainOrder = (r: TrainRun) => modelOrder(r.config.model, r.summary.beta);
  const train = records.filter((r): r is TrainRun => r.kind === 'train-run').sort((a, b) => trainOrder(a) - trainOrder(b));
  return [
    '## Full-length runs',
    '',
    'Runs of the papers\' full recipes, too long for CI, kept as records in `docs/records/full/` (training runs via `docs/scripts/keep-run.ts`, attack and uncertainty records as `vib robustness` and `vib uncertainty` wrote them). Errors and accuracies are percentages here.',
    '',
    ...trainTable(train),
    // attacks in name order, the paper's −log q before the margin; models as the training table orders them
    ...records
      .filter((r): r is RobustnessRecord => r.kind === 'robustness')
      .sort((a, b) => a.attack.name.localeCompare(b.attack.name) || Number(a.objective === 'margin') - Number(b.objective === 'margin'))
      .flatMap(robustnessTable),
    ...uncertaintyTable(
      records
        .filter((r): r is UncertaintyRecord => r.kind === 'uncertainty')
        .sort((a, b) => modelOrder(a.model.model, a.model.beta) - modelOrder(b.model.model, b.model.beta)),
    ),
  ].join('\n');
}
