import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inspectStoreFile, migrate, RunStore, SCHEMA_VERSION, type RunRecord } from '@vib/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorLines, svgSize, vib } from './helpers.js';

// The CLI does not depend on better-sqlite3: borrow @vib/store's copy to write SQLite files by hand.
const Database = createRequire(resolve(import.meta.dirname, '../../../packages/store/package.json'))('better-sqlite3') as new (file: string) => RunStore['db'];
let root: string;
const tiny = ['--backend', 'cpu', '--hidden', '32', '--latent-dim', '4', '--max-train', '300', '--max-test', '100', '--epochs', '2', '--quiet'];
const storeA = () => join(root, 'a.sqlite');
const storeB = () => join(root, 'b.sqlite');

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vib-runs-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

type Row = { pointId: string; runId: string; beta: number; accuracy: number; rateBits: number };

describe('vib sweep --jobs and vib runs', () => {
  let inProcess: Row[];

  it('a sweep in 2 local worker processes gives the same numbers, point for point, as one in this process', async () => {
    const one = await vib('sweep', ...tiny, '--betas', '1e-3,0.3', '--tag', 'group=g1', '--store', storeA(), '--out', join(root, 's1'), '--json');
    expect(one.code, one.stderr).toBe(0);
    const two = await vib('sweep', ...tiny, '--betas', '1e-3,0.3', '--jobs', '2', '--store', storeB(), '--out', join(root, 's2'), '--json');
    expect(two.code, two.stderr).toBe(0);
    inProcess = (JSON.parse(one.stdout) as { runs: Row[] }).runs;
    const pooled = (JSON.parse(two.stdout) as { runs: Row[] }).runs;
    expect(pooled.map((r) => r.pointId)).toEqual(inProcess.map((r) => r.pointId));
    pooled.forEach((r, i) => {
      expect(r.accuracy).toBe(inProcess[i]!.accuracy);
      expect(r.rateBits).toBe(inProcess[i]!.rateBits);
    });
  });

  it('ls filters by β range, tag, status and command; show prints a run with its epochs', async () => {
    const ls = async (...f: string[]) => JSON.parse((await vib('runs', 'ls', '--store', storeA(), '--json', ...f)).stdout) as { id: string; beta: number }[];
    expect((await ls('--command', 'sweep-point')).length).toBe(2);
    const high = await ls('--command', 'sweep-point', '--beta-min', '0.01');
    expect(high.map((r) => r.beta)).toEqual([0.3]);
    expect((await ls('--tag', 'group=g1')).length).toBe(3); // the sweep and its two points
    expect((await ls('--tag', 'group=other')).length).toBe(0);
    expect((await ls('--status', 'failed')).length).toBe(0);
    const bad = await vib('runs', 'ls', '--store', storeA(), '--status', 'done');
    // --status takes only the known statuses: a usage error (as usage-errors.test.ts checks for every flag)
    expect(bad.code).toBe(2);
    expect(errorLines(bad.stderr)).toEqual([expect.stringMatching(/^vib: error: .*argument 'done' is invalid\. Allowed choices are running, completed, failed, interrupted/)]);
    const show = await vib('runs', 'show', high[0]!.id.slice(0, 6), '--store', storeA());
    expect(show.stdout).toMatch(/status\s+completed/);
    // each epoch's training and test figures side by side
    expect(show.stdout).toMatch(/\nepochs\nepoch\s+loss\s+trainAccuracy\s+testAccuracy\s+rateBits\s+testRateBits\s+izyBits\s+testIzyBits\s+beta\s+seconds\n/);
    expect(show.stdout.trim().split('\n').slice(-2).map((l) => l.split(/\s+/)[0])).toEqual(['1', '2']);
  });

  it('compare shows the differing config keys and final metrics, and draws the curves overlaid', async () => {
    const [a, b] = inProcess.map((r) => r.runId);
    const out = join(root, 'cmp');
    const r = await vib('runs', 'compare', a!, b!, '--store', storeA(), '--out', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as { configDifferences: { key: string; values: string[] }[]; metrics: { key: string; values: number[] }[] };
    expect(res.configDifferences).toEqual([{ key: 'controller.config.beta', values: ['0.001', '0.3'] }]);
    expect(res.metrics.find((m) => m.key === 'rateBits')!.values).toEqual(inProcess.map((p) => p.rateBits));
    expect((await svgSize(join(out, 'compare.svg'))).width).toBeGreaterThan(600);
    // --max-test is not in the config, but the test split's size is compared as if it were
    const fewer = await vib('train', ...tiny.map((v) => (v === '100' ? '60' : v)), '--beta', '1e-3', '--store', storeA(), '--out', join(root, 'fewer'), '--json');
    expect(fewer.code, fewer.stderr).toBe(0);
    const c = await vib('runs', 'compare', a!, (JSON.parse(fewer.stdout) as { runId: string }).runId, '--store', storeA(), '--out', join(root, 'cmp2'), '--json');
    const d = (JSON.parse(c.stdout) as { configDifferences: { key: string; values: string[] }[] }).configDifferences;
    expect(d.find((x) => x.key === 'examples.test')?.values).toEqual(['100', '60']);
    expect(d.find((x) => x.key === 'examples.train')).toBeUndefined();
    const one = await vib('runs', 'compare', a!, '--store', storeA());
    expect(errorLines(one.stderr)).toEqual(['vib: error: vib runs compare needs at least two run ids, got 1: e.g. vib runs compare 3f2a 9c01']);
  });

  it('export writes CSV and JSONL; rm deletes', async () => {
    const csv = (await vib('runs', 'export', '--store', storeA(), '--format', 'csv', '--command', 'sweep-point')).stdout.trim().split('\n');
    expect(csv).toHaveLength(3);
    const header = csv[0]!.split(',');
    const betaCol = header.indexOf('beta');
    expect(csv.slice(1).map((l) => Number(l.split(',')[betaCol])).sort()).toEqual([0.001, 0.3]);
    const file = join(root, 'runs.jsonl');
    await vib('runs', 'export', '--store', storeA(), '--format', 'jsonl', '--output', file);
    const lines = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { command: string; epochs: unknown[] });
    expect(lines.filter((l) => l.command === 'sweep-point').map((l) => l.epochs.length)).toEqual([2, 2]);
    const rm1 = await vib('runs', 'rm', inProcess[0]!.runId, '--store', storeA());
    expect(rm1.stdout).toBe(`removed 1 run: ${inProcess[0]!.runId}\n`);
    const left = RunStore.open(storeA());
    expect(left.list({ command: 'sweep-point' }).map((r) => r.id)).toEqual([inProcess[1]!.runId]);
    left.close();
  });

  it('eval takes a train run id for --model', async () => {
    const t = await vib('train', ...tiny, '--no-plots', '--store', storeA(), '--out', join(root, 't'), '--json');
    const { runId, accuracy } = JSON.parse(t.stdout) as { runId: string; accuracy: number };
    const e = await vib('eval', '--model', runId, '--backend', 'cpu', '--max-test', '100', '--store', storeA(), '--json');
    expect(e.code, e.stderr).toBe(0);
    expect((JSON.parse(e.stdout) as { accuracy: number }).accuracy).toBe(accuracy);
    const before = (await vib('runs', 'ls', '--store', storeA(), '--json')).stdout;
    const missing = await vib('eval', '--model', 'abcdef', '--store', storeA());
    expect(errorLines(missing.stderr)).toEqual([`vib: error: --model abcdef: no run abcdef in ${storeA()}: list runs with \`vib runs ls\` (and check --store)`]);
    // a usage error, as a --model path that names nothing is: exit 2, and no failed eval run recorded
    expect(missing.code).toBe(2);
    expect((await vib('runs', 'ls', '--store', storeA(), '--json')).stdout).toBe(before);
    // the table says how many test examples each run's test figures are over: the train run's 100, the eval's 100
    const ls = (await vib('runs', 'ls', '--store', storeA(), '--command', 'train')).stdout.split('\n');
    expect(ls[0]).toMatch(/\btook\s+test n\s+test score \(mean code\)\s+test rate \(bits\)/);
    const col = ls[0]!.indexOf('test n');
    expect(ls.find((l) => l.startsWith(runId.slice(0, 12)))?.slice(col).split(/\s+/)[0], ls.join('\n')).toBe('100');
    const evals = (await vib('runs', 'ls', '--store', storeA(), '--command', 'eval')).stdout.split('\n');
    expect(evals.find((l) => /\bcompleted\b/.test(l))?.slice(evals[0]!.indexOf('test n')).split(/\s+/)[0], evals.join('\n')).toBe('100');
  });

  it('a SIGTERM marks the running train run interrupted', async () => {
    const store = join(root, 'sig.sqlite');
    const main = resolve(import.meta.dirname, '../src/main.ts');
    const child = spawn(process.execPath, ['--conditions=@vib/source', '--import', 'tsx', main, 'train', ...tiny, '--epochs', '200', '--store', store, '--out', join(root, 'sig')],
      { cwd: resolve(import.meta.dirname, '../../..'), stdio: 'ignore' });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const deadline = Date.now() + 60_000;
    for (;;) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 300));
      try {
        const st = RunStore.open(store);
        const running = st.list({ status: 'running' }).length;
        const epochs = (st.db.prepare('SELECT count(*) AS n FROM epochs').get() as { n: number }).n;
        st.close();
        if (running === 1 && epochs > 0) break;
      } catch {
        // not created yet
      }
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    const st = RunStore.open(store);
    const [run] = st.list();
    expect(run?.status).toBe('interrupted');
    // the run folder's message, which says how to continue the run
    expect(run?.error).toMatch(/SIGTERM/);
    st.close();
  });

  it('vib runs ls and show: a run of another host whose heartbeat stopped 11 minutes ago is interrupted, with the reason; one that beat a minute ago still runs', async () => {
    const store = join(root, 'beats.sqlite');
    const st = RunStore.open(store);
    const dead = st.startRun({ command: 'train', argv: ['train'], host: 'gpu-box-7', pid: 4242 });
    const alive = st.startRun({ command: 'train', argv: ['train'], host: 'gpu-box-8', pid: 17 });
    const beat = st.db.prepare('UPDATE runs SET heartbeat_at = ? WHERE id = ?');
    const lastBeat = Date.now() - 11 * 60_000;
    beat.run(lastBeat, dead);
    beat.run(Date.now() - 60_000, alive);
    st.close();
    const ls = JSON.parse((await vib('runs', 'ls', '--store', store, '--json')).stdout) as { id: string; status: string; error: string | null }[];
    expect(ls.find((r) => r.id === alive)?.status).toBe('running');
    const gone = ls.find((r) => r.id === dead)!;
    expect(gone.status).toBe('interrupted');
    expect(gone.error).toMatch(new RegExp(`^no heartbeat from gpu-box-7 \\(pid 4242\\) since ${new Date(lastBeat).toISOString().replace(/\./g, '\\.')}, 11\\.0 min, past the 10\\.0 min limit: its process died or lost the store$`));
    expect((await vib('runs', 'show', alive, '--store', store)).stdout).toMatch(/last heartbeat\s+\d{4}-\d\d-\d\dT/);
  });
});

describe('vib runs and a --store that is not a vib store', () => {
  const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');
  const PASS = "pass --store with a vib store's path, or a new file's";

  it('refuses another program\'s SQLite database, leaving its bytes unchanged', async () => {
    const file = join(root, 'foreign.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE foo (x INTEGER); INSERT INTO foo VALUES (42)');
    db.close();
    const before = await sha256(file);
    for (const args of [['runs', 'ls'], ['runs', 'show', 'abcd'], ['runs', 'export', '--format', 'csv'], ['runs', 'rm', 'abcd']]) {
      const r = await vib(...args, '--store', file);
      expect(r.code, args.join(' ')).toBe(1);
      expect(errorLines(r.stderr)).toEqual([`vib: error: ${file} is an SQLite database but not a vib run store (it has tables foo): ${PASS}`]);
    }
    expect(await sha256(file)).toBe(before);
    expect((await readdir(root)).filter((f) => f.startsWith('foreign.sqlite'))).toEqual(['foreign.sqlite']);
  });

  it('refuses a file that is not SQLite, leaving it unchanged', async () => {
    const file = join(root, 'notes.txt');
    await writeFile(file, 'shopping: eggs, milk, flour\n'.repeat(10));
    const before = await sha256(file);
    const r = await vib('runs', 'ls', '--store', file);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual([`vib: error: ${file} is not an SQLite database, so not a vib run store: ${PASS}`]);
    expect(await sha256(file)).toBe(before);
  });

  it('a missing store is not created by ls, show or rm: they say there is none', async () => {
    const file = join(root, 'no-such-dir', 'typo.sqlite');
    for (const args of [['runs', 'ls', '--json'], ['runs', 'show', 'abcd'], ['runs', 'rm', 'abcd']]) {
      const r = await vib(...args, '--store', file);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout).toBe('');
      expect(errorLines(r.stderr)).toEqual([`vib: error: no run store at ${file}: nothing has been recorded there yet (train with --store ${file} first, or check the path)`]);
    }
    expect(existsSync(join(root, 'no-such-dir'))).toBe(false);
  });

  it('a vib store still lists, read-only: its bytes do not change; an older one is upgraded', async () => {
    const file = join(root, 'mine.sqlite');
    const st = RunStore.open(file);
    const id = st.startRun({ command: 'train', argv: ['train'], dataset: 'mnist' });
    st.finishRun(id, { status: 'completed', summary: { accuracy: 0.9 } });
    st.close();
    const before = await sha256(file);
    const r = await vib('runs', 'ls', '--store', file, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as RunRecord[]).map((x) => [x.id, x.status, x.dataset])).toEqual([[id, 'completed', 'mnist']]);
    expect((await vib('runs', 'show', id, '--store', file)).stdout).toMatch(/status\s+completed/);
    expect(await sha256(file)).toBe(before);

    const old = join(root, 'v1.sqlite');
    const v1 = new Database(old);
    migrate(v1, old, 1);
    v1.prepare("INSERT INTO runs (id, command, argv, status, started_at) VALUES ('00aa11bb22cc', 'train', '[]', 'completed', 1000)").run();
    v1.close();
    const ls = await vib('runs', 'ls', '--store', old, '--json');
    expect(ls.code, ls.stderr).toBe(0);
    expect((JSON.parse(ls.stdout) as RunRecord[]).map((x) => x.id)).toEqual(['00aa11bb22cc']);
    expect(inspectStoreFile(old)).toEqual({ kind: 'store', version: SCHEMA_VERSION });
  });
});
