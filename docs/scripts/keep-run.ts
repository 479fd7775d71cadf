// Keep a finished training run as a small docs record: provenance, resolved config, final summary and a thinned
// history (test error both ways, test rate). Reads `vib runs show <id> --json` on stdin, writes the record on stdout:
//   pnpm -s vib runs show <id> --store runs.sqlite --json | node --import tsx docs/scripts/keep-run.ts <name> > docs/records/full/train-<name>.json
import { text } from 'node:stream/consumers';

interface ShownRun {
  id: string;
  argv: string[];
  config: Record<string, unknown>;
  seed: number;
  gitRev: string | null;
  backend: string;
  tier: string | null;
  host: string;
  status: string;
  startedAt: number;
  endedAt: number | null;
  summary: Record<string, unknown> | null;
  epochs: { epoch: number; metrics: Record<string, unknown> }[];
}

const name = process.argv[2];
if (!name) {
  process.stderr.write('usage: vib runs show <id> --json | keep-run.ts <name> > docs/records/full/train-<name>.json\n');
  process.exit(2);
}
const run = JSON.parse(await text(process.stdin)) as ShownRun;
if (run.status !== 'completed' || !run.summary) {
  process.stderr.write(`keep-run: run ${run.id} is ${run.status}, not completed: keep only finished runs\n`);
  process.exit(1);
}
const every = Math.max(1, Math.round(run.epochs.length / 20));
const history = run.epochs
  .filter((e, i) => (i + 1) % every === 0 || i === 0 || i === run.epochs.length - 1)
  .map(({ epoch, metrics: m }) => ({ epoch, testAccuracy: m['testAccuracy'], testSampledAccuracy: m['testSampledAccuracy'], testRateBits: m['testRateBits'] }));
const record = {
  kind: 'train-run',
  name,
  id: run.id,
  argv: run.argv.filter((a, i, all) => a !== '--store' && all[i - 1] !== '--store'),
  seed: run.seed,
  revision: run.gitRev,
  backend: run.backend,
  tier: run.tier,
  date: new Date(run.startedAt).toISOString(),
  wallSeconds: run.endedAt === null ? null : (run.endedAt - run.startedAt) / 1000,
  config: run.config,
  summary: run.summary,
  history,
};
process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
